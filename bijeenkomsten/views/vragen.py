"""The team's pages for the questions of a bijeenkomst (issue 21, point 3; issue 22, point
2): a tab per form (`?formulier=aanmelding` or `evaluatie`), each with its list and a form
to add one; changing one, removing one."""

from django.http import Http404
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
            self._vraag = get_object_or_404(Vraag, bijeenkomst=self.object, pk=self.kwargs["pk"])
        return self._vraag

    def doel(self) -> str:
        """The tab: the form of the question being changed, else `?formulier=`."""
        vraag = self.vraag()
        if vraag is not None:
            return vraag.doel
        doel = self.request.GET.get("formulier") or Vraag.Doel.AANMELDING
        if doel not in Vraag.Doel.values:
            raise Http404(_("Dit formulier bestaat niet."))
        return doel

    def default_url(self):
        url = reverse("bijeenkomsten:vragen", kwargs={"slug": self.object.slug})
        vraag = self.vraag()
        if vraag is not None and vraag.doel != Vraag.Doel.AANMELDING:
            url += f"?formulier={vraag.doel}"
        return url


class VragenView(_VraagMixin, FormPageActionView):
    """The questions in their order, and a form to add one (no pk) or change one (pk)."""

    form_class = VraagForm
    template_name = "bijeenkomsten/vragen.html"

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "doel": self.doel()}
        vraag = self.vraag()
        if vraag is not None:
            # A copy: an invalid post must not change the question the page lists.
            kwargs["instance"] = Vraag.objects.get(pk=vraag.pk)
        else:
            # The form checks the soort against the form it is for.
            kwargs["instance"] = Vraag(bijeenkomst=self.object, doel=self.doel())
        return kwargs

    def get_page_context(self):
        doel = self.doel()
        evaluatie = doel == Vraag.Doel.EVALUATIE
        return {
            "bijeenkomst": self.object,
            "doel": doel,
            "evaluatie": evaluatie,
            "vragen": services.evaluation_questions(self.object)
            if evaluatie
            else services.registration_questions(self.object),
            "vraag": self.vraag(),
        }

    def perform(self, form):
        return services.save_question(
            bijeenkomst=self.object,
            door=self.request.user,
            vraag=self.vraag(),
            doel=self.doel(),
            **{name: form.cleaned_data[name] for name in FIELDS},
        )

    def success_message(self, vraag):
        return _("De vraag “%(tekst)s” is opgeslagen.") % {"tekst": vraag.tekst}

    def get_success_url(self, vraag):
        url = reverse("bijeenkomsten:vragen", kwargs={"slug": self.object.slug})
        if vraag.doel != Vraag.Doel.AANMELDING:
            url += f"?formulier={vraag.doel}"
        return url


class DeleteVraagView(_VraagMixin, ActionView):
    def perform(self):
        vraag = self.vraag()
        services.delete_question(vraag=vraag, door=self.request.user)
        return vraag

    def success_message(self, vraag):
        return _("De vraag “%(tekst)s” en de antwoorden erop zijn verwijderd.") % {
            "tekst": vraag.tekst
        }
