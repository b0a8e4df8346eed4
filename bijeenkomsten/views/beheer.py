"""The coördinator's pages of one bijeenkomst: the registrations and what to do with them."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from bijeenkomsten import selectors, services
from bijeenkomsten.forms import CapaciteitForm
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from bijeenkomsten.permissions import can_change_bijeenkomst, can_manage_aanmeldingen
from werkplaats.actions import ActionView


class AanmeldingenView(View):
    """For coördinatoren: who is registered, cancel on someone's behalf, capacity, and
    what coördinatoren did."""

    def get(self, request, slug):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        bijeenkomst = get_object_or_404(Bijeenkomst, slug=slug)
        if not can_manage_aanmeldingen(request.user, bijeenkomst):
            raise PermissionDenied
        groups = selectors.aanmeldingen_per_status(bijeenkomst=bijeenkomst)
        return render(
            request,
            "bijeenkomsten/aanmeldingen.html",
            {
                "bijeenkomst": bijeenkomst,
                "groepen": [(label, groups[status]) for status, label in Aanmelding.Status.choices],
                "capaciteit_form": CapaciteitForm(initial={"capaciteit": bijeenkomst.capaciteit}),
                "mag_capaciteit_wijzigen": can_change_bijeenkomst(request.user, bijeenkomst),
                "handelingen": selectors.handelingen(bijeenkomst=bijeenkomst),
            },
        )


class ManageActionView(ActionView):
    """A coördinator's action on one bijeenkomst; back to its aanmeldingen page."""

    def get_object(self):
        return get_object_or_404(Bijeenkomst, slug=self.kwargs["slug"])

    def default_url(self):
        return reverse("bijeenkomsten:aanmeldingen", kwargs={"slug": self.object.slug})


class ChangeCapacityView(ManageActionView):
    form_class = CapaciteitForm

    def has_permission(self, user, bijeenkomst):
        return can_change_bijeenkomst(user, bijeenkomst)

    def perform(self, form):
        return services.change_capacity(
            bijeenkomst=self.object,
            capaciteit=form.cleaned_data["capaciteit"],
            door=self.request.user,
        )

    def success_message(self, result):
        return _("De capaciteit is aangepast.")


class CancelOnBehalfView(ManageActionView):
    def has_permission(self, user, bijeenkomst):
        return can_manage_aanmeldingen(user, bijeenkomst)

    def perform(self):
        aanmelding = get_object_or_404(self.object.aanmeldingen, pk=self.kwargs["pk"])
        return services.cancel(aanmelding=aanmelding, door=self.request.user)

    def success_message(self, aanmelding):
        return _("De aanmelding van %(naam)s is geannuleerd.") % {"naam": aanmelding.naam}
