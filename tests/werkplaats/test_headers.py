"""Content-Security-Policy without inline script or style, and a Permissions-Policy
(finding 9). The tests run with DEBUG off, as production does."""

from html.parser import HTMLParser

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.leerateliers.factories import DeelnameFactory, LeeratelierFactory
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_coordinator
from tests.roles import log_in_to_beheer
from tests.themas.factories import ThemaFactory, UpdateFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_pages_send_a_strict_content_security_policy(client, settings):
    assert settings.DEBUG is False

    policy = directives(client.get("/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def test_pages_send_a_permissions_policy(client):
    header = client.get("/").headers["Permissions-Policy"]

    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in header


class InlineCode(HTMLParser):
    """What a strict CSP would block: inline scripts and styles, handler attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        # A JSON data block is not executed and needs no script-src.
        data_block = attributes.get("type") in {"application/json", "application/ld+json"}
        if tag == "script" and not attributes.get("src") and not data_block:
            self.found.append("inline <script>")
        for name, value in attributes.items():
            if name == "style":
                self.found.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.found.append(f"{name} on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def site():
    organisatie = OrganisatieFactory(slug="buurtwerk")
    atelier = LeeratelierFactory(slug="armoede")
    DeelnameFactory(leeratelier=atelier, organisatie=organisatie)
    thema = ThemaFactory(slug="wonen", leerateliers=[atelier])
    UpdateFactory(thema=thema, slug="nieuws")
    BijeenkomstFactory(slug="symposium")
    return {"organisatie": organisatie, "thema": thema}


PUBLIC_PAGES = [
    "/",
    "/leerateliers/",
    "/leerateliers/armoede/",
    "/themas/",
    "/themas/wonen/",
    "/updates/",
    "/updates/nieuws/",
    "/bijeenkomsten/",
    "/bijeenkomsten/symposium/",
    "/netwerk/",
    "/netwerk/buurtwerk/",
    "/account/login/",
    "/account/signup/",
    "/account/password/reset/",
]

COORDINATOR_PAGES = [
    "/mijn/",
    "/lidmaatschappen/",
    "/updates/nieuw/thema/wonen/",
    "/bijeenkomsten/symposium/aanmeldingen/",
    "/account/email/",
    "/account/2fa/totp/activate/",
    "/beheer/",
    "/beheer/netwerk/persoon/",
    "/beheer/netwerk/organisatie/add/",
    "/beheer/netwerk/outboxmessage/",
    "/beheer/bijeenkomsten/bijeenkomst/add/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_carry_no_inline_script_or_style(client, site, url):
    response = client.get(url)

    assert response.status_code == 200
    assert inline_code(response.text) == []


@pytest.mark.parametrize("url", COORDINATOR_PAGES)
def test_member_coordinator_and_admin_pages_carry_no_inline_script_or_style(client, site, url):
    beheerder = make_coordinator(is_staff=True, is_superuser=True)
    if url.startswith("/beheer/"):
        log_in_to_beheer(client, beheerder)
    else:
        client.force_login(beheerder)
    if url.startswith("/account/2fa/"):
        # The TOTP page asks for the password again first; answer that.
        client.post(reverse("account_reauthenticate"), {"password": "Geheim-wachtwoord-42"})

    response = client.get(url)

    assert response.status_code == 200, url
    assert inline_code(response.text) == []


def test_the_totp_qr_code_is_an_image_the_policy_allows(client):
    persoon = PersoonFactory()
    TOTP.activate(persoon, generate_totp_secret())
    client.force_login(persoon)

    policy = directives(client.get("/"))

    assert "data:" in policy["img-src"]


@pytest.mark.django_db
def test_a_logged_in_persons_pages_may_be_kept_by_no_cache_on_the_way(client):
    from tests.netwerk.factories import PersoonFactory

    anonymous = client.get(reverse("leerateliers:lijst"))
    assert "no-store" not in anonymous.get("Cache-Control", "")

    client.force_login(PersoonFactory())
    for url in (
        reverse("netwerk:mijn"),
        reverse("leerateliers:lijst"),
        reverse("privacy:gegevens"),
    ):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control, url
        assert "no-store" in cache_control, url


@pytest.mark.django_db
def test_a_password_of_eleven_characters_is_refused_at_sign_up(client):
    from netwerk.models import Persoon

    response = client.post(
        reverse("account_signup"),
        {
            "email": "kort@example.org",
            "naam": "Kees Kort",
            "password1": "zonneb1oem!",
            "password2": "zonneb1oem!",
        },
    )

    assert response.status_code == 200
    assert "12 tekens" in response.text
    assert not Persoon.objects.filter(email="kort@example.org").exists()
