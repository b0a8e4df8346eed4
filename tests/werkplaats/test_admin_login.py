"""One way into the admin: allauth's log-in, with its rate limits and second factor
(finding 1). Before, /beheer/login/ took a password alone and never limited attempts."""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from tests.netwerk.factories import PASSWORD, PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db

ADMIN = "/beheer/"
ADMIN_LOGIN = "/beheer/login/"


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.fixture
def beheerder():
    return PersoonFactory(email="beheer@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def secret(beheerder):
    secret = generate_totp_secret()
    TOTP.activate(beheerder, secret)
    return secret


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_login_sends_to_the_portal_log_in_and_back(client):
    response = client.get(ADMIN_LOGIN, {"next": "/beheer/netwerk/"})

    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=/beheer/netwerk/"


def test_the_admin_login_never_passes_on_a_foreign_next(client):
    response = client.get(ADMIN_LOGIN, {"next": "https://evil.example/"})

    assert response.url == reverse("account_login") + "?next=/beheer/"


def test_the_admin_login_checks_no_password_itself(client, beheerder):
    response = client.post(ADMIN_LOGIN, {"username": beheerder.email, "password": PASSWORD})

    assert response.status_code == 302
    assert not logged_in(client)
    assert client.get(ADMIN).status_code == 302


def test_a_beheerder_with_totp_cannot_get_into_the_admin_with_only_a_password(
    client, beheerder, secret
):
    client.post(ADMIN_LOGIN, {"username": beheerder.email, "password": PASSWORD})
    assert client.get(ADMIN).status_code == 302

    first_step = client.post(
        reverse("account_login"), {"login": beheerder.email, "password": PASSWORD}
    )
    assert first_step.url == reverse("mfa_authenticate")
    assert client.get(ADMIN).status_code == 302

    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(ADMIN).status_code == 200


def test_a_session_that_skipped_the_second_factor_is_asked_for_it(client, beheerder, secret):
    # However a session began without the code (here: force_login), the admin wants it.
    client.force_login(beheerder)

    to_login = client.get(ADMIN)
    assert to_login.url.startswith(ADMIN_LOGIN)
    to_code = client.get(to_login.url)
    assert to_code.url == reverse("mfa_reauthenticate") + "?next=/beheer/"

    client.post(to_code.url, {"code": totp_code(secret)})
    assert client.get(ADMIN).status_code == 200


def test_a_staff_member_without_totp_is_sent_to_set_it_up_and_the_admin_stays_closed(
    client, beheerder
):
    client.post(reverse("account_login"), {"login": beheerder.email, "password": PASSWORD})
    assert logged_in(client)

    to_login = client.get(ADMIN)
    assert to_login.url.startswith(ADMIN_LOGIN)
    to_setup = client.get(to_login.url)
    assert to_setup.url == reverse("mfa_activate_totp")
    # allauth asks for the password once more before a factor is added; the message waits.
    page = client.get(to_setup.url, follow=True)
    assert page.status_code == 200
    assert "Voor het beheer is een tweede stap bij het inloggen verplicht" in page.text
    for path in [ADMIN, "/beheer/netwerk/persoon/", "/beheer/netwerk/outboxmessage/"]:
        assert client.get(path).status_code == 302, path
    assert client.post("/beheer/netwerk/organisatie/add/", {"naam": "X"}).status_code == 302


def test_after_setting_up_totp_the_admin_asks_for_a_code_and_then_opens(client, beheerder):
    client.post(reverse("account_login"), {"login": beheerder.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    setup_page = client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert setup_page.status_code == 200
    assert beheerder.authenticator_set.filter(type="totp").exists()

    to_login = client.get(ADMIN)
    assert client.get(to_login.url).url == reverse("mfa_reauthenticate") + "?next=/beheer/"
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret)})
    assert client.get(ADMIN).status_code == 200


def test_a_staff_coordinator_without_totp_gets_no_admin_page(client):
    client.force_login(make_coordinator(is_staff=True))

    assert client.get("/beheer/netwerk/organisatie/").status_code == 302
    assert client.get(ADMIN_LOGIN).url == reverse("mfa_activate_totp")


def test_a_logged_in_partner_is_refused_not_asked_to_log_in_again(client):
    client.force_login(PersoonFactory())

    assert client.get(ADMIN_LOGIN).status_code == 403


def test_repeated_wrong_passwords_are_limited_on_every_way_in(client, beheerder):
    for _ in range(10):
        client.post(ADMIN_LOGIN, {"username": beheerder.email, "password": "Fout-wachtwoord-1"})
        client.post(
            reverse("account_login"), {"login": beheerder.email, "password": "Fout-wachtwoord-1"}
        )

    client.post(ADMIN_LOGIN, {"username": beheerder.email, "password": PASSWORD})
    refused = client.post(
        reverse("account_login"), {"login": beheerder.email, "password": PASSWORD}
    )

    assert not logged_in(client)
    assert "Te veel" in refused.text
    assert client.get(ADMIN).status_code == 302
