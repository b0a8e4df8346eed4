"""The team's pages for a bijeenkomst's programme (issue 21, point 1): the programme in
time order with the places of its deelsessies, a page to add or change an item with its
sprekers, and removing one; the materials of an item (point 8) and their download. Who may
keep them is `permissions.can_edit_programme`."""

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View

from bijeenkomsten import selectors, services
from bijeenkomsten.forms import MateriaalForm, OnderdeelForm
from bijeenkomsten.models import Bijeenkomst, Materiaal, ProgrammaOnderdeel
from bijeenkomsten.permissions import can_edit_programme, can_view_materiaal
from werkplaats.actions import ActionView, FormPageActionView
from werkplaats.bestanden import download_response

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
            {
                "bijeenkomst": self.object,
                "programma": selectors.met_materialen(
                    selectors.programma_van(self.object), bijeenkomst=self.object, alle=True
                ),
            },
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


class MaterialenView(_ProgrammaMixin, FormPageActionView):
    """An item's materials, each with a button to remove it, and the form to add slides
    (through the kennisbank's checked upload) or a link."""

    form_class = MateriaalForm
    template_name = "bijeenkomsten/materialen.html"

    def get_page_context(self):
        onderdeel = self.onderdeel()
        return {
            "bijeenkomst": self.object,
            "onderdeel": onderdeel,
            "materialen": list(onderdeel.materialen.all()),
        }

    def perform(self, form):
        data = form.cleaned_data
        return services.add_materiaal(
            onderdeel=self.onderdeel(),
            door=self.request.user,
            titel=data["titel"],
            link=data["link"],
            bestand=data["bestand"],
            bestand_type=getattr(form, "bestand_type", ""),
            direct_tonen=data["direct_tonen"],
        )

    def success_message(self, materiaal):
        return _("“%(titel)s” staat bij %(onderdeel)s.") % {
            "titel": materiaal.titel,
            "onderdeel": materiaal.onderdeel.titel,
        }

    def get_success_url(self, materiaal):
        return _materialen_url(self.object, self.onderdeel())


def _materialen_url(bijeenkomst, onderdeel) -> str:
    return reverse(
        "bijeenkomsten:materialen", kwargs={"slug": bijeenkomst.slug, "pk": onderdeel.pk}
    )


class DeleteMateriaalView(_ProgrammaMixin, ActionView):
    def materiaal(self) -> Materiaal:
        return get_object_or_404(Materiaal, pk=self.kwargs["materiaal"], onderdeel=self.onderdeel())

    def perform(self):
        return services.delete_materiaal(materiaal=self.materiaal())

    def success_message(self, materiaal):
        return _("“%(titel)s” is weggehaald.") % {"titel": materiaal.titel}

    def default_url(self):
        return _materialen_url(self.object, self.onderdeel())


class MateriaalBestandView(View):
    """A material's file, for whoever may see the material (permissions.can_view_materiaal);
    for anyone else it does not exist."""

    def get(self, request, slug, pk):
        materiaal = get_object_or_404(
            Materiaal.objects.select_related("onderdeel__bijeenkomst"),
            pk=pk,
            onderdeel__bijeenkomst__slug=slug,
        )
        if not materiaal.bestand or not can_view_materiaal(request.user, materiaal):
            raise Http404(_("Dit bestand bestaat niet."))
        return download_response(
            materiaal.bestand,
            filename=slugify(materiaal.titel)[:80] or "materiaal",
            soort=materiaal.bestand_type,
            private=not can_view_materiaal(AnonymousUser(), materiaal),
        )
