"""Messages from the coördinatoren to everyone registered (or one status group): write,
preview with the count, send once."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import ngettext

from bijeenkomsten import selectors, services
from bijeenkomsten.forms import BerichtForm
from bijeenkomsten.permissions import can_mail_aanmeldingen
from bijeenkomsten.views.beheer import ManageActionView
from bijeenkomsten.views.uitnodigingen import PER_PAGE, CoordinatorPage, ManageFormView


class BerichtenView(CoordinatorPage):
    permission = staticmethod(can_mail_aanmeldingen)

    def get(self, request, slug):
        page = Paginator(selectors.berichten_van(bijeenkomst=self.bijeenkomst), PER_PAGE).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "bijeenkomsten/berichten.html",
            {"bijeenkomst": self.bijeenkomst, "page_obj": page},
        )


class BerichtFormView(ManageFormView):
    """Write a new message, or change one that is not sent yet; then on to the preview."""

    form_class = BerichtForm

    def has_permission(self, user, bijeenkomst):
        return can_mail_aanmeldingen(user, bijeenkomst)

    @cached_property
    def bericht(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.object.berichten, pk=self.kwargs["pk"])

    def get_unbound_form(self):
        return BerichtForm(instance=self.bericht)

    def render_form(self, form, status=200):
        return render(
            self.request,
            "bijeenkomsten/bericht_form.html",
            {"bijeenkomst": self.object, "form": form, "bericht": self.bericht},
            status=status,
        )

    def perform(self, form):
        return services.save_bericht(
            bijeenkomst=self.object,
            door=self.request.user,
            bericht=self.bericht,
            **form.cleaned_data,
        )

    def get_success_url(self, bericht):
        return reverse("bijeenkomsten:bericht", kwargs={"slug": self.object.slug, "pk": bericht.pk})

    def default_url(self):
        return reverse("bijeenkomsten:berichten", kwargs={"slug": self.object.slug})


class BerichtView(CoordinatorPage):
    """The preview of a message as its readers get it, with how many that are; or, once
    sent, when and to how many it went."""

    permission = staticmethod(can_mail_aanmeldingen)

    def get(self, request, slug, pk):
        bericht = get_object_or_404(self.bijeenkomst.berichten.select_related("door"), pk=pk)
        return render(
            request,
            "bijeenkomsten/bericht_detail.html",
            {
                "bijeenkomst": self.bijeenkomst,
                "bericht": bericht,
                "aantal": None
                if bericht.verstuurd_op
                else selectors.bericht_ontvangers(bericht).count(),
            },
        )


class SendBerichtView(ManageActionView):
    def has_permission(self, user, bijeenkomst):
        return can_mail_aanmeldingen(user, bijeenkomst)

    def perform(self):
        bericht = get_object_or_404(self.object.berichten, pk=self.kwargs["pk"])
        return services.send_bericht(bericht=bericht, door=self.request.user)

    def success_message(self, bericht):
        return ngettext(
            "Het bericht is verstuurd aan %(aantal)s persoon.",
            "Het bericht is verstuurd aan %(aantal)s personen.",
            bericht.aantal,
        ) % {"aantal": bericht.aantal}

    def default_url(self):
        return reverse(
            "bijeenkomsten:bericht", kwargs={"slug": self.object.slug, "pk": self.kwargs["pk"]}
        )
