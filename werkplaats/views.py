import logging
import sys
from datetime import date

import redis
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.db import InterfaceError, OperationalError, connection
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils._os import safe_join
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from bijeenkomsten.selectors import komende_bijeenkomsten
from kennisbank import selectors as kennisbank_selectors
from leerateliers import selectors as leeratelier_selectors
from themas import selectors as thema_selectors
from werkplaats import navigation

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["home_leerateliers"] = leeratelier_selectors.leerateliers_voor_home()
        context["home_themas"] = thema_selectors.themas_voor_home()
        context["komende_bijeenkomsten"] = komende_bijeenkomsten(limit=3)
        context["nieuwste_kennisproducten"] = kennisbank_selectors.nieuwste_producten(limit=3)
        return context


class CoordinatieView(LoginRequiredMixin, TemplateView):
    """The coördinator's way in: every workspace this person may open; 403 without any."""

    template_name = "coordinatie.html"

    def get_context_data(self, **kwargs):
        links = navigation.coordination_links(self.request.user)
        if not links:
            raise PermissionDenied
        return {**super().get_context_data(**kwargs), "links": links}


class ToegankelijkheidView(TemplateView):
    """The accessibility statement in the form of digitoegankelijk.nl."""

    template_name = "toegankelijkheid.html"
    # Change with the text: the statement says when it was last checked against the portal.
    extra_context = {
        "datum_verklaring": date(2026, 11, 26),
        "contact_email": "toegankelijkheid@example.org",
    }


def server_error(request):
    """handler500. A database that does not answer (restarted, failed over, too many
    connections) is a 503 "tijdelijk niet bereikbaar" with Retry-After, which tells a
    proxy, a monitor and the visitor that trying again soon helps; anything else is the
    500 page. Both stand alone: nothing on them touches the database again.

    Found by the fault suite's scenario 4 (PostgreSQL restarted during a rush): every
    request in flight got the general "Er ging iets mis"."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


@never_cache
@require_GET
def healthz(request):
    """200 when the database (and Redis, when configured) answer; 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("Health check: database unreachable")
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception:
            logger.exception("Health check: Redis unreachable")
            checks["redis"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


# Uploaded files a browser may show inline; anything else is offered as a download.
INLINE_MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


@require_GET
def media(request, path):
    """An uploaded file from MEDIA_ROOT, served by the portal itself so a deploy needs no
    extra web server for /media/ (a proxy in front may cache it: README).

    Only files under MEDIA_ROOT (anything else, ".." included, is a 404); images as their
    own type and inline, every other file as application/octet-stream and as an attachment,
    so nothing uploaded runs as a page of the portal; nosniff and a CSP that allows nothing
    in case a browser renders it anyway."""
    try:
        handle = open(safe_join(settings.MEDIA_ROOT, path), "rb")  # noqa: SIM115 (FileResponse closes it)
    except (SuspiciousFileOperation, OSError, ValueError) as error:  # outside, missing, NUL
        raise Http404 from error
    extension = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    content_type = INLINE_MEDIA_TYPES.get(extension)
    response = FileResponse(
        handle,
        as_attachment=content_type is None,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response
