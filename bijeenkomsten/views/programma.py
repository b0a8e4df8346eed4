"""The team's pages for a bijeenkomst's programme (issue 21, point 1): the programme in
time order with the places of its deelsessies, a page to add or change an item with its
sprekers, and removing one. Who may is `permissions.can_edit_programme`."""

from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten import selectors, services
from bijeenkomsten.forms import OnderdeelForm
from bijeenkomsten.models import Bijeenkomst, ProgrammaOnderdeel
from bijeenkomsten.permissions import can_edit_programme
from werkplaats.actions import ActionView, FormPageActionView

FIELDS = ["soort", "titel", "start", "eind", "zaal", "beschrijving", "ronde", "wachtlijst_open"]


class _ProgrammaMixin:
    def get_object(self):
        return get_object_or_404(Bijeenkomst, slug=self.kwargs["slug"])

    def has_permission(self, user, bijeenkomst):
        return can_edit_programme(user, bijeenkomst)

    def onderdeel(self) -> ProgrammaOnderdeel | None:
        """The item of the URL, only as an item of this bijeenkomst (else 404)."""
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_onderdeel"):
            self._onderdeel = get_object_or_404(
                ProgrammaOnderdeel.objects.select_related("ronde"),
                bijeenkomst=self.object,
                pk=self.kwargs["pk"],
            )
        return self._onderdeel

    def default_url(self):
        return reverse("bijeenkomsten:programma", kwargs={"slug": self.object.slug})


class ProgrammaView(_ProgrammaMixin, ActionView):
    """The programme as the team keeps it (GET only: its buttons post elsewhere)."""

    http_method_names = ["get"]
    template_name = "bijeenkomsten/programma.html"

    def get(self, request, *args, **kwargs):
        self.check_permission()
        return render(
            request,
            self.template_name,
            {"bijeenkomst": self.object, "programma": selectors.programma_van(self.object)},
        )


class OnderdeelFormView(_ProgrammaMixin, FormPageActionView):
    """Add an item (no pk) or change one (pk), with its sprekers; a deelsessie's new
    capacity goes through `change_session_capacity`, so freed places reach its wachtlijst."""

    form_class = OnderdeelForm
    template_name = "bijeenkomsten/onderdeel_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bijeenkomst": self.object}

    def get_initial_form(self):
        onderdeel = self.onderdeel()
        if onderdeel is None:
            soort = self.request.GET.get("soort")
            initial = {"soort": soort} if soort in ProgrammaOnderdeel.Soort.values else {}
            ronde = self.object.programma.filter(
                soort=ProgrammaOnderdeel.Soort.RONDE,
                pk=int(r) if (r := self.request.GET.get("ronde", "")).isdigit() else None,
            ).first()
            if ronde is not None:
                # A deelsessie of a ronde runs when the ronde does, unless the team says so.
                initial.update(
                    soort=ProgrammaOnderdeel.Soort.DEELSESSIE,
                    ronde=ronde.pk,
                    start=timezone.localtime(ronde.start),
                    eind=timezone.localtime(ronde.eind),
                )
            return OnderdeelForm(bijeenkomst=self.object, initial=initial)
        tz = timezone.get_current_timezone()
        initial = {
            **{name: getattr(onderdeel, name) for name in FIELDS},
            "start": timezone.localtime(onderdeel.start, tz),
            "eind": timezone.localtime(onderdeel.eind, tz),
            "capaciteit": onderdeel.capaciteit,
        }
        sprekers = [
            {"email": s.persoon.email if s.persoon else "", "naam": s.naam, "bio": s.bio}
            for s in onderdeel.sprekers.select_related("persoon")
        ]
        return OnderdeelForm(bijeenkomst=self.object, initial=initial, sprekers_initial=sprekers)

    def get_page_context(self):
        return {"bijeenkomst": self.object, "onderdeel": self.onderdeel()}

    def perform(self, form):
        data = form.cleaned_data
        onderdeel = self.onderdeel()
        is_sessie = data["soort"] == ProgrammaOnderdeel.Soort.DEELSESSIE
        capaciteit = data["capaciteit"] if is_sessie else None
        if onderdeel is not None:
            # A copy: a refused change must not show on the page as if it were saved.
            onderdeel = ProgrammaOnderdeel.objects.get(pk=onderdeel.pk)
        with transaction.atomic():
            saved = services.save_onderdeel(
                bijeenkomst=self.object,
                onderdeel=onderdeel,
                capaciteit=capaciteit,
                sprekers=form.spreker_invoer(),
                **{name: data[name] for name in FIELDS},
            )
            if onderdeel is not None and is_sessie and saved.capaciteit != capaciteit:
                saved = services.change_session_capacity(deelsessie=saved, capaciteit=capaciteit)
        return saved

    def success_message(self, onderdeel):
        return _("“%(titel)s” staat in het programma.") % {"titel": onderdeel.titel}

    def get_success_url(self, onderdeel):
        return f"{self.default_url()}#onderdeel-{onderdeel.pk}"


class DeleteOnderdeelView(_ProgrammaMixin, ActionView):
    def perform(self):
        return services.delete_onderdeel(onderdeel=self.onderdeel())

    def success_message(self, onderdeel):
        return _("“%(titel)s” is uit het programma gehaald.") % {"titel": onderdeel.titel}
