"""The rest of the review's L7 (issue 18): an idle session ends, a body too large is refused
before it is read, and uploaded images are served with DEBUG off, safely."""

import io
import time

import pytest
from django.test import override_settings
from django.test.client import FakePayload
from django.urls import reverse
from PIL import Image

from tests.netwerk.factories import PersoonFactory
from werkplaats.middleware import IdleSessionMiddleware

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


# --- idle session timeout ----------------------------------------------------------------


def last_seen(client, seconds_ago):
    session = client.session
    session[IdleSessionMiddleware.KEY] = int(time.time()) - seconds_ago
    session.save()


def test_a_session_idle_longer_than_the_timeout_is_logged_out_and_told_so(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 2 * 3600
    client.force_login(PersoonFactory())
    assert client.get(reverse("netwerk:mijn")).status_code == 200
    last_seen(client, 2 * 3600 + 1)

    response = client.get(reverse("netwerk:mijn"))

    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=" + reverse("netwerk:mijn")
    assert "_auth_user_id" not in client.session
    login_page = client.get(response.url)
    assert "Je bent uitgelogd omdat je een tijd niets hebt gedaan" in login_page.text
    assert client.get(reverse("netwerk:mijn")).status_code == 302


def test_a_session_in_use_stays_logged_in(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 2 * 3600
    client.force_login(PersoonFactory())
    last_seen(client, 2 * 3600 - 60)

    assert client.get(reverse("netwerk:mijn")).status_code == 200
    # The request counted as activity: the clock starts again.
    assert time.time() - client.session[IdleSessionMiddleware.KEY] < 5
    assert client.get(reverse("netwerk:mijn")).status_code == 200


def test_the_idle_timeout_defaults_to_two_hours(settings):
    from werkplaats import settings as portal_settings

    assert portal_settings.SESSION_IDLE_TIMEOUT == 2 * 3600


# --- request body limit ------------------------------------------------------------------


def post_claiming(client, url, length, body=b"x" * 100):
    """A multipart POST whose Content-Length says `length`, carrying `body`: the test
    client's payload refuses to be read past what it holds, so a 413 proves nothing read
    it (Django parses file parts without counting them against DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    return client.generic(
        "POST",
        url,
        CONTENT_TYPE="multipart/form-data; boundary=grens",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": FakePayload(body)},
    )


def test_an_anonymous_100_mb_post_is_refused_before_it_is_read(client):
    response = post_claiming(client, reverse("account_signup"), 100 * MB)

    assert response.status_code == 413
    assert "Te groot om te versturen" in response.text
    assert "hooguit 1 MB" in response.text


def test_a_logged_in_upload_may_be_larger_but_not_unbounded(client, settings):
    settings.REQUEST_MAX_BYTES_ANONYMOUS = 1 * MB
    settings.REQUEST_MAX_BYTES = 10 * MB
    client.force_login(PersoonFactory())
    body = b"--grens--\r\n"

    assert post_claiming(client, reverse("netwerk:mijn"), 11 * MB, body).status_code == 413
    # Under the limit the request goes on to its view (which refuses a POST: 405).
    assert post_claiming(client, reverse("netwerk:mijn"), 5 * MB, body).status_code != 413


def test_a_small_anonymous_post_is_read_as_before(client):
    response = client.post(reverse("account_login"), {"login": "x@example.org", "password": "y"})

    assert response.status_code == 200


# --- uploaded media with DEBUG off -------------------------------------------------------


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media_root(settings):
    root = settings.MEDIA_ROOT
    (root / "updates" / "2026").mkdir(parents=True)
    (root / "updates" / "2026" / "foto.png").write_bytes(png())
    (root / "updates" / "2026" / "pagina.html").write_text("<script>alert(1)</script>")
    (root.parent / "geheim.txt").write_text("niet voor bezoekers")
    return root


@override_settings(DEBUG=False)
def test_an_uploaded_image_is_served_with_debug_off_with_safe_headers(client, media_root):
    response = client.get("/media/updates/2026/foto.png")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    response.close()


@override_settings(DEBUG=False)
def test_an_uploaded_file_that_is_no_image_is_only_offered_as_a_download(client, media_root):
    response = client.get("/media/updates/2026/pagina.html")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    response.close()


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "path",
    [
        "/media/../geheim.txt",
        "/media/%2E%2E/geheim.txt",
        "/media/updates/2026/bestaat-niet.png",
        "/media/updates/2026/",
        "/media/updates/2026/foto.png%00.html",
    ],
)
def test_only_files_under_media_root_are_served(client, media_root, path):
    assert client.get(path).status_code == 404
