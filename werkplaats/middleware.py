from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import check_for_language

from werkplaats.exceptions import Busy, TooManyRequests


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the visitor chose another language with the switch.

    Django's own middleware follows the browser's Accept-Language; the portal speaks Dutch
    to everyone by default, so only the choice stored in the language cookie counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and chosen in dict(settings.LANGUAGES) and check_for_language(chosen):
            language = chosen
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class BusyMiddleware:
    """A request that waited too long for a row lock gets a 'try again' page, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Busy):
            return None
        response = render(request, "drukte.html", status=503)
        response["Retry-After"] = "5"
        return response


class TooManyRequestsMiddleware:
    """A client over a limit of werkplaats.ratelimit gets a 429 page that says so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TooManyRequests):
            return None
        response = render(request, "te_vaak.html", status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response


class PermissionsPolicyMiddleware:
    """Sends `Permissions-Policy` from settings.PERMISSIONS_POLICY ({feature: [origins]};
    an empty list turns the feature off for every origin, "self" allows the portal)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivatePagesMiddleware:
    """A page made for a logged-in person is theirs alone: no shared cache (a proxy) may keep
    it and no browser may store it (`Cache-Control: private, no-store`), unless the view
    said otherwise. Anonymous pages keep what their view set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
