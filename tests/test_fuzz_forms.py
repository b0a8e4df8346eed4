"""Every form an anonymous visitor or a plain logged-in partner can submit, fuzzed (issue 12,
point 11): random unicode (NUL bytes included), 100,000-character strings, numbers and
other wrong types, missing fields, unknown fields and repeated keys, sent as multipart or
as a plain urlencoded body with bytes that are not UTF-8.

Whatever arrives, the answer is never a 5xx, and the database is either unchanged or holds
only complete, valid rows (each written row passes its model's `full_clean()`). The list
filters get the same treatment as GET query strings.

Each example runs in its own savepoint, rolled back after it, on a world built once for the
module (tests/roles.py); the cache (rate limits) is emptied before each example.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.snapshot import snapshot, written_rows

pytestmark = pytest.mark.django_db

# FUZZ_SCALE=10 tries ten times as many examples (a longer hunt than the suite's run).
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))

HUGE = "x" * 100_000
ODD_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e\u200b",
    "😀" * 50,
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "true",
    "on",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "2026-02-30",
    "iemand@example.org",
    "iemand@@example.org",
    HUGE,
    "é" * 100_000,
    "woord " * 20_000,
]
# Any unicode Django can receive (text() leaves out lone surrogates, which no client can send
# as UTF-8), NUL and control characters included.
VALUE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(ODD_VALUES),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
    # A file where text is expected
    st.binary(max_size=200).map(lambda content: SimpleUploadedFile("bestand.csv", content)),
)


def form_data(fields: list[str]):
    """Some of `fields` (missing ones too), an unknown field now and then, each with one to
    three values (a repeated key)."""
    return st.dictionaries(
        keys=st.sampled_from([*fields, "onbekend"]),
        values=st.lists(VALUE, min_size=1, max_size=3),
        max_size=len(fields) + 1,
    )


@dataclass(frozen=True)
class Form:
    url: Callable  # world → URL
    # Names, each of which may be world → name (a field named after a row of the world), or
    # world → names (fields named after a row's pk).
    fields: list | Callable
    role: str = "anonymous"
    method: str = "post"
    # Pages whose answer takes time on purpose (allauth's equalised log-in) get fewer tries.
    examples: int = 25


def token(attribute):
    return lambda w: getattr(w, attribute).token


def vraag_field(w):
    """The field of the world's question in the registration form (issue 21)."""
    return f"vraag_{w.vraag.pk}"


FORMS = {
    # allauth: log in, sign up, password reset
    "log in": Form(
        lambda w: reverse("account_login"), ["login", "password", "remember"], examples=8
    ),
    "sign up": Form(
        lambda w: reverse("account_signup"),
        [
            "email",
            "password1",
            "password2",
            "naam",
            "organisatie_zoek",
            "organisatie",
            "nieuwe_organisatie",
            "nieuwe_organisatie_plaats",
        ],
        examples=15,
    ),
    "password reset": Form(lambda w: reverse("account_reset_password"), ["email"], examples=10),
    "new password from a reset link": Form(
        lambda w: reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "1", "key": "klopt-niet"}
        ),
        ["password1", "password2"],
        examples=10,
    ),
    # bijeenkomsten: registering as a guest, through an invitation, the personal links
    "guest registration": Form(
        lambda w: reverse("bijeenkomsten:aanmelden", args=[w.bijeenkomst.slug]),
        ["naam", "email", "organisatie", "functie", "dieetwensen", "toegankelijkheid", vraag_field],
    ),
    "registration of a partner": Form(
        lambda w: reverse("bijeenkomsten:aanmelden", args=[w.bijeenkomst.slug]),
        ["naam", "email", "organisatie", "functie", "dieetwensen", "toegankelijkheid", vraag_field],
        role="partner",
    ),
    # Issue 21: the team's question form and its decision on requests
    "a question of the registration form": Form(
        lambda w: reverse("bijeenkomsten:vraag-wijzigen", args=[w.bijeenkomst.slug, w.vraag.pk]),
        ["tekst", "soort", "hulptekst", "verplicht", "keuzes", "volgorde"],
        role="coordinator",
        examples=15,
    ),
    "a programme item with its sprekers": Form(
        lambda w: reverse("bijeenkomsten:onderdeel-wijzigen", args=[w.dag.slug, w.sessie_a.pk]),
        [
            "soort",
            "titel",
            "start",
            "eind",
            "zaal",
            "beschrijving",
            "ronde",
            "capaciteit",
            "wachtlijst_open",
            "spreker-TOTAL_FORMS",
            "spreker-INITIAL_FORMS",
            "spreker-0-email",
            "spreker-0-naam",
            "spreker-0-bio",
        ],
        role="coordinator",
        examples=15,
    ),
    "a new programme item": Form(
        lambda w: reverse("bijeenkomsten:onderdeel-nieuw", args=[w.dag.slug]),
        ["soort", "titel", "start", "eind", "ronde", "capaciteit", "spreker-TOTAL_FORMS"],
        role="coordinator",
        examples=15,
    ),
    "materials of a programme item": Form(
        lambda w: reverse("bijeenkomsten:materialen", args=[w.dag.slug, w.ronde.pk]),
        ["titel", "link", "bestand", "direct_tonen"],
        role="coordinator",
        examples=15,
    ),
    # Issue 21, point 5: the team page, sent by the bijeenkomst's organisator
    "a member of the team": Form(
        lambda w: reverse("bijeenkomsten:team", args=[w.bijeenkomst.slug]),
        ["email", "rol", "organisatie"],
        role="organisator",
        examples=15,
    ),
    # Issue 21, point 6: a quotum on the dashboard, sent by the bijeenkomst's organisator
    "a quotum of places held for a network": Form(
        lambda w: reverse("bijeenkomsten:quotum", args=[w.bijeenkomst.slug]),
        ["organisatie", "aantal", "tot", "next"],
        role="organisator",
        examples=15,
    ),
    "decide on requests": Form(
        lambda w: reverse("bijeenkomsten:aanvragen-besluiten", args=[w.bijeenkomst.slug]),
        ["aanvragen", "besluit", "reden", "next"],
        role="coordinator",
        examples=15,
    ),
    "guest confirmation link": Form(
        lambda w: reverse("bijeenkomsten:gast-bevestigen", args=[w.bijeenkomst.slug, w.gast_token]),
        ["dieetwensen", "toegankelijkheid"],
    ),
    "registration with a deelsessie per ronde": Form(
        lambda w: reverse("bijeenkomsten:aanmelden", args=[w.dag.slug]),
        lambda w: ["naam", "email", "organisatie", "functie", f"sessie_{w.ronde.pk}"],
        role="partner",
    ),
    "guest confirmation with a deelsessie per ronde": Form(
        lambda w: reverse("bijeenkomsten:gast-bevestigen", args=[w.dag.slug, w.dag_gast_token]),
        lambda w: ["dieetwensen", "toegankelijkheid", f"sessie_{w.ronde.pk}"],
    ),
    "change of deelsessie through the personal link": Form(
        lambda w: reverse(
            "bijeenkomsten:sessie-wijzigen", args=[w.sessie_aanmelding.token, w.ronde.pk]
        ),
        lambda w: [f"ronde{w.ronde.pk}-sessie_{w.ronde.pk}", "next"],
    ),
    "claim or withdraw a session place through the personal link": Form(
        lambda w: reverse(
            "bijeenkomsten:sessie-claimen", args=[w.sessie_wachtend.token, w.sessie_wachtkeuze.pk]
        ),
        ["next"],
        examples=10,
    ),
    "registration through an invitation": Form(
        lambda w: reverse("bijeenkomsten:uitnodiging", args=[w.uitnodiging.token]),
        ["naam", "email", "organisatie", "functie", "dieetwensen", "toegankelijkheid"],
    ),
    "no more invitations": Form(
        lambda w: reverse("bijeenkomsten:geen-uitnodigingen", args=[w.uitnodiging.token]),
        ["bevestigen"],
        examples=10,
    ),
    "cancel through the personal link": Form(
        lambda w: reverse("bijeenkomsten:aanmelding-annuleren", args=[w.aanmelding.token]),
        ["next", "reden"],
        examples=10,
    ),
    "claim through the personal link": Form(
        lambda w: reverse("bijeenkomsten:aanmelding-claimen", args=[w.wachtend.token]),
        ["next"],
        examples=10,
    ),
    "decline an offer through the personal link": Form(
        lambda w: reverse("bijeenkomsten:aanmelding-afwijzen", args=[w.wachtend.token]),
        ["next"],
        examples=10,
    ),
    # nieuwsbrief
    "nieuwsbrief subscribe": Form(
        lambda w: reverse("nieuwsbrief:aanmelden"), ["email", "naam", "leerateliers", "themas"]
    ),
    "nieuwsbrief confirmation link": Form(
        lambda w: reverse("nieuwsbrief:bevestigen", args=["klopt-niet"]), ["email"], examples=10
    ),
    "nieuwsbrief unsubscribe": Form(
        lambda w: reverse("nieuwsbrief:afmelden", args=[w.abonnement.token]),
        ["List-Unsubscribe", "reden"],
        examples=10,
    ),
    "own nieuwsbrief interests": Form(
        lambda w: reverse("nieuwsbrief:mijn"),
        ["nieuwsbrief-leerateliers", "nieuwsbrief-themas"],
        role="partner",
    ),
    # privacy: deleting one's own account (password and second factor)
    "delete my account": Form(
        lambda w: reverse("privacy:account-verwijderen"), ["password", "code"], role="partner"
    ),
    # netwerk: profile, language
    "profiel": Form(
        lambda w: reverse("netwerk:profiel"),
        ["naam", "functie", "bio", "profiel_zichtbaar", "taal", "organisatie_zoek", "organisatie"],
        role="partner",
    ),
    "language switch": Form(lambda w: reverse("set_language"), ["language", "next"], examples=10),
    # leerateliers and updates: joining, switching, following
    "join a leeratelier": Form(
        lambda w: reverse("leerateliers:deelnemen", args=[w.ander_atelier.slug]),
        ["rol", "organisatie", "next"],
        role="partner",
    ),
    "switch rol": Form(
        lambda w: reverse("leerateliers:deelname-wisselen", args=[w.eigen_deelname.pk]),
        ["rol", "next"],
        role="partner",
    ),
    "leave a leeratelier": Form(
        lambda w: reverse("leerateliers:deelname-beeindigen", args=[w.eigen_deelname.pk]),
        ["next"],
        role="partner",
        examples=10,
    ),
    # Trekkers and thematrekkers are partners with a role: their page editing is fuzzed too.
    "edit a leeratelier page": Form(
        lambda w: reverse("leerateliers:bewerken", args=[w.atelier.slug]),
        ["sociale_kwestie", "samenvatting", "beschrijving", "voorwaarden", "startdatum", "actie"],
        role="trekker",
        examples=15,
    ),
    "edit a thema page": Form(
        lambda w: reverse("themas:thema-bewerken", args=[w.thema.slug]),
        [
            "inleiding",
            "actie",
            "invalshoek-TOTAL_FORMS",
            "invalshoek-INITIAL_FORMS",
            "invalshoek-0-id",
            "invalshoek-0-titel",
            "invalshoek-0-tekst",
            "invalshoek-0-ORDER",
            "contact-TOTAL_FORMS",
            "contact-INITIAL_FORMS",
            "contact-0-persoon",
            "contact-0-naam",
            "contact-0-email",
            "contact-0-toestemming",
        ],
        role="thematrekker",
        examples=15,
    ),
    "write a kennisproduct": Form(
        lambda w: reverse("kennisbank:nieuw"),
        [
            "titel",
            "soort",
            "samenvatting",
            "tekst",
            "jaar",
            "datum",
            "taal",
            "licentie",
            "link",
            "identifier",
            "fase",
            "voorwaarden",
            "leerateliers",
            "themas",
            "organisaties",
            "ik_ben_auteur",
        ],
        role="trekker",
        examples=15,
    ),
    # Coördinatoren curate kennisdossiers: their text, and entries named by a link.
    "edit a kennisdossier": Form(
        lambda w: reverse("kennisbank:dossier-bewerken", args=[w.dossier.slug]),
        ["titel", "samenvatting", "inleiding", "gepubliceerd"],
        role="coordinator",
        examples=15,
    ),
    "add to a kennisdossier": Form(
        lambda w: reverse("kennisbank:dossier-toevoegen", args=[w.dossier.slug]),
        ["link", "toelichting"],
        role="coordinator",
        examples=15,
    ),
    "move in a kennisdossier": Form(
        lambda w: reverse(
            "kennisbank:dossier-verplaatsen", args=[w.dossier.slug, w.dossier.onderdelen.first().pk]
        ),
        ["richting"],
        role="coordinator",
        examples=10,
    ),
    "confirm a membership as a member": Form(
        lambda w: reverse("netwerk:lidmaatschap-bevestigen", args=[w.lidmaatschap.pk]),
        ["next"],
        role="partner",
        examples=10,
    ),
    # Issue 23: the partner is the contactpersoon of w.organisatie
    "share registrations with the contactpersoon": Form(
        lambda w: reverse("netwerk:delen"), ["deelt_aanmeldingen", "next"], role="partner"
    ),
    "choose a contactpersoon": Form(
        lambda w: reverse("netwerk:contactpersoon-kiezen", args=[w.organisatie.slug]),
        ["persoon", "next"],
        role="partner",
    ),
    "invite a colleague": Form(
        lambda w: reverse("netwerk:collega-uitnodigen", args=[w.organisatie.slug]),
        ["email", "next"],
        role="partner",
    ),
    "register a colleague": Form(
        lambda w: reverse("bijeenkomsten:collega-aanmelden", args=[w.organisatie.slug]),
        ["collega", "bijeenkomst", "next"],
        role="partner",
    ),
    "register a group": Form(
        lambda w: reverse("bijeenkomsten:groep-aanmelden", args=[w.werkbezoek.slug]),
        ["keuze", *[f"{field}_{n}" for n in range(1, 11) for field in ("naam", "email")]],
        role="partner",
    ),
    "hand a place on": Form(
        lambda w: reverse("bijeenkomsten:aanmelding-doorgeven", args=[w.eigen_aanmelding.pk]),
        ["naam", "email"],
        role="partner",
    ),
    "follow a thema": Form(
        lambda w: reverse("themas:volgen", args=["thema", w.thema.slug]),
        ["frequentie", "next"],
        role="partner",
    ),
    # allauth's own pages for a logged-in partner
    "e-mail addresses": Form(
        lambda w: reverse("account_email"),
        ["email", "action_add", "action_remove", "action_primary", "action_send"],
        role="partner",
        examples=15,
    ),
    "own nieuwsbrief unsubscribe": Form(
        lambda w: reverse("nieuwsbrief:mijn-afmelden"), ["next"], role="partner", examples=10
    ),
    "confirm an e-mail address": Form(
        lambda w: reverse("account_confirm_email", kwargs={"key": "klopt-niet"}),
        ["key"],
        examples=10,
    ),
    "reauthenticate": Form(
        lambda w: reverse("account_reauthenticate"), ["password"], role="partner", examples=10
    ),
    "change password": Form(
        lambda w: reverse("account_change_password"),
        ["oldpassword", "password1", "password2"],
        role="partner",
        examples=10,
    ),
    # The list filters and searches (GET query strings)
    "organisatie search": Form(
        lambda w: reverse("netwerk:directory"),
        ["q", "soort", "domein", "plaats", "leeratelier", "rol", "page"],
        method="get",
    ),
    "leerateliers filter": Form(
        lambda w: reverse("leerateliers:lijst"),
        ["voorwaarde", "thema", "status", "page"],
        method="get",
    ),
    "updates filter": Form(
        lambda w: reverse("themas:update-lijst"),
        ["thema", "leeratelier", "voorwaarde", "page"],
        method="get",
    ),
    "bijeenkomsten filter": Form(
        lambda w: reverse("bijeenkomsten:lijst"),
        ["soort", "leeratelier", "thema", "page"],
        method="get",
    ),
    "kennisbank facets": Form(
        lambda w: reverse("kennisbank:lijst"),
        ["soort", "voorwaarde", "leeratelier", "thema", "fase", "jaar", "page"],
        method="get",
    ),
    "portal search": Form(
        lambda w: reverse("kennisbank:zoeken"), ["q", "soort", "page"], method="get"
    ),
    "nieuwsbrief archive": Form(lambda w: reverse("nieuwsbrief:archief"), ["page"], method="get"),
    "themas list": Form(lambda w: reverse("themas:lijst"), ["page"], method="get", examples=10),
    # Issue 22: the verslag (by the trekker of the linked atelier) and the reach report's period
    "write a verslag": Form(
        lambda w: reverse("bijeenkomsten:verslag-schrijven", args=[w.bijeenkomst.slug]),
        [
            "geleerde_lessen",
            "updates",
            "kennisproducten",
            "bestand",
            "bestand_verwijderen",
            "publiceren",
        ],
        role="trekker",
        examples=15,
    ),
    "fill in the evaluation": Form(
        lambda w: reverse(
            "bijeenkomsten:evaluatie", args=[w.terugblik.slug, w.evaluatie_aanmelding.token]
        ),
        [lambda w: f"vraag_{w.evaluatievraag.pk}"],
    ),
    "evaluation mail on /mijn/": Form(
        lambda w: reverse("netwerk:evaluaties"), ["wil_evaluaties"], role="partner", examples=10
    ),
    "bereik period": Form(
        lambda w: reverse("bereik:bereik"), ["van", "tot"], role="coordinator", method="get"
    ),
}


def assert_only_valid_rows_written(before, after):
    for row in written_rows(before, after):
        try:
            row.full_clean()
        except ValidationError as error:
            raise AssertionError(f"An invalid {type(row).__name__} was stored: {error}") from None


@pytest.mark.parametrize("name", FORMS)
def test_no_input_to_a_public_form_gives_a_server_error_or_a_half_written_row(module_world, name):
    form = FORMS[name]
    url = form.url(module_world)
    fields = form.fields(module_world) if callable(form.fields) else form.fields
    fields = [field(module_world) if callable(field) else field for field in fields]
    persoon = module_world.people[form.role]

    @settings(
        max_examples=form.examples * SCALE,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=form_data(fields), urlencoded=st.booleans())
    def submit(data, urlencoded):
        cache.clear()
        client = Client()
        if persoon is not None:
            client.force_login(persoon)
        with transaction.atomic():
            before = snapshot()
            if form.method == "post" and urlencoded:
                # As a plain form post, with bytes that are not UTF-8 at all on top.
                body = urlencode(data, doseq=True) + f"&{fields[0]}=%FF%FE%00"
                response = client.post(url, body, content_type="application/x-www-form-urlencoded")
            else:
                response = getattr(client, form.method)(url, data)
            assert response.status_code < 500, (response.status_code, data)
            assert_only_valid_rows_written(before, snapshot())
            transaction.set_rollback(True)

    submit()


# The personal links and slugs: whatever a mail program or a visitor makes of them.
LINKS = {
    "personal registration link": ("anonymous", "/aanmelding/{}/"),
    "cancel link": ("anonymous", "/aanmelding/{}/annuleren/"),
    "invitation link": ("anonymous", "/uitnodiging/{}/"),
    "no more invitations link": ("anonymous", "/uitnodiging/{}/geen-uitnodigingen/"),
    "nieuwsbrief unsubscribe link": ("anonymous", "/nieuwsbrief/afmelden/{}/"),
    "nieuwsbrief confirmation link": ("anonymous", "/nieuwsbrief/bevestigen/{}/"),
    "guest confirmation link": ("anonymous", "/bijeenkomsten/symposium/aanmelden/bevestigen/{}/"),
    "bijeenkomst page": ("anonymous", "/bijeenkomsten/{}/"),
    "bijeenkomst calendar": ("anonymous", "/bijeenkomsten/{}.ics"),
    "leeratelier page": ("anonymous", "/leerateliers/{}/"),
    "update page": ("anonymous", "/updates/{}/"),
    "organisatie page": ("anonymous", "/netwerk/{}/"),
    "arena decision link": ("partner", "/leerateliers/besluit/{}/"),
}


@pytest.mark.parametrize("name", LINKS)
def test_no_mangled_link_gives_a_server_error_or_a_half_written_row(module_world, name):
    role, template = LINKS[name]
    persoon = module_world.people[role]

    @settings(
        max_examples=15 * SCALE,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(part=st.one_of(st.text(min_size=1, max_size=60), st.sampled_from(ODD_VALUES[1:])))
    def visit(part):
        cache.clear()
        client = Client()
        if persoon is not None:
            client.force_login(persoon)
        url = template.format(quote(part, safe=""))
        with transaction.atomic():
            before = snapshot()
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code < 500, (method, url, response.status_code)
            assert_only_valid_rows_written(before, snapshot())
            transaction.set_rollback(True)

    visit()
