"""The pages everyone sees: the list, a bijeenkomst, registering, the personal link."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import DetailView
from django_filters.views import FilterView

from bijeenkomsten import selectors, services
from bijeenkomsten.filters import BijeenkomstFilter
from bijeenkomsten.forms import (
    AanmeldForm,
    SessieWisselForm,
    WensenForm,
    chosen_sessions,
    session_data,
)
from bijeenkomsten.ics import calendar_for
from bijeenkomsten.models import Aanmelding, Bijeenkomst, ProgrammaOnderdeel, SessieKeuze
from bijeenkomsten.permissions import (
    can_add_bijeenkomst,
    can_check_in,
    can_download_bewijs,
    can_manage_aanmeldingen,
    can_view,
    can_view_all_materials,
    can_view_verslag,
    can_write_verslag,
)
from bijeenkomsten.structured_data import event_json_ld
from kennisbank import selectors as kennisbank_selectors
from netwerk import permissions as netwerk_permissions
from netwerk.models import Organisatie
from werkplaats import ratelimit
from werkplaats.actions import ActionView

PAST_SHOWN = 12


class BijeenkomstListView(FilterView):
    filterset_class = BijeenkomstFilter
    template_name = "bijeenkomsten/bijeenkomst_list.html"
    context_object_name = "bijeenkomsten"
    paginate_by = 12

    def get_queryset(self):
        return Bijeenkomst.objects.zichtbaar().komend().voor_lijst()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        past = self.filterset_class(
            self.request.GET, queryset=Bijeenkomst.objects.zichtbaar().voorbij().voor_lijst()
        )
        context["voorbij"] = past.qs[:PAST_SHOWN] if past.is_valid() else []
        context["kan_beheren"] = can_add_bijeenkomst(self.request.user)
        return context


def _visible_bijeenkomst(request, slug: str, *, met_bezetting: bool = True) -> Bijeenkomst:
    if met_bezetting:
        bijeenkomst = selectors.bijeenkomst_met_bezetting(slug=slug)
    else:
        bijeenkomst = Bijeenkomst.objects.filter(slug=slug).first()
    if bijeenkomst is None or not can_view(request.user, bijeenkomst):
        raise Http404(_("Deze bijeenkomst bestaat niet."))
    return bijeenkomst


def _detail_context(request, bijeenkomst: Bijeenkomst, form: AanmeldForm | None = None) -> dict:
    if form is None and bijeenkomst.aanmelden_mogelijk():
        form = AanmeldForm(
            persoon=request.user,
            bijeenkomst=bijeenkomst,
            vragen=services.registration_questions(bijeenkomst),
        )
    eigen = None
    if request.user.is_authenticated:
        eigen = selectors.open_aanmelding_van(bijeenkomst=bijeenkomst, email=request.user.email)
    return {
        "bijeenkomst": bijeenkomst,
        "form": form or AanmeldForm(persoon=request.user, bijeenkomst=bijeenkomst),
        "met_goedkeuring": bijeenkomst.met_goedkeuring,
        "plaatsen_vrij": bijeenkomst.plaatsen_vrij,
        "aanmelden_mogelijk": bijeenkomst.aanmelden_mogelijk(),
        "eigen_aanmelding": eigen,
        "mag_groep_aanmelden": bijeenkomst.aanmelden_mogelijk()
        and not bijeenkomst.met_goedkeuring
        and netwerk_permissions.can_register_group(request.user),
        "mag_beheren": can_manage_aanmeldingen(request.user, bijeenkomst),
        "producten": kennisbank_selectors.producten_van(bijeenkomst=bijeenkomst),
        "json_ld": event_json_ld(bijeenkomst, plaatsen_vrij=bijeenkomst.plaatsen_vrij),
        "programma": selectors.met_materialen(
            selectors.programma_van(bijeenkomst),
            bijeenkomst=bijeenkomst,
            alle=can_view_all_materials(request.user, bijeenkomst),
        ),
        **_verslag_context(request, bijeenkomst),
    }


def _verslag_context(request, bijeenkomst: Bijeenkomst) -> dict:
    """The verslag for who may see it: published once over, a draft for its writers."""
    mag_schrijven = can_write_verslag(request.user, bijeenkomst)
    verslag = selectors.verslag_van(bijeenkomst=bijeenkomst)
    if not can_view_verslag(request.user, verslag):
        verslag = None
    soorten = dict(Organisatie.Soort.choices)
    return {
        "verslag": verslag,
        "mag_verslag_schrijven": mag_schrijven,
        "organisaties_per_soort": [
            (soorten.get(soort, soort), aantal)
            for soort, aantal in (verslag.organisaties_per_soort.items() if verslag else [])
        ],
    }


class BijeenkomstDetailView(DetailView):
    template_name = "bijeenkomsten/bijeenkomst_detail.html"

    def get_object(self, queryset=None):
        return _visible_bijeenkomst(self.request, self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_detail_context(self.request, self.object)}


class RegisterView(ActionView):
    """Register for a bijeenkomst: a logged-in person at once, a guest after confirming
    their address through the link in a mail."""

    login_required = False
    form_class = AanmeldForm

    def get_object(self):
        return _visible_bijeenkomst(self.request, self.kwargs["slug"])

    def has_permission(self, user, bijeenkomst):
        return True

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "persoon": self.request.user,
            "vragen": services.registration_questions(self.object),
            "bijeenkomst": self.object,
        }

    def form_invalid(self, form):
        context = _detail_context(self.request, self.object, form)
        return render(self.request, "bijeenkomsten/bijeenkomst_detail.html", context, status=400)

    def perform(self, form):
        data = form.cleaned_data
        user = self.request.user
        if not user.is_authenticated:
            # A guest's request mails an address nobody has proven yet: limited per client.
            ratelimit.check(self.request, "gast-aanmelding")
            return services.request_guest_registration(
                bijeenkomst=self.object,
                gegevens=data,
                taal=translation.get_language(),
                antwoorden=form.antwoorden(),
            )
        return services.register(
            bijeenkomst=self.object,
            email=user.email,
            naam=data["naam"],
            persoon=user,
            aangemeld_door=user,
            antwoorden=form.antwoorden(),
            **{field: data.get(field, "") for field in services.OPTIONAL_FIELDS},
            sessies=chosen_sessions(form),
        )

    def rule_violated(self, error):
        if error.aanmelding is not None and self.request.user.is_authenticated:
            messages.info(self.request, str(error))
            return HttpResponseRedirect(error.aanmelding.get_absolute_url())
        return super().rule_violated(error)

    def success_message(self, result):
        if isinstance(result, Aanmelding):
            return _registered_message(result)
        return _(
            "Bijna klaar: we hebben een mail gestuurd naar %(email)s. Bevestig je "
            "e-mailadres via de link in die mail; pas dan telt je aanmelding."
        ) % {"email": self.form.cleaned_data["email"]}

    def get_success_url(self, result):
        if isinstance(result, Aanmelding):
            return result.get_absolute_url()
        return self.object.get_absolute_url()


def _registered_message(aanmelding: Aanmelding) -> str:
    if aanmelding.status == Aanmelding.Status.AANGEVRAAGD:
        return _(
            "Je aanvraag is ontvangen. Het team beslist erover; je krijgt een mail zodra "
            "het besluit er is. Tot dan heb je nog geen plek."
        )
    if aanmelding.status == Aanmelding.Status.BEVESTIGD:
        return _("Je aanmelding is bevestigd. Je hebt een plek.")
    return _("De bijeenkomst is vol. Je staat op de wachtlijst, op plaats %(positie)s.") % {
        "positie": aanmelding.wachtlijst_positie()
    }


def _notice(request, title: str, text: str, status: int):
    return render(
        request, "bijeenkomsten/melding.html", {"titel": title, "tekst": text}, status=status
    )


class ConfirmGuestView(ActionView):
    """The link in a guest's mail: the GET shows what will be registered and asks for
    wishes; the POST makes the registration count. The single-use token is the permission."""

    http_method_names = ["get", "post"]
    login_required = False
    form_class = WensenForm

    def get_object(self):
        # Its page shows no places, and the service counts them again under its lock: in a
        # registration rush every query saved here is one less for each confirmation.
        return _visible_bijeenkomst(self.request, self.kwargs["slug"], met_bezetting=False)

    def has_permission(self, user, bijeenkomst):
        return True

    def get(self, request, slug, token):
        bijeenkomst = self.get_object()
        try:
            pending = services.read_guest_registration(bijeenkomst=bijeenkomst, token=token)
        except services.InvalidGuestLink as error:
            return _invalid_guest_link(request, error)
        return self._page(bijeenkomst, pending, WensenForm(bijeenkomst=bijeenkomst))

    def _page(self, bijeenkomst, pending, form, status=200):
        return render(
            self.request,
            "bijeenkomsten/gast_bevestigen.html",
            {"bijeenkomst": bijeenkomst, "gegevens": pending, "form": form},
            status=status,
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bijeenkomst": self.object}

    def form_invalid(self, form):
        try:
            pending = services.read_guest_registration(
                bijeenkomst=self.object, token=self.kwargs["token"]
            )
        except services.InvalidGuestLink as error:
            return self.rule_violated(error)
        return self._page(self.object, pending, form, status=400)

    def perform(self, form):
        return services.confirm_guest_registration(
            bijeenkomst=self.object,
            token=self.kwargs["token"],
            sessies=chosen_sessions(form),
            **session_data(form.cleaned_data),
        )

    def rule_violated(self, error):
        if isinstance(error, services.InvalidGuestLink):
            return _invalid_guest_link(self.request, error)
        if error.aanmelding is not None:
            # The link proves the address: showing its registration is safe.
            messages.info(self.request, str(error))
            return HttpResponseRedirect(services.personal_link(aanmelding=error.aanmelding))
        return super().rule_violated(error)

    def default_url(self):
        return self.object.get_absolute_url()

    def success_message(self, aanmelding):
        return _registered_message(aanmelding)

    def get_success_url(self, aanmelding):
        return aanmelding.get_absolute_url()


def _invalid_guest_link(request, error):
    return _notice(request, _("Deze link werkt niet"), str(error), status=404)


UNKNOWN_LINK_TITLE = gettext_lazy("Aanmelding niet gevonden")
UNKNOWN_LINK_TEXT = gettext_lazy(
    "Deze link hoort niet (meer) bij een aanmelding. Controleer of je de hele "
    "link uit de mail hebt gebruikt, of meld je opnieuw aan via de pagina van "
    "de bijeenkomst."
)


class AanmeldingView(View):
    """A person's own registration, reached through their personal link, no account needed."""

    def get(self, request, token):
        aanmelding = selectors.aanmelding_by_token(token)
        if aanmelding is None:
            return _notice(request, UNKNOWN_LINK_TITLE, UNKNOWN_LINK_TEXT, status=404)
        now = timezone.now()
        return render(
            request,
            "bijeenkomsten/aanmelding_detail.html",
            {
                "aanmelding": aanmelding,
                "bijeenkomst": aanmelding.bijeenkomst,
                "positie": aanmelding.wachtlijst_positie(),
                "kan_claimen": aanmelding.aanbod_loopt(now),
                "voorbij": aanmelding.bijeenkomst.eind < now,
                **_session_context(aanmelding, now),
                # Scanning the personal link at the door lands a coördinator here.
                "mag_aanwezig_melden": can_check_in(request.user, aanmelding.bijeenkomst),
                "bewijs_beschikbaar": can_download_bewijs(request.user, aanmelding),
                "evaluatie_open": services.evaluation_state(aanmelding, now=now)
                == services.EvaluatieStand.OPEN,
            },
        )


def _session_context(aanmelding: Aanmelding, now) -> dict:
    """The chosen deelsessies and, while they may change, a form per ronde to change them."""
    keuzes = selectors.sessiekeuzes_van(aanmelding)
    bijeenkomst = aanmelding.bijeenkomst
    changeable = (
        aanmelding.is_open
        and bijeenkomst.status == Bijeenkomst.Status.GEPUBLICEERD
        and now < bijeenkomst.start
    )
    rondes = selectors.rondes_van(bijeenkomst) if changeable else []
    return {
        "sessiekeuzes": keuzes,
        "sessie_formulieren": [
            (
                ronde,
                SessieWisselForm(
                    ronde=ronde,
                    prefix=f"ronde{ronde.pk}",
                    initial={
                        f"sessie_{ronde.pk}": next(
                            (k.deelsessie_id for k in keuzes if k.ronde_id == ronde.pk), None
                        )
                    },
                ),
            )
            for ronde in rondes
        ],
    }


def _own_aanmelding(request, pk: int) -> Aanmelding:
    aanmelding = selectors.eigen_aanmelding(persoon=request.user, pk=pk)
    if aanmelding is None:
        raise Http404(UNKNOWN_LINK_TEXT)
    return aanmelding


class EigenAanmeldingView(LoginRequiredMixin, View):
    """From /mijn/ or a bijeenkomst's page to one's own registration: its personal page,
    through a new personal link (only the links' hashes are stored, so an old one cannot be
    shown again; the mailed links keep working). Anyone else's registration is a 404."""

    def get(self, request, pk):
        aanmelding = _own_aanmelding(request, pk)
        return HttpResponseRedirect(services.personal_link(aanmelding=aanmelding))


class TokenActionView(ActionView):
    """Cancel, claim or decline through the personal link: the token is the permission."""

    login_required = False
    service = None
    message = None

    def get_object(self):
        aanmelding = selectors.aanmelding_by_token(self.kwargs["token"])
        if aanmelding is None:
            raise Http404(UNKNOWN_LINK_TEXT)
        return aanmelding

    def has_permission(self, user, aanmelding):
        return True

    def perform(self):
        return self.service(aanmelding=self.object)

    def success_message(self, result):
        return self.message


class CancelView(TokenActionView):
    service = staticmethod(services.cancel)
    message = gettext_lazy("Je aanmelding is geannuleerd.")


class ClaimView(TokenActionView):
    service = staticmethod(services.claim)
    message = gettext_lazy("Je hebt de plek geclaimd. Tot dan!")


class DeclineView(TokenActionView):
    service = staticmethod(services.decline)
    message = gettext_lazy("Je hebt de plek afgewezen. Hij gaat naar de volgende.")


class SessionChangeView(TokenActionView):
    """Choose another deelsessie in a ronde: at once when it has room, else on its
    wachtlijst while keeping the old place (services.change_session)."""

    form_class = SessieWisselForm

    def get_form_kwargs(self):
        ronde = get_object_or_404(
            ProgrammaOnderdeel,
            pk=self.kwargs["ronde"],
            bijeenkomst_id=self.object.bijeenkomst_id,
            soort=ProgrammaOnderdeel.Soort.RONDE,
        )
        ronde = next(
            (item for item in selectors.rondes_van(self.object.bijeenkomst) if item.pk == ronde.pk),
            None,
        )
        if ronde is None:
            raise Http404(UNKNOWN_LINK_TEXT)
        return {**super().get_form_kwargs(), "ronde": ronde, "prefix": f"ronde{ronde.pk}"}

    def perform(self, form):
        (deelsessie,) = chosen_sessions(form)
        return services.change_session(aanmelding=self.object, deelsessie=deelsessie)

    def success_message(self, keuze):
        if keuze.status == keuze.Status.WACHTLIJST:
            return _(
                "Je staat op de wachtlijst van %(titel)s. Je plek in je huidige deelsessie "
                "houd je tot je de nieuwe plek hebt."
            ) % {"titel": keuze.deelsessie.titel}
        return _("Je keuze is nu %(titel)s.") % {"titel": keuze.deelsessie.titel}


class SessionOfferView(TokenActionView):
    """Claim an offered session place, or stop waiting for one (`keuze` of this
    registration only)."""

    def perform(self):
        keuze = get_object_or_404(
            SessieKeuze, pk=self.kwargs["keuze"], aanmelding_id=self.object.pk
        )
        return self.service(keuze=keuze)


class SessionClaimView(SessionOfferView):
    service = staticmethod(services.claim_session)
    message = gettext_lazy("Je hebt de plek in de deelsessie geclaimd.")


class SessionWithdrawView(SessionOfferView):
    service = staticmethod(services.withdraw_session_choice)
    message = gettext_lazy("Je staat niet meer op de wachtlijst van die deelsessie.")


class OwnActionMixin:
    """The same action from /mijn/, for the logged-in owner of the registration."""

    login_required = True

    def get_object(self):
        return _own_aanmelding(self.request, self.kwargs["pk"])


class OwnClaimView(OwnActionMixin, ClaimView):
    pass


class OwnDeclineView(OwnActionMixin, DeclineView):
    pass


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def bijeenkomst_ics(request, slug):
    bijeenkomst = _visible_bijeenkomst(request, slug)
    return _ics_response(calendar_for([bijeenkomst]), f"{bijeenkomst.slug}.ics")


@require_GET
def agenda_ics(request):
    bijeenkomsten = Bijeenkomst.objects.zichtbaar().komend().prefetch_related("programma")
    return _ics_response(calendar_for(bijeenkomsten), "bijeenkomsten.ics")
