import pytest
from django.urls import reverse

from tests.netwerk.factories import PersoonFactory
from tests.roles import log_in_to_beheer

pytestmark = pytest.mark.django_db


@pytest.mark.real_stack_only(reason="asks Redis")
def test_healthz_answers_200_when_database_and_redis_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}


def test_healthz_answers_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "error"}


def test_the_home_page_is_dutch_and_has_the_landmarks(client):
    content = client.get(reverse("home")).content.decode()

    assert '<html lang="nl">' in content
    assert 'href="#inhoud"' in content
    for landmark in ("<header", "<nav", '<main id="inhoud"', "<footer"):
        assert landmark in content


def test_the_language_switch_serves_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)

    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Skip to content" in content


def test_an_unknown_url_is_a_dutch_404(client):
    response = client.get("/bestaat-niet/")

    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_the_admin_lives_at_beheer(client):
    log_in_to_beheer(client, PersoonFactory(is_staff=True, is_superuser=True))

    assert client.get("/beheer/").status_code == 200


def test_dutch_is_spoken_to_everyone_whatever_the_browser_prefers(client):
    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="nl">' in content
