from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from bijeenkomsten.services import GUEST_CONFIRMATION_MAX_AGE
from netwerk.models import Persoon
from nieuwsbrief.services import SUBSCRIPTION_LINK_MAX_AGE
from privacy import selectors, services
from privacy.forms import AccountVerwijderenForm
from werkplaats.actions import FormPageActionView

MAILS_SHOWN = 50


class GegevensView(LoginRequiredMixin, TemplateView):
    """Everything the portal holds about the logged-in person, readable."""

    template_name = "privacy/gegevens.html"

    def get_context_data(self, **kwargs):
        gegevens = selectors.gegevens_van(self.request.user)
        mails = gegevens["netwerk"]["mails"]
        return super().get_context_data(
            gegevens=gegevens,
            mails=mails[:MAILS_SHOWN],
            meer_mails=len(mails) - MAILS_SHOWN,
            **kwargs,
        )


class GegevensJsonView(LoginRequiredMixin, View):
    """The same as one JSON file to download (AVG: the right to data portability)."""

    def get(self, request):
        filename = f"werkplaats-gegevens-{timezone.localdate():%Y-%m-%d}.json"
        response = HttpResponse(
            selectors.gegevens_als_json(request.user),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response


class AccountVerwijderenView(FormPageActionView):
    """Delete one's own account after entering the password (and the second factor)."""

    form_class = AccountVerwijderenForm
    template_name = "privacy/account_verwijderen.html"

    def get_object(self):
        return Persoon.objects.get(pk=self.request.user.pk)

    def has_permission(self, user, persoon):
        # Only ever one's own account: the URL names nobody else.
        return persoon.pk == user.pk

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.object, "request": self.request}

    def perform(self, form):
        return services.delete_account(persoon=self.object)

    def succeeded(self, result):
        logout(self.request)
        messages.success(
            self.request, _("Je account is verwijderd. Er staat niets meer van je op het portaal.")
        )
        return HttpResponseRedirect(reverse("home"))


class VerklaringView(TemplateView):
    """The privacy statement, with the retention periods of the settings in force."""

    template_name = "privacy/verklaring.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            bewaar_aanmeldingen_maanden=settings.RETENTION_AANMELDINGEN_MONTHS,
            bewaar_mails_dagen=settings.RETENTION_OUTBOX_DAYS,
            nieuwsbrief_link_dagen=SUBSCRIPTION_LINK_MAX_AGE.days,
            gast_link_dagen=GUEST_CONFIRMATION_MAX_AGE.days,
            contact=settings.PRIVACY_CONTACT_EMAIL,
            **kwargs,
        )
