from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from leerateliers import permissions, selectors, services
from leerateliers.filters import LeeratelierFilter
from leerateliers.forms import MergeForm
from leerateliers.models import Deelname, Leeratelier
from leerateliers.tokens import InvalidDecisionLink, read_decision_token
from themas import selectors as thema_selectors
from werkplaats.http import redirect_back


class LeeratelierListView(FilterView):
    filterset_class = LeeratelierFilter
    template_name = "leerateliers/leeratelier_list.html"
    paginate_by = 12

    def get_queryset(self):
        return selectors.leerateliers_voor_lijst()


class LeeratelierDetailView(DetailView):
    template_name = "leerateliers/leeratelier_detail.html"
    context_object_name = "leeratelier"

    def get_object(self, queryset=None):
        try:
            return selectors.leeratelier_voor_pagina(slug=self.kwargs["slug"])
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
            deelnemers=selectors.deelnemers(leeratelier),
            themas=thema_selectors.themas_van_leeratelier(leeratelier),
            deelname=selectors.open_deelname(persoon=user, leeratelier=leeratelier),
            is_trekker=user.is_authenticated
            and any(trekker.pk == user.pk for trekker in leeratelier.trekkers.all()),
            can_merge=permissions.can_merge_leeratelier(user)
            and leeratelier.status == Leeratelier.Status.ACTIEF,
        )
        if context["can_merge"]:
            context["merge_form"] = MergeForm(bron=leeratelier)
        return context


class ActionView(View):
    """POST only; anonymous callers are refused like any other caller without the right."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class JoinView(ActionView):
    def post(self, request, slug):
        leeratelier = get_object_or_404(Leeratelier, slug=slug)
        rol = request.POST.get("rol", "")
        try:
            deelname = services.join_leeratelier(
                persoon=request.user, leeratelier=leeratelier, rol=rol
            )
        except services.DeelnameError as error:
            messages.error(request, str(error))
        else:
            if deelname.status == Deelname.Status.AANGEVRAAGD:
                messages.success(
                    request,
                    _("Je aanvraag voor de arena is verstuurd naar de trekkers van %(atelier)s.")
                    % {"atelier": leeratelier.naam},
                )
            else:
                messages.success(
                    request,
                    _("Je volgt %(atelier)s nu vanaf de tribune.") % {"atelier": leeratelier.naam},
                )
        return redirect_back(request, leeratelier.get_absolute_url())


class OwnDeelnameMixin:
    def get_deelname(self, request, pk) -> Deelname:
        deelname = get_object_or_404(Deelname.objects.select_related("leeratelier"), pk=pk)
        # Someone else's deelname does not exist as far as this caller knows.
        if not permissions.can_manage_deelname(request.user, deelname):
            raise Http404
        return deelname


class SwitchView(OwnDeelnameMixin, ActionView):
    def post(self, request, pk):
        deelname = self.get_deelname(request, pk)
        rol = request.POST.get("rol", "")
        try:
            deelname = services.switch_rol(deelname=deelname, rol=rol)
        except services.DeelnameError as error:
            messages.error(request, str(error))
        else:
            if deelname.wacht_op_arena:
                messages.success(
                    request,
                    _(
                        "Je aanvraag voor de arena is verstuurd. Tot de trekkers besluiten, "
                        "volg je het leeratelier vanaf de tribune."
                    ),
                )
            else:
                messages.success(request, _("Je volgt het leeratelier nu vanaf de tribune."))
        return redirect_back(request, deelname.leeratelier.get_absolute_url())


class LeaveView(OwnDeelnameMixin, ActionView):
    def post(self, request, pk):
        deelname = self.get_deelname(request, pk)
        try:
            services.leave_leeratelier(deelname=deelname)
        except services.DeelnameError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Je doet niet meer mee aan %(atelier)s.") % {"atelier": deelname.leeratelier},
            )
        return redirect_back(request, deelname.leeratelier.get_absolute_url())


class DecideView(ActionView):
    approve = True

    def post(self, request, pk):
        deelname = get_object_or_404(
            Deelname.objects.select_related("leeratelier", "persoon"), pk=pk
        )
        if not permissions.can_decide_deelname(request.user, deelname):
            raise PermissionDenied
        decide = services.approve_arena if self.approve else services.decline_arena
        try:
            decide(deelname=deelname, door=request.user)
        except services.DeelnameError as error:
            messages.error(request, str(error))
        else:
            text = (
                _("%(naam)s doet nu mee in de arena van %(atelier)s.")
                if self.approve
                else _("De aanvraag van %(naam)s voor %(atelier)s is afgewezen.")
            )
            messages.success(
                request, text % {"naam": deelname.persoon.naam, "atelier": deelname.leeratelier}
            )
        return redirect_back(request, deelname.leeratelier.get_absolute_url())


class DecisionLinkView(LoginRequiredMixin, TemplateView):
    """The page a trekker reaches from the mail: the request, with approve and decline."""

    template_name = "leerateliers/besluit.html"

    def get(self, request, token):
        try:
            deelname_id, aangevraagd_op = read_decision_token(token)
        except InvalidDecisionLink as error:
            return self.render_to_response({"fout": error.reason}, status=400)
        deelname = (
            Deelname.objects.select_related("leeratelier", "persoon", "organisatie")
            .filter(pk=deelname_id)
            .first()
        )
        if deelname is None:
            return self.render_to_response({"fout": "tampered"}, status=400)
        if not permissions.can_decide_deelname(request.user, deelname):
            raise PermissionDenied
        beslist = not deelname.wacht_op_arena or deelname.arena_aangevraagd_op != aangevraagd_op
        return self.render_to_response({"deelname": deelname, "beslist": beslist})


class MergeView(ActionView):
    def post(self, request, slug):
        if not permissions.can_merge_leeratelier(request.user):
            raise PermissionDenied
        bron = get_object_or_404(Leeratelier, slug=slug)
        form = MergeForm(request.POST, bron=bron)
        if not form.is_valid():
            messages.error(request, _("Kies het leeratelier om mee samen te voegen."))
            return HttpResponseRedirect(bron.get_absolute_url())
        doel = form.cleaned_data["doel"]
        try:
            result = services.merge_leeratelier(bron=bron, doel=doel)
        except services.DeelnameError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(bron.get_absolute_url())
        messages.success(
            request,
            _(
                "%(bron)s is samengevoegd met %(doel)s: %(verplaatst)s deelnames en "
                "%(praktijken)s lerende praktijken verhuisd."
            )
            % {
                "bron": bron.naam,
                "doel": doel.naam,
                "verplaatst": result.verplaatst + result.samengevoegd,
                "praktijken": result.lerende_praktijken,
            },
        )
        return HttpResponseRedirect(doel.get_absolute_url())
