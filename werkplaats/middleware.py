import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
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


class RequestBodyLimitMiddleware:
    """A request whose body is larger than allowed is answered 413 before anything reads it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE counts only the non-file part of a body: without
    this, an anonymous 100 MB multipart POST is read to the end (to disk). The limit is
    REQUEST_MAX_BYTES_ANONYMOUS for visitors (their forms hold a few fields) and
    REQUEST_MAX_BYTES for logged-in people (an update's image, an import file). Runs after
    the authentication middleware, which reads the session but never the body. The
    production proxy should refuse the same sizes earlier still (README)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(status=400)
        if length > settings.REQUEST_MAX_BYTES_ANONYMOUS:
            user = getattr(request, "user", None)
            logged_in = user is not None and user.is_authenticated
            limit = (
                settings.REQUEST_MAX_BYTES if logged_in else settings.REQUEST_MAX_BYTES_ANONYMOUS
            )
            if length > limit:
                return self.too_large(request, limit)
        return self.get_response(request)

    def too_large(self, request, limit: int):
        megabytes = max(1, limit // (1024 * 1024))
        response = render(request, "te_groot.html", {"megabytes": megabytes}, status=413)
        # The body stays unread: the connection cannot carry another request.
        response["Connection"] = "close"
        return response


class IdleSessionMiddleware:
    """A logged-in session that saw no request for SESSION_IDLE_TIMEOUT seconds is logged
    out (ASVS 3.3.2): the next request goes to the log-in page with a message that says so.
    The time of the last request is written at most once a minute, not on every request."""

    KEY = "werkplaats_laatst_actief"
    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY)
            if isinstance(last, int) and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request,
                    translation.gettext(
                        "Je bent uitgelogd omdat je een tijd niets hebt gedaan. Log opnieuw in."
                    ),
                )
                return redirect_to_login(request.get_full_path())
            if not isinstance(last, int) or now - last >= self.WRITE_EVERY:
                self.seen(request)
        return self.get_response(request)

    @classmethod
    def seen(cls, request) -> None:
        """This session was active now (also called at log-in)."""
        request.session[cls.KEY] = int(time.time())
