from functools import partial

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from kennisbank import selectors as kennisbank_selectors
from leerateliers import permissions, selectors, services
from leerateliers.filters import LeeratelierFilter
from leerateliers.forms import LeeratelierForm, LerendePraktijkForm, MergeForm
from leerateliers.models import Deelname, Leeratelier, LerendePraktijk
from leerateliers.tokens import InvalidDecisionLink, read_decision_token
from themas import selectors as thema_selectors
from themas.rendering import render_markdown
from werkplaats.actions import ActionView, PreviewFormPageActionView


class LeeratelierListView(FilterView):
    filterset_class = LeeratelierFilter
    template_name = "leerateliers/leeratelier_list.html"
    paginate_by = 12

    def get_queryset(self):
        return selectors.leerateliers_voor_lijst()


def _praktijken_met_producten(leeratelier) -> list[LerendePraktijk]:
    """The atelier's lerende praktijken, each with the kennisproducten it produced."""
    praktijken = list(selectors.lerende_praktijken_van(leeratelier))
    producten = kennisbank_selectors.producten_per_praktijk(praktijken)
    for praktijk in praktijken:
        praktijk.kennisproducten_lijst = producten.get(praktijk.pk, [])
    return praktijken


class LeeratelierDetailView(DetailView):
    template_name = "leerateliers/leeratelier_detail.html"
    context_object_name = "leeratelier"

    def get_object(self, queryset=None):
        try:
            return selectors.leeratelier_voor_pagina(
                slug=self.kwargs["slug"], kijker=self.request.user
            )
        except Leeratelier.DoesNotExist as error:
            raise Http404 from error

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.status == Leeratelier.Status.SAMENGEVOEGD:
            doel = selectors.samengevoegd_doel(self.object)
            return HttpResponsePermanentRedirect(doel.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        leeratelier = self.object
        context.update(
            # Read only when the part of the page that shows them is not in the cache.
            deelnemers=SimpleLazyObject(partial(selectors.deelnemers, leeratelier)),
            lerende_praktijken=SimpleLazyObject(partial(_praktijken_met_producten, leeratelier)),
            producten=SimpleLazyObject(
                partial(kennisbank_selectors.producten_van, leeratelier=leeratelier)
            ),
            filter_url=f"{reverse('kennisbank:lijst')}?leeratelier={leeratelier.slug}",
            themas=thema_selectors.themas_van_leeratelier(leeratelier),
            deelname=selectors.open_deelname(persoon=user, leeratelier=leeratelier),
            is_trekker=permissions.is_trekker(user, leeratelier),
            kan_bewerken=permissions.can_edit_leeratelier(user, leeratelier),
            can_merge=permissions.can_merge_leeratelier(user)
            and leeratelier.status == Leeratelier.Status.ACTIEF,
        )
        if context["can_merge"]:
            context["merge_form"] = MergeForm(bron=leeratelier)
        return context


class JoinView(ActionView):
    def get_object(self):
        return get_object_or_404(Leeratelier, slug=self.kwargs["slug"])

    def has_permission(self, user, leeratelier):
        return user.is_authenticated

    def perform(self):
        return services.join_leeratelier(
            persoon=self.request.user, leeratelier=self.object, rol=self.request.POST.get("rol", "")
        )

    def success_message(self, deelname):
        if deelname.status == Deelname.Status.AANGEVRAAGD:
            return _("Je aanvraag voor de arena is verstuurd naar de trekkers van %(atelier)s.") % {
                "atelier": self.object.naam
            }
        return _("Je volgt %(atelier)s nu vanaf de tribune.") % {"atelier": self.object.naam}


class OwnDeelnameActionView(ActionView):
    def get_object(self):
        deelname = get_object_or_404(
            Deelname.objects.select_related("leeratelier"), pk=self.kwargs["pk"]
        )
        # Someone else's deelname does not exist as far as this caller knows.
        if not permissions.can_manage_deelname(self.request.user, deelname):
            raise Http404
        return deelname

    def has_permission(self, user, deelname):
        return permissions.can_manage_deelname(user, deelname)

    def default_url(self):
        return self.object.leeratelier.get_absolute_url()


class SwitchView(OwnDeelnameActionView):
    def perform(self):
        return services.switch_rol(deelname=self.object, rol=self.request.POST.get("rol", ""))

    def success_message(self, deelname):
        if deelname.wacht_op_arena:
            return _(
                "Je aanvraag voor de arena is verstuurd. Tot de trekkers besluiten, "
                "volg je het leeratelier vanaf de tribune."
            )
        return _("Je volgt het leeratelier nu vanaf de tribune.")


class LeaveView(OwnDeelnameActionView):
    def perform(self):
        return services.leave_leeratelier(deelname=self.object)

    def success_message(self, deelname):
        return _("Je doet niet meer mee aan %(atelier)s.") % {"atelier": deelname.leeratelier}


class DecideView(ActionView):
    approve = True

    def get_object(self):
        return get_object_or_404(
            Deelname.objects.select_related("leeratelier", "persoon"), pk=self.kwargs["pk"]
        )

    def has_permission(self, user, deelname):
        return permissions.can_decide_deelname(user, deelname)

    def default_url(self):
        return self.object.leeratelier.get_absolute_url()

    def perform(self):
        decide = services.approve_arena if self.approve else services.decline_arena
        return decide(deelname=self.object, door=self.request.user)

    def success_message(self, deelname):
        text = (
            _("%(naam)s doet nu mee in de arena van %(atelier)s.")
            if self.approve
            else _("De aanvraag van %(naam)s voor %(atelier)s is afgewezen.")
        )
        return text % {"naam": deelname.persoon.naam, "atelier": deelname.leeratelier}


class DecisionLinkView(LoginRequiredMixin, TemplateView):
    """The page a trekker reaches from the mail: the request, with approve and decline."""

    template_name = "leerateliers/besluit.html"

    def get(self, request, token):
        try:
            deelname_id, _aangevraagd_op = read_decision_token(token)
        except InvalidDecisionLink as error:
            return self.render_to_response({"fout": error.reason}, status=400)
        deelname = selectors.deelname_voor_besluit(deelname_id)
        if deelname is None:
            return self.render_to_response({"fout": "tampered"}, status=400)
        if not permissions.can_decide_deelname(request.user, deelname):
            raise PermissionDenied
        # The request as it stands now: after switching to the tribune and back the person
        # asks again, and that request is mailed to nobody a second time (services).
        return self.render_to_response(
            {"deelname": deelname, "beslist": not deelname.wacht_op_arena}
        )


class MergeView(ActionView):
    form_class = MergeForm

    def get_object(self):
        return get_object_or_404(Leeratelier, slug=self.kwargs["slug"])

    def has_permission(self, user, bron):
        return permissions.can_merge_leeratelier(user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bron": self.object}

    def form_invalid(self, form):
        messages.error(self.request, _("Kies het leeratelier om mee samen te voegen."))
        return HttpResponseRedirect(self.object.get_absolute_url())

    def perform(self, form):
        return services.merge_leeratelier(bron=self.object, doel=form.cleaned_data["doel"])

    def success_message(self, result):
        return _(
            "%(bron)s is samengevoegd met %(doel)s: %(verplaatst)s deelnames en "
            "%(praktijken)s lerende praktijken verhuisd."
        ) % {
            "bron": self.object.naam,
            "doel": self.form.cleaned_data["doel"].naam,
            "verplaatst": result.verplaatst + result.samengevoegd,
            "praktijken": result.lerende_praktijken,
        }

    def get_success_url(self, result):
        return self.form.cleaned_data["doel"].get_absolute_url()


class PageEditView(PreviewFormPageActionView):
    """Edit a page with a Markdown `beschrijving`: preview it, save it, see its history."""

    def preview(self, form):
        return {"voorbeeld": render_markdown(form.cleaned_data["beschrijving"])}

    def get_page_context(self):
        return {
            "leeratelier": self.leeratelier,
            "wijzigingen": selectors.wijzigingen_van(self.leeratelier),
            "acties": {"voorbeeld": self.PREVIEW},
        }

    def get_success_url(self, result):
        return self.leeratelier.get_absolute_url()


class LeeratelierEditView(PageEditView):
    form_class = LeeratelierForm
    template_name = "leerateliers/leeratelier_form.html"

    def get_object(self):
        self.leeratelier = get_object_or_404(
            Leeratelier.objects.exclude(status=Leeratelier.Status.SAMENGEVOEGD),
            slug=self.kwargs["slug"],
        )
        return self.leeratelier

    def has_permission(self, user, leeratelier):
        return permissions.can_edit_leeratelier(user, leeratelier)

    def get_initial_form(self):
        return LeeratelierForm(instance=self.object)

    def get_page_context(self):
        return {
            **super().get_page_context(),
            "lerende_praktijken": self.leeratelier.lerende_praktijken.only("pk", "titel"),
        }

    def perform(self, form):
        return services.edit_leeratelier(
            leeratelier=self.object, door=self.request.user, **form.cleaned_data
        )

    def success_message(self, leeratelier):
        return _("De pagina van het leeratelier is opgeslagen.")


class LerendePraktijkEditView(PageEditView):
    """Add a lerende praktijk to an atelier (`slug`) or edit one (`pk`)."""

    form_class = LerendePraktijkForm
    template_name = "leerateliers/lerende_praktijk_form.html"

    def get_object(self):
        if "pk" in self.kwargs:
            praktijk = get_object_or_404(
                LerendePraktijk.objects.select_related("leeratelier"), pk=self.kwargs["pk"]
            )
            self.leeratelier = praktijk.leeratelier
            return praktijk
        self.leeratelier = get_object_or_404(
            Leeratelier.objects.exclude(status=Leeratelier.Status.SAMENGEVOEGD),
            slug=self.kwargs["slug"],
        )
        return None

    def has_permission(self, user, praktijk):
        if praktijk is not None:
            return permissions.can_edit_lerende_praktijk(user, praktijk)
        return permissions.can_edit_leeratelier(user, self.leeratelier)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "leeratelier": self.leeratelier,
            "praktijk": self.object,
        }

    def get_initial_form(self):
        return LerendePraktijkForm(
            instance=self.object, leeratelier=self.leeratelier, praktijk=self.object
        )

    def get_page_context(self):
        return {**super().get_page_context(), "praktijk": self.object}

    def perform(self, form):
        return services.save_lerende_praktijk(
            leeratelier=self.leeratelier,
            praktijk=self.object,
            door=self.request.user,
            **form.cleaned_data,
        )

    def success_message(self, praktijk):
        return _("De lerende praktijk %(titel)s is opgeslagen.") % {"titel": praktijk.titel}
