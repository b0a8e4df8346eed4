from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from leerateliers.models import Leeratelier
from themas import selectors, services
from themas.filters import UpdateFilter
from themas.forms import UpdateForm, VolgForm
from themas.models import Thema, Update
from themas.permissions import can_edit_update, can_write_update_for
from themas.rendering import MarkdownRefused, render_markdown
from werkplaats.actions import ActionView
from werkplaats.exceptions import RuleViolation


class ThemaListView(ListView):
    template_name = "themas/thema_list.html"
    context_object_name = "themas"
    paginate_by = 12

    def get_queryset(self):
        return selectors.themas_voor_lijst()


class ThemaDetailView(DetailView):
    template_name = "themas/thema_detail.html"
    context_object_name = "thema"

    def get_object(self, queryset=None):
        try:
            return selectors.thema_voor_pagina(slug=self.kwargs["slug"])
        except Thema.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["leerateliers"] = selectors.leerateliers_van_thema(self.object)
        return context


class UpdateListView(FilterView):
    template_name = "themas/update_list.html"
    filterset_class = UpdateFilter
    context_object_name = "updates"
    paginate_by = 10

    def get_queryset(self):
        return selectors.updates_voor_lijst()


class UpdateDetailView(DetailView):
    template_name = "themas/update_detail.html"
    context_object_name = "update"

    def get_object(self, queryset=None):
        try:
            update = selectors.update_voor_pagina(slug=self.kwargs["slug"])
        except Update.DoesNotExist as error:
            raise Http404 from error
        # Unpublished updates exist only for those who may write them.
        if update.status != Update.Status.GEPUBLICEERD and not can_edit_update(
            self.request.user, update
        ):
            raise Http404
        return update

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, kan_bewerken=can_edit_update(self.request.user, self.object)
        )


class UpdateWriteView(LoginRequiredMixin, TemplateView):
    """Write a new update (for a thema or leeratelier) or edit one; preview, save, plan or
    publish from the same form."""

    template_name = "themas/update_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.update = None
        self.thema = self.leeratelier = None
        if "slug" in kwargs:
            self.update = get_object_or_404(Update, slug=kwargs["slug"])
            self.thema, self.leeratelier = self.update.thema, self.update.leeratelier
        elif kwargs.get("soort") == "thema":
            self.thema = get_object_or_404(Thema, slug=kwargs["onderwerp"])
        else:
            self.leeratelier = get_object_or_404(Leeratelier, slug=kwargs["onderwerp"])
        if request.user.is_authenticated and not can_write_update_for(
            request.user, thema=self.thema, leeratelier=self.leeratelier
        ):
            raise PermissionDenied(_("Alleen de trekkers en coördinatoren schrijven hier updates."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        initial = {}
        if self.update:
            initial = {
                "titel": self.update.titel,
                "samenvatting": self.update.samenvatting,
                "tekst": self.update.tekst,
                "vermelde_leerateliers": self.update.vermelde_leerateliers.all(),
                "voorwaarden": self.update.voorwaarden.all(),
                "afbeelding_alt": self.update.afbeelding_alt,
                "publiceren_op": self.update.publiceren_op,
            }
        return self.render_to_response(
            self.get_context_data(form=UpdateForm(initial=initial, update=self.update))
        )

    def post(self, request, *args, **kwargs):
        form = UpdateForm(request.POST, request.FILES, update=self.update)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        if data["actie"] == UpdateForm.Actie.VOORBEELD:
            try:
                voorbeeld = render_markdown(data["tekst"])
            except MarkdownRefused as error:
                form.add_error("tekst", str(error))
                return self.render_to_response(self.get_context_data(form=form), status=400)
            return self.render_to_response(self.get_context_data(form=form, voorbeeld=voorbeeld))
        try:
            update = services.write_update(
                actie=data["actie"],
                publiceren_op=data["publiceren_op"],
                update=self.update,
                auteur=request.user,
                thema=self.thema,
                leeratelier=self.leeratelier,
                titel=data["titel"],
                samenvatting=data["samenvatting"],
                tekst=data["tekst"],
                vermelde_leerateliers=data["vermelde_leerateliers"],
                voorwaarden=data["voorwaarden"],
                afbeelding=data["afbeelding"],
                afbeelding_alt=data["afbeelding_alt"],
            )
        except RuleViolation as error:
            field = "tekst" if isinstance(error, MarkdownRefused) else None
            form.add_error(field, str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if data["actie"] == UpdateForm.Actie.INPLANNEN:
            moment = date_format(localtime(update.publiceren_op), "j F Y H:i")
            messages.success(request, _("De update verschijnt op %s.") % moment)
        elif data["actie"] == UpdateForm.Actie.PUBLICEREN:
            messages.success(request, _("De update is gepubliceerd."))
        else:
            messages.success(request, _("Het concept is opgeslagen."))
        return redirect(update.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            update=self.update,
            onderwerp=self.thema or self.leeratelier,
            acties=UpdateForm.Actie,
        )


class UpdateActionView(ActionView):
    """Publish or withdraw an update."""

    def get_object(self):
        return get_object_or_404(Update, slug=self.kwargs["slug"])

    def has_permission(self, user, update):
        return can_edit_update(user, update)

    def get_success_url(self, update):
        return update.get_absolute_url()


class PublishView(UpdateActionView):
    def perform(self):
        return services.publish_update(update_id=self.object.pk)

    def success_message(self, update):
        return _("De update is gepubliceerd.")


class WithdrawView(UpdateActionView):
    def perform(self):
        return services.withdraw_update(update=self.object)

    def success_message(self, update):
        return _("De update is ingetrokken.")


class FollowView(ActionView):
    """Follow a thema or leeratelier, or change how its updates are mailed."""

    form_class = VolgForm

    def get_object(self):
        model = Thema if self.kwargs["soort"] == "thema" else Leeratelier
        return get_object_or_404(model, slug=self.kwargs["slug"])

    def has_permission(self, user, onderwerp):
        return user.is_authenticated

    def form_invalid(self, form):
        messages.error(self.request, _("Kies hoe je updates wilt ontvangen."))
        return HttpResponseRedirect(self.back_url())

    def perform(self, form):
        return services.follow(
            persoon=self.request.user,
            frequentie=form.cleaned_data["frequentie"],
            **{self.kwargs["soort"]: self.object},
        )

    def success_message(self, volging):
        return _("Je volgt %(naam)s: %(keuze)s.") % {
            "naam": self.object.naam,
            "keuze": volging.get_frequentie_display(),
        }
