from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from bijeenkomsten import selectors, services
from bijeenkomsten.filters import BijeenkomstFilter
from bijeenkomsten.forms import AanmeldForm, CapaciteitForm, WensenForm
from bijeenkomsten.ics import calendar_for
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from bijeenkomsten.permissions import can_manage, can_view

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
        return context


def _visible_bijeenkomst(request, slug: str) -> Bijeenkomst:
    bijeenkomst = selectors.bijeenkomst_met_bezetting(slug=slug)
    if bijeenkomst is None or not can_view(request.user, bijeenkomst):
        raise Http404(_("Deze bijeenkomst bestaat niet."))
    return bijeenkomst


def _detail_context(request, bijeenkomst: Bijeenkomst, form: AanmeldForm | None = None) -> dict:
    eigen = None
    if request.user.is_authenticated:
        eigen = selectors.open_aanmelding_van(bijeenkomst=bijeenkomst, email=request.user.email)
    return {
        "bijeenkomst": bijeenkomst,
        "form": form or AanmeldForm(persoon=request.user),
        "plaatsen_vrij": bijeenkomst.plaatsen_vrij(bijeenkomst.bezet),
        "aanmelden_mogelijk": bijeenkomst.aanmelden_mogelijk(),
        "eigen_aanmelding": eigen,
        "mag_beheren": can_manage(request.user, bijeenkomst),
    }


class BijeenkomstDetailView(DetailView):
    template_name = "bijeenkomsten/bijeenkomst_detail.html"

    def get_object(self, queryset=None):
        return _visible_bijeenkomst(self.request, self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_detail_context(self.request, self.object)}


@require_POST
def aanmelden(request, slug):
    bijeenkomst = _visible_bijeenkomst(request, slug)
    form = AanmeldForm(request.POST, persoon=request.user)
    if not form.is_valid():
        context = _detail_context(request, bijeenkomst, form)
        return render(request, "bijeenkomsten/bijeenkomst_detail.html", context, status=400)
    data = form.cleaned_data
    optional = {field: data.get(field, "") for field in services.OPTIONAL_FIELDS}
    try:
        if request.user.is_authenticated:
            aanmelding = services.register(
                bijeenkomst=bijeenkomst,
                email=request.user.email,
                naam=data["naam"],
                persoon=request.user,
                aangemeld_door=request.user,
                **optional,
            )
        else:
            services.request_guest_registration(bijeenkomst=bijeenkomst, gegevens=data)
    except services.RegistrationError as error:
        if error.aanmelding is not None and request.user.is_authenticated:
            messages.info(request, error.message)
            return redirect(error.aanmelding)
        messages.error(request, error.message)
        return redirect(bijeenkomst)
    if not request.user.is_authenticated:
        messages.success(
            request,
            _(
                "Bijna klaar: we hebben een mail gestuurd naar %(email)s. Bevestig je "
                "e-mailadres via de link in die mail; pas dan telt je aanmelding."
            )
            % {"email": data["email"]},
        )
        return redirect(bijeenkomst)
    _message_for(request, aanmelding)
    return redirect(aanmelding)


def _message_for(request, aanmelding: Aanmelding) -> None:
    if aanmelding.status == Aanmelding.Status.BEVESTIGD:
        messages.success(request, _("Je aanmelding is bevestigd. Je hebt een plek."))
    else:
        messages.success(
            request,
            _("De bijeenkomst is vol. Je staat op de wachtlijst, op plaats %(positie)s.")
            % {"positie": aanmelding.wachtlijst_positie()},
        )


def _notice(request, title: str, text: str, status: int):
    return render(
        request, "bijeenkomsten/melding.html", {"titel": title, "tekst": text}, status=status
    )


class GastBevestigenView(View):
    """The link in a guest's mail: shows what will be registered; the POST makes it count."""

    def _payload(self, request, slug, ondertekend):
        bijeenkomst = _visible_bijeenkomst(request, slug)
        payload = services.read_guest_registration(bijeenkomst=bijeenkomst, ondertekend=ondertekend)
        return bijeenkomst, payload

    def get(self, request, slug, ondertekend):
        try:
            bijeenkomst, payload = self._payload(request, slug, ondertekend)
        except services.RegistrationError as error:
            return _notice(request, _("Deze link werkt niet"), error.message, status=404)
        return self._page(request, bijeenkomst, payload, WensenForm())

    def _page(self, request, bijeenkomst, payload, form, status=200):
        return render(
            request,
            "bijeenkomsten/gast_bevestigen.html",
            {"bijeenkomst": bijeenkomst, "gegevens": payload, "form": form},
            status=status,
        )

    def post(self, request, slug, ondertekend):
        bijeenkomst = _visible_bijeenkomst(request, slug)
        form = WensenForm(request.POST)
        try:
            if not form.is_valid():
                payload = services.read_guest_registration(
                    bijeenkomst=bijeenkomst, ondertekend=ondertekend
                )
                return self._page(request, bijeenkomst, payload, form, status=400)
            aanmelding = services.confirm_guest_registration(
                bijeenkomst=bijeenkomst, ondertekend=ondertekend, **form.cleaned_data
            )
        except services.RegistrationError as error:
            if error.aanmelding is not None:
                # The signed link proves the address: showing its registration is safe.
                messages.info(request, error.message)
                return redirect(error.aanmelding)
            messages.error(request, error.message)
            return redirect(bijeenkomst)
        _message_for(request, aanmelding)
        return redirect(aanmelding)


def _aanmelding_or_notice(request, token):
    aanmelding = selectors.aanmelding_by_token(token)
    if aanmelding is None:
        return None, _notice(
            request,
            _("Aanmelding niet gevonden"),
            _(
                "Deze link hoort niet (meer) bij een aanmelding. Controleer of je de hele "
                "link uit de mail hebt gebruikt, of meld je opnieuw aan via de pagina van "
                "de bijeenkomst."
            ),
            status=404,
        )
    return aanmelding, None


class AanmeldingView(View):
    """A person's own registration, reached through their personal link, no account needed."""

    def get(self, request, token):
        aanmelding, notice = _aanmelding_or_notice(request, token)
        if notice:
            return notice
        now = timezone.now()
        return render(
            request,
            "bijeenkomsten/aanmelding_detail.html",
            {
                "aanmelding": aanmelding,
                "bijeenkomst": aanmelding.bijeenkomst,
                "positie": aanmelding.wachtlijst_positie(),
                "kan_claimen": aanmelding.status == Aanmelding.Status.AANGEBODEN
                and aanmelding.aanbod_tot > now,
                "voorbij": aanmelding.bijeenkomst.eind < now,
            },
        )


def _token_action(service, success_message):
    @require_POST
    def view(request, token):
        aanmelding, notice = _aanmelding_or_notice(request, token)
        if notice:
            return notice
        try:
            service(aanmelding=aanmelding)
        except services.RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success_message())
        return redirect(aanmelding)

    return view


annuleren = _token_action(services.cancel, lambda: _("Je aanmelding is geannuleerd."))
claimen = _token_action(services.claim, lambda: _("Je hebt de plek geclaimd. Tot dan!"))
afwijzen = _token_action(
    services.decline, lambda: _("Je hebt de plek afgewezen. Hij gaat naar de volgende.")
)


def _managed_bijeenkomst(request, slug) -> Bijeenkomst:
    bijeenkomst = get_object_or_404(Bijeenkomst, slug=slug)
    if not can_manage(request.user, bijeenkomst):
        raise PermissionDenied
    return bijeenkomst


class AanmeldingenView(View):
    """For coördinatoren: who is registered, cancel on someone's behalf, capacity."""

    def get(self, request, slug):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        bijeenkomst = _managed_bijeenkomst(request, slug)
        groups = selectors.aanmeldingen_per_status(bijeenkomst=bijeenkomst)
        return render(
            request,
            "bijeenkomsten/aanmeldingen.html",
            {
                "bijeenkomst": bijeenkomst,
                "groepen": [(label, groups[status]) for status, label in Aanmelding.Status.choices],
                "capaciteit_form": CapaciteitForm(initial={"capaciteit": bijeenkomst.capaciteit}),
            },
        )


@require_POST
def capaciteit_wijzigen(request, slug):
    bijeenkomst = _managed_bijeenkomst(request, slug)
    form = CapaciteitForm(request.POST)
    if form.is_valid():
        services.change_capacity(
            bijeenkomst=bijeenkomst, capaciteit=form.cleaned_data["capaciteit"], door=request.user
        )
        messages.success(request, _("De capaciteit is aangepast."))
    else:
        messages.error(request, _("Vul een heel getal van 0 of meer in, of laat het veld leeg."))
    return redirect("bijeenkomsten:aanmeldingen", slug=bijeenkomst.slug)


@require_POST
def annuleren_namens(request, slug, pk):
    bijeenkomst = _managed_bijeenkomst(request, slug)
    aanmelding = get_object_or_404(bijeenkomst.aanmeldingen, pk=pk)
    try:
        services.cancel(aanmelding=aanmelding, door=request.user)
    except services.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("De aanmelding van %(naam)s is geannuleerd.") % {"naam": aanmelding.naam}
        )
    return redirect("bijeenkomsten:aanmeldingen", slug=bijeenkomst.slug)


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
    bijeenkomsten = Bijeenkomst.objects.zichtbaar().komend()
    return _ics_response(calendar_for(bijeenkomsten), "bijeenkomsten.ics")
