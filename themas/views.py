from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from kennisbank import selectors as kennisbank_selectors
from leerateliers.models import Leeratelier
from themas import selectors, services
from themas.filters import UpdateFilter
from themas.forms import ThemaForm, UpdateForm, VolgForm
from themas.models import Thema, Update
from themas.permissions import can_edit_thema, can_edit_update, can_write_update_for
from themas.rendering import MarkdownRefused, render_markdown
from werkplaats.actions import ActionView, FormPageActionView, PreviewFormPageActionView


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
        context["kan_bewerken"] = can_edit_thema(self.request.user, self.object)
        context["producten"] = kennisbank_selectors.producten_van(thema=self.object)
        context["filter_url"] = f"{reverse('kennisbank:lijst')}?thema={self.object.slug}"
        return context


class ThemaEditView(PreviewFormPageActionView):
    """The thema page's texts, invalshoeken and contact people on one form, with a preview
    and the page's history."""

    form_class = ThemaForm
    template_name = "themas/thema_form.html"

    def get_object(self):
        return get_object_or_404(Thema.objects.prefetch_related("thematrekkers"), **self.kwargs)

    def has_permission(self, user, thema):
        return can_edit_thema(user, thema)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "thema": self.object}

    def get_initial_form(self):
        thema = self.object
        return ThemaForm(
            thema=thema,
            initial={
                "ondertitel": thema.ondertitel,
                "inleiding": thema.inleiding,
                "wat_gaan_we_doen": thema.wat_gaan_we_doen,
            },
        )

    def get_page_context(self):
        return {
            "thema": self.object,
            "wijzigingen": selectors.wijzigingen_van(self.object),
            "acties": {"voorbeeld": self.PREVIEW},
        }

    def preview(self, form):
        return {
            "voorbeeld": render_markdown(form.cleaned_data["inleiding"]),
            "voorbeeld_invalshoeken": [
                (invoer.titel, render_markdown(invoer.tekst))
                for invoer in form.invalshoek_invoer()
                if not invoer.verwijderen
            ],
        }

    def perform(self, form):
        data = form.cleaned_data
        return services.edit_thema(
            thema=self.object,
            door=self.request.user,
            ondertitel=data["ondertitel"],
            inleiding=data["inleiding"],
            wat_gaan_we_doen=data["wat_gaan_we_doen"],
            invalshoeken=form.invalshoek_invoer(),
            contactpersonen=form.contact_invoer(),
        )

    def success_message(self, thema):
        return _("De themapagina is opgeslagen.")

    def get_success_url(self, thema):
        return thema.get_absolute_url()


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


class UpdateWriteView(FormPageActionView):
    """Write a new update (for a thema or leeratelier) or edit one; preview, save, plan or
    publish from the same form."""

    form_class = UpdateForm
    template_name = "themas/update_form.html"

    def get_object(self):
        self.thema = self.leeratelier = None
        if "slug" in self.kwargs:
            update = get_object_or_404(Update, slug=self.kwargs["slug"])
            self.thema, self.leeratelier = update.thema, update.leeratelier
            return update
        if self.kwargs["soort"] == "thema":
            self.thema = get_object_or_404(Thema, slug=self.kwargs["onderwerp"])
        else:
            self.leeratelier = get_object_or_404(Leeratelier, slug=self.kwargs["onderwerp"])
        return None

    def has_permission(self, user, update):
        return can_write_update_for(user, thema=self.thema, leeratelier=self.leeratelier)

    def get_initial_form(self):
        initial = {}
        if self.object:
            initial = {
                "titel": self.object.titel,
                "samenvatting": self.object.samenvatting,
                "tekst": self.object.tekst,
                "vermelde_leerateliers": self.object.vermelde_leerateliers.all(),
                "voorwaarden": self.object.voorwaarden.all(),
                "afbeelding_alt": self.object.afbeelding_alt,
                "publiceren_op": self.object.publiceren_op,
            }
        return UpdateForm(initial=initial, update=self.object)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "update": self.object}

    def get_page_context(self):
        return {
            "update": self.object,
            "onderwerp": self.thema or self.leeratelier,
            "acties": UpdateForm.Actie,
        }

    def post(self, request, *args, **kwargs):
        if request.POST.get("actie") == UpdateForm.Actie.VOORBEELD:
            # A preview changes nothing: render the text next to the form.
            self.check_permission()
            form = self.get_form()
            if not form.is_valid():
                # A chosen image is kept even so: the browser will not send it again.
                return self.render_form(form, status=400, **self._preview_image(form))
            try:
                voorbeeld = render_markdown(form.cleaned_data["tekst"])
            except MarkdownRefused as error:
                form.add_error("tekst", str(error))
                return self.form_invalid(form)
            return self.render_form(form, voorbeeld=voorbeeld, **self._preview_image(form))
        return super().post(request, *args, **kwargs)

    def _preview_image(self, form) -> dict:
        """The chosen image kept for the next submit (its token in a hidden field) and
        shown in the preview; else the one kept before, else the update's own."""
        token = form.cleaned_data.get("voorlopige_afbeelding", "")
        if form.cleaned_data.get("afbeelding"):
            token = services.keep_preview_image(
                persoon=self.request.user, afbeelding=form.cleaned_data["afbeelding"]
            )
        voorlopig = services.preview_image(persoon=self.request.user, token=token)
        if voorlopig is not None:
            return {"voorlopig_token": token, "voorbeeld_afbeelding": voorlopig.afbeelding}
        own = self.object.afbeelding if self.object else None
        return {"voorbeeld_afbeelding": own or None}

    def rule_violated(self, error):
        # Text the Markdown renderer refuses belongs to the tekst field.
        self.form.add_error("tekst" if isinstance(error, MarkdownRefused) else None, str(error))
        return self.render_form(self.form, status=400)

    def perform(self, form):
        data = form.cleaned_data
        return services.write_update(
            actie=data["actie"],
            publiceren_op=data["publiceren_op"],
            update=self.object,
            auteur=self.request.user,
            thema=self.thema,
            leeratelier=self.leeratelier,
            titel=data["titel"],
            samenvatting=data["samenvatting"],
            tekst=data["tekst"],
            vermelde_leerateliers=data["vermelde_leerateliers"],
            voorwaarden=data["voorwaarden"],
            afbeelding=data["afbeelding"],
            afbeelding_alt=data["afbeelding_alt"],
            voorlopige_afbeelding=data["voorlopige_afbeelding"],
        )

    def success_message(self, update):
        actie = self.form.cleaned_data["actie"]
        if actie == UpdateForm.Actie.INPLANNEN:
            moment = date_format(localtime(update.publiceren_op), "j F Y H:i")
            return _("De update verschijnt op %s.") % moment
        if actie == UpdateForm.Actie.PUBLICEREN:
            return _("De update is gepubliceerd.")
        return _("Het concept is opgeslagen.")

    def get_success_url(self, update):
        return update.get_absolute_url()


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
