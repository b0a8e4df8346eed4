"""The team's pages for the questions of a bijeenkomst's registration form (issue 21,
point 3): the list with a form to add one, changing one, removing one."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from bijeenkomsten import services
from bijeenkomsten.forms import VraagForm
from bijeenkomsten.models import Bijeenkomst, Vraag
from bijeenkomsten.permissions import can_edit_questions
from werkplaats.actions import ActionView, FormPageActionView

FIELDS = VraagForm.Meta.fields


class _VraagMixin:
    def get_object(self):
        return get_object_or_404(Bijeenkomst, slug=self.kwargs["slug"])

    def has_permission(self, user, bijeenkomst):
        return can_edit_questions(user, bijeenkomst)

    def vraag(self) -> Vraag | None:
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_vraag"):
            self._vraag = get_object_or_404(
                Vraag.objects.filter(doel=Vraag.Doel.AANMELDING),
                bijeenkomst=self.object,
                pk=self.kwargs["pk"],
            )
        return self._vraag

    def default_url(self):
        return reverse("bijeenkomsten:vragen", kwargs={"slug": self.object.slug})


class VragenView(_VraagMixin, FormPageActionView):
    """The questions in their order, and a form to add one (no pk) or change one (pk)."""

    form_class = VraagForm
    template_name = "bijeenkomsten/vragen.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        vraag = self.vraag()
        if vraag is not None:
            # A copy: an invalid post must not change the question the page lists.
            kwargs["instance"] = Vraag.objects.get(pk=vraag.pk)
        return kwargs

    def get_page_context(self):
        return {
            "bijeenkomst": self.object,
            "vragen": services.registration_questions(self.object),
            "vraag": self.vraag(),
        }

    def perform(self, form):
        return services.save_question(
            bijeenkomst=self.object,
            door=self.request.user,
            vraag=self.vraag(),
            **{name: form.cleaned_data[name] for name in FIELDS},
        )

    def success_message(self, vraag):
        return _("De vraag “%(tekst)s” is opgeslagen.") % {"tekst": vraag.tekst}

    def get_success_url(self, vraag):
        return self.default_url()


class DeleteVraagView(_VraagMixin, ActionView):
    def perform(self):
        vraag = self.vraag()
        services.delete_question(vraag=vraag, door=self.request.user)
        return vraag

    def success_message(self, vraag):
        return _("De vraag “%(tekst)s” en de antwoorden erop zijn verwijderd.") % {
            "tekst": vraag.tekst
        }
