"""Invitations: a coördinator chooses an audience, sees whom it reaches and sends; the
invited register through their personal link, or ask for no more invitations."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from bijeenkomsten import selectors, services
from bijeenkomsten.forms import (
    HerinnerenForm,
    UitnodigenForm,
    UitnodigingAanmeldForm,
    chosen_sessions,
)
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from bijeenkomsten.permissions import can_invite, can_manage_all_aanmeldingen, co_organisatie
from bijeenkomsten.views.beheer import ManageActionView
from bijeenkomsten.views.publiek import _notice, _registered_message
from netwerk import services as netwerk_services
from netwerk.selectors import adressen_zonder_uitnodiging
from werkplaats.actions import ActionView

PER_PAGE = 50


class CoordinatorPage(View):
    """A coördinator's page of one bijeenkomst: anonymous visitors go to the log-in page,
    anyone without `permission` gets a 403."""

    permission = None  # a predicate of bijeenkomsten.permissions

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.bijeenkomst = get_object_or_404(Bijeenkomst, slug=kwargs["slug"])
        if not self.permission(request.user, self.bijeenkomst):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ManageFormView(ManageActionView):
    """A coördinator's form on one bijeenkomst: GET shows it (after the same login and
    permission checks), POST is the action."""

    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        self.check_permission()
        return self.render_form(self.get_unbound_form())

    def form_invalid(self, form):
        return self.render_form(form, status=400)

    def get_unbound_form(self):
        raise NotImplementedError

    def render_form(self, form, status=200):
        raise NotImplementedError


class UitnodigingenView(CoordinatorPage):
    """Who was invited and what came of it; remind who did not answer."""

    permission = staticmethod(can_invite)

    def get(self, request, slug):
        bijeenkomst = self.bijeenkomst
        uitnodigingen = selectors.uitnodigingen_van(bijeenkomst=bijeenkomst)
        alle = can_manage_all_aanmeldingen(request.user, bijeenkomst)
        if not alle:
            # A co-organisator: the invitations their organisatie's team sent.
            uitnodigingen = uitnodigingen.filter(
                uitgenodigd_door__teamrollen__bijeenkomst=bijeenkomst,
                uitgenodigd_door__teamrollen__organisatie=co_organisatie(request.user, bijeenkomst),
            )
        page = Paginator(uitnodigingen, PER_PAGE).get_page(request.GET.get("page"))
        for uitnodiging in page:
            uitnodiging.reactie = _reaction(uitnodiging)
        zonder_reactie = selectors.uitnodigingen_zonder_reactie(bijeenkomst=bijeenkomst)
        ronde = selectors.volgende_herinneringsronde(bijeenkomst=bijeenkomst)
        return render(
            request,
            "bijeenkomsten/uitnodigingen.html",
            {
                "bijeenkomst": bijeenkomst,
                "page_obj": page,
                "zonder_reactie": zonder_reactie.count(),
                "te_herinneren": zonder_reactie.filter(herinneringsronde__lt=ronde).count(),
                "herinner_form": HerinnerenForm(initial={"ronde": ronde}),
                "ronde": ronde,
                "mag_herinneren": alle,
                "weigering": services.invitation_refusal(bijeenkomst=bijeenkomst),
            },
        )


def _reaction(uitnodiging) -> str:
    if uitnodiging.aanmelding_status:
        return Aanmelding.Status(uitnodiging.aanmelding_status).label
    if uitnodiging.wil_geen:
        return _("wil geen uitnodigingen")
    if uitnodiging.herinneringsronde:
        return _("nog niet gereageerd (herinnerd in ronde %(ronde)s)") % {
            "ronde": uitnodiging.herinneringsronde
        }
    return _("nog niet gereageerd")


class UitnodigenView(CoordinatorPage):
    """Choose an audience (GET), then see whom it reaches before sending (POST: a preview
    changes nothing; its page buttons and the send button carry the same choices)."""

    permission = staticmethod(can_invite)

    def get(self, request, slug):
        initial = {"leerateliers": list(self.bijeenkomst.leerateliers.values_list("pk", flat=True))}
        return self._form_page(UitnodigenForm(initial=initial))

    def post(self, request, slug):
        form = UitnodigenForm(request.POST)
        if not form.is_valid():
            return self._form_page(form, status=400)
        if "wijzigen" in request.POST:
            return self._form_page(form)
        audience = form.audience()
        resolved = selectors.resolve_audience(bijeenkomst=self.bijeenkomst, audience=audience)
        page = Paginator(resolved.invitees, PER_PAGE).get_page(request.POST.get("pagina"))
        return render(
            request,
            "bijeenkomsten/uitnodigen_voorbeeld.html",
            {
                "bijeenkomst": self.bijeenkomst,
                "form": form,
                "doelgroep": selectors.describe_audience(audience),
                "resultaat": resolved,
                "page_obj": page,
                "weigering": services.invitation_refusal(bijeenkomst=self.bijeenkomst),
            },
        )

    def _form_page(self, form, status=200):
        return render(
            self.request,
            "bijeenkomsten/uitnodigen.html",
            {
                "bijeenkomst": self.bijeenkomst,
                "form": form,
                "weigering": services.invitation_refusal(bijeenkomst=self.bijeenkomst),
            },
            status=status,
        )


class SendInvitationsView(ManageActionView):
    form_class = UitnodigenForm

    def has_permission(self, user, bijeenkomst):
        return can_invite(user, bijeenkomst)

    def perform(self, form):
        return services.invite(
            bijeenkomst=self.object,
            door=self.request.user,
            audience=form.audience(),
            persoonlijk_bericht=form.cleaned_data["persoonlijk_bericht"],
        )

    def success_message(self, result):
        parts = [
            ngettext(
                "%(aantal)s uitnodiging verstuurd.",
                "%(aantal)s uitnodigingen verstuurd.",
                result.uitgenodigd,
            )
            % {"aantal": result.uitgenodigd}
        ]
        parts.extend(_exclusion_sentences(result.audience))
        if result.tegelijk_uitgenodigd:
            parts.append(
                ngettext(
                    "%(aantal)s adres was intussen al uitgenodigd door een andere coördinator.",
                    "%(aantal)s adressen waren intussen al uitgenodigd door een andere "
                    "coördinator.",
                    result.tegelijk_uitgenodigd,
                )
                % {"aantal": result.tegelijk_uitgenodigd}
            )
        return " ".join(parts)

    def default_url(self):
        return reverse("bijeenkomsten:uitnodigen", kwargs={"slug": self.object.slug})

    def get_success_url(self, result):
        return reverse("bijeenkomsten:uitnodigingen", kwargs={"slug": self.object.slug})


def _exclusion_sentences(resolved) -> list[str]:
    sentences = []
    if resolved.excluded_count:
        sentences.append(
            ngettext(
                "%(aantal)s adres overgeslagen (%(redenen)s).",
                "%(aantal)s adressen overgeslagen (%(redenen)s).",
                resolved.excluded_count,
            )
            % {
                "aantal": resolved.excluded_count,
                "redenen": ", ".join(
                    f"{count} {label}" for label, count in resolved.excluded_labels()
                ),
            }
        )
    if resolved.invalid:
        sentences.append(
            ngettext(
                "%(aantal)s geplakt adres was ongeldig.",
                "%(aantal)s geplakte adressen waren ongeldig.",
                len(resolved.invalid),
            )
            % {"aantal": len(resolved.invalid)}
        )
    return sentences


class RemindInvitedView(ManageActionView):
    form_class = HerinnerenForm

    def has_permission(self, user, bijeenkomst):
        # Reminds everyone invited: not for a co-organisator, who sees their own only.
        return can_manage_all_aanmeldingen(user, bijeenkomst)

    def perform(self, form):
        return services.remind_invited(
            bijeenkomst=self.object, door=self.request.user, ronde=form.cleaned_data["ronde"]
        )

    def success_message(self, aantal):
        return ngettext(
            "%(aantal)s uitgenodigde herinnerd.", "%(aantal)s uitgenodigden herinnerd.", aantal
        ) % {"aantal": aantal}

    def default_url(self):
        return reverse("bijeenkomsten:uitnodigingen", kwargs={"slug": self.object.slug})


# The invited: their personal link, no account needed (the link proves the address).

UNKNOWN_INVITATION_TITLE = gettext_lazy("Uitnodiging niet gevonden")
UNKNOWN_INVITATION_TEXT = gettext_lazy(
    "Deze link hoort niet (meer) bij een uitnodiging. Controleer of je de hele link uit de "
    "mail hebt gebruikt, of meld je aan via de pagina van de bijeenkomst."
)


class InvitationLinkView(ActionView):
    """Shared by the invitation's pages: the token is the permission; an unknown one gets a
    page that says so, with status 404."""

    http_method_names = ["get", "post"]
    login_required = False

    def dispatch(self, request, *args, **kwargs):
        self.object = selectors.uitnodiging_by_token(kwargs["token"])
        if self.object is None:
            return _notice(request, UNKNOWN_INVITATION_TITLE, UNKNOWN_INVITATION_TEXT, status=404)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        return self.object

    def has_permission(self, user, uitnodiging):
        return True

    def default_url(self):
        return self.request.path


class UitnodigingView(InvitationLinkView):
    """The invitation: the bijeenkomst and a registration form for the invited address;
    registering counts at once."""

    form_class = UitnodigingAanmeldForm

    def get(self, request, token):
        return self._page(self._form())

    def get_form(self):
        return self._form(data=self.request.POST)

    def _form(self, data=None):
        return UitnodigingAanmeldForm(
            data,
            uitnodiging=self.object,
            vragen=services.registration_questions(self.object.bijeenkomst),
        )

    def _page(self, form, status=200):
        uitnodiging = self.object
        bijeenkomst = selectors.bijeenkomst_met_bezetting(slug=uitnodiging.bijeenkomst.slug)
        return render(
            self.request,
            "bijeenkomsten/uitnodiging.html",
            {
                "uitnodiging": uitnodiging,
                "bijeenkomst": bijeenkomst,
                "form": form,
                "eigen_aanmelding": selectors.open_aanmelding_van(
                    bijeenkomst=bijeenkomst, email=uitnodiging.email
                ),
                "weigering": services.registration_refusal(bijeenkomst=bijeenkomst),
            },
            status=status,
        )

    def form_invalid(self, form):
        return self._page(form, status=400)

    def perform(self, form):
        data = form.cleaned_data
        return services.register_invited(
            uitnodiging=self.object,
            naam=data["naam"],
            taal=translation.get_language(),
            antwoorden=form.antwoorden(),
            sessies=chosen_sessions(form),
            **{field: data.get(field, "") for field in services.OPTIONAL_FIELDS},
        )

    def rule_violated(self, error):
        if getattr(error, "aanmelding", None) is not None:
            # The link proves the address: showing its registration is safe.
            messages.info(self.request, str(error))
            return HttpResponseRedirect(services.personal_link(aanmelding=error.aanmelding))
        return super().rule_violated(error)

    def success_message(self, aanmelding):
        return _registered_message(aanmelding)

    def get_success_url(self, aanmelding):
        return aanmelding.get_absolute_url()


@method_decorator(csrf_exempt, name="dispatch")
class GeenUitnodigingenView(InvitationLinkView):
    """ "Geen uitnodigingen meer": GET shows one button, so a link scanner changes nothing;
    POST puts the address on the list. Without CSRF, because a mail program sends the
    one-click POST of List-Unsubscribe-Post (RFC 8058); the token is the permission."""

    def get(self, request, token):
        return render(
            request,
            "bijeenkomsten/geen_uitnodigingen.html",
            {
                "uitnodiging": self.object,
                "al_gedaan": bool(adressen_zonder_uitnodiging([self.object.email])),
            },
        )

    def perform(self):
        return netwerk_services.opt_out_of_invitations(email=self.object.email)

    def success_message(self, result):
        return _("Je krijgt op %(email)s geen uitnodigingen meer van de Werkplaats.") % {
            "email": self.object.email
        }
