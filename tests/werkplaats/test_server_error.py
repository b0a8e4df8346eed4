"""handler500 (werkplaats.views.server_error): a database that does not answer is a 503 with
Retry-After, anything else the 500 page; found by the fault suite's scenario 4."""

import pytest
from django.db import connections
from django.test import Client
from django.urls import path

from tests.conftest import free_port
from werkplaats.actions import ActionView
from werkplaats.urls import handler500, urlpatterns

pytestmark = pytest.mark.django_db


def _database_away(request):
    """Opens a real connection to a database that is not there (a port nobody listens on,
    or for SQLite a file in a folder that does not exist)."""
    default = connections["default"]
    settings_dict = {**default.settings_dict}
    if default.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-folder/werkplaats.sqlite3"
    else:
        settings_dict["PORT"] = free_port()
    away = type(default)(settings_dict, alias="away")
    try:
        away.ensure_connection()
    finally:
        away.close()


def _bug(request):
    raise ZeroDivisionError


urlpatterns = [
    path("database-weg/", _database_away),
    path("fout/", _bug),
    *urlpatterns,
]
__all__ = ["handler500", "urlpatterns"]


@pytest.fixture
def anonymous(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def test_a_database_that_does_not_answer_gives_the_503_page_with_retry_after(anonymous):
    response = anonymous.get("/database-weg/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert '<html lang="nl">' in content
    assert "Tijdelijk niet bereikbaar" in content
    assert "Traceback" not in content


def test_any_other_error_still_gives_the_500_page(anonymous):
    response = anonymous.get("/fout/")

    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


class _CommittedThenDatabaseAway(ActionView):
    """An action whose change stands and whose message then finds the database gone."""

    login_required = False

    def has_permission(self, user, obj):
        return True

    def perform(self):
        return "gedaan"

    def success_message(self, result):
        _database_away(self.request)

    def get_success_url(self, result):
        return "/klaar/"


urlpatterns.insert(0, path("actie/", _CommittedThenDatabaseAway.as_view()))


def test_a_committed_action_is_answered_with_its_redirect_when_the_database_goes_away_after(
    anonymous,
):
    response = anonymous.post("/actie/")

    assert response.status_code == 302
    assert response["Location"] == "/klaar/"
