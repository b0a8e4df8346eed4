"""The admin site (/beheer/), entered only through the portal's own log-in.

One way in: the admin's own log-in form, which knew no second factor and no attempt
limit, is replaced by a redirect to allauth's log-in (rate limits, TOTP). And the admin
opens only for an active staff member who has a second factor (TOTP) and whose session
passed it, however the session began (ASVS 2.x, issue 18 M4): a staff member without one
is sent to set it up first, one whose session skipped it to give a code.
"""

from functools import wraps

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from werkplaats import cache
from werkplaats.actions import safe_next_url

SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def has_second_factor(user) -> bool:
    return is_mfa_enabled(user, types=SECOND_FACTORS)


def passed_second_factor(request) -> bool:
    """True when the user has a second factor and this session was confirmed with it."""
    user = request.user
    if not has_second_factor(user):
        return False
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


class WerkplaatsAdminSite(admin.AdminSite):
    site_header = "Werkplaats Sociaal Domein — beheer"
    site_title = "Werkplaats beheer"

    def admin_view(self, view, cacheable=False):
        protected = super().admin_view(view, cacheable)

        @wraps(protected)
        def inner(request, *args, **kwargs):
            response = protected(request, *args, **kwargs)
            # The admin edits content past the services: after any change there, no cached
            # page a visitor sees may survive.
            if request.method == "POST":
                cache.bump_everything()
            return response

        return inner

    def has_permission(self, request):
        return super().has_permission(request) and passed_second_factor(request)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """Send whoever comes here to the step they still miss, never to a password form."""
        next_url = safe_next_url(request, request.GET.get("next")) or reverse(
            "admin:index", current_app=self.name
        )
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not has_second_factor(user):
            messages.warning(
                request,
                _(
                    "Voor het beheer is een tweede stap bij het inloggen verplicht. Stel hier "
                    "een authenticator-app in en bewaar je herstelcodes; open daarna het "
                    "beheer opnieuw."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        if not passed_second_factor(request):
            return redirect_to_login(next_url, login_url=reverse("mfa_reauthenticate"))
        return HttpResponseRedirect(next_url)
