"""The permission matrix: every URL pattern of the portal, asked by every role (issue 12,
point 10).

Each pattern in the URLconf (the portal's apps, allauth, the admin, everything that
`get_resolver()` knows) needs an entry in `MATRIX` below: how to build its URL from the
fixture world (tests/roles.py) and the answer each of the six roles gets. A pattern without
an entry fails `test_every_url_pattern_has_an_entry_in_the_matrix`, so no page can be added
without deciding who may see it. POST is tried for the entries that name a `post=`
expectation; a POST that is refused must leave every row of the portal as it was.

Adding a page: one line in MATRIX, e.g.

    "privacy:verklaring": Entry(get=PUBLIC),
    "app:eigen-pagina": Entry(get=LOGGED_IN, post=LOGGED_IN_ACTION),
    "app:ding": Entry(lambda w: {"slug": w.bijeenkomst.slug}, get=COORDINATION),

The world is built once per module (in one transaction, rolled back at the end); each test
runs in a savepoint inside it, so an allowed POST changes nothing for the next test.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.urls.resolvers import RegexPattern
from django.utils import timezone

from tests.roles import ROLES, as_role
from tests.snapshot import changed_tables, snapshot

# --- the answers -------------------------------------------------------------------------

LOGIN = "302 → log-in"  # a redirect to the portal's log-in page (allauth)
ADMIN_LOGIN = "302 → admin log-in"  # a redirect to /beheer/login/ (which hands over to allauth)
REDIRECT = "302"  # a redirect somewhere else (back to a page, to the admin's own next step)


def expect(default, **per_role) -> dict:
    """The answer per role: `default` for every role not named."""
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"Unknown roles {unknown}; the roles are {ROLES}"
    return {role: per_role.get(role, default) for role in ROLES}


# Pages (GET)
PUBLIC = expect(200)
LOGGED_IN = expect(200, anonymous=LOGIN)
COORDINATION = expect(403, anonymous=LOGIN, coordinator=200, beheerder=200)
# What the thematrekker of `world.thema` may write (and coördinatoren with them)
THEMATREKKER = expect(403, anonymous=LOGIN, thematrekker=200, coordinator=200, beheerder=200)
ADMIN_PAGE = expect(ADMIN_LOGIN, beheerder=200)
# The GET of a POST-only action view
POST_ONLY = expect(405, anonymous=LOGIN)
# Actions (POST)
LOGGED_IN_ACTION = expect(REDIRECT, anonymous=LOGIN)
COORDINATION_ACTION = expect(403, anonymous=LOGIN, coordinator=REDIRECT, beheerder=REDIRECT)
# A coördinator's form that comes back with its errors (the matrix posts no valid data there)
COORDINATION_FORM_ERROR = expect(403, anonymous=LOGIN, coordinator=400, beheerder=400)
TREKKER_ACTION = expect(
    403, anonymous=LOGIN, trekker=REDIRECT, coordinator=REDIRECT, beheerder=REDIRECT
)
# What the trekker of `world.atelier` may edit (and coördinatoren with them)
TREKKER_PAGE = expect(403, anonymous=LOGIN, trekker=200, coordinator=200, beheerder=200)
# The management fields of an empty formset
FORMSET = ("TOTAL_FORMS", "INITIAL_FORMS")
THEMATREKKER_ACTION = expect(
    403, anonymous=LOGIN, thematrekker=REDIRECT, coordinator=REDIRECT, beheerder=REDIRECT
)
# Someone's own deelname: another person's is not found
OWN_ACTION = expect(404, anonymous=LOGIN, partner=REDIRECT)
# A confirmed member of the organisatie (the partner) decides, or a coördinator
MEMBER_ACTION = expect(
    403, anonymous=LOGIN, partner=REDIRECT, coordinator=REDIRECT, beheerder=REDIRECT
)
# The members' page of w.organisatie: its confirmed member (the partner) and coördinatoren
MEMBER_PAGE = expect(403, anonymous=LOGIN, partner=200, coordinator=200, beheerder=200)
# What only the contactpersoon of w.organisatie (the partner) does for colleagues
CONTACTPERSOON_ACTION = expect(403, anonymous=LOGIN, partner=REDIRECT)
# allauth's two-factor pages for someone who has none
NO_TOTP = expect(404, anonymous=LOGIN)
# A valid kennisproduct behind a link
PRODUCT_FORM = {
    "titel": "Handreiking",
    "soort": "handreiking",
    "samenvatting": "Kort",
    "jaar": 2024,
    "taal": "nl",
    "licentie": "cc-by-4.0",
    "link": "https://example.org/handreiking",
}


@dataclass(frozen=True)
class Entry:
    """One URL pattern: its kwargs from the world, and what each role gets.

    `kwargs(world)` gives the pattern's kwargs; `url(world)` replaces reversing altogether
    (for patterns without a name). `get` and `post` map role → status (an int or one of the
    redirects above); `post=None` means the pattern is not POSTed to. `data(world)` is the
    POST body, valid where it can be so that a refusal is about the role, not the data.
    """

    kwargs: Callable = lambda w: {}
    get: dict = field(default_factory=dict)
    post: dict | None = None
    data: Callable = lambda w: {}
    url: Callable | None = None


def slug(attribute):
    return lambda w: {"slug": getattr(w, attribute).slug}


def _onderdeel_data(w, **fields):
    """A valid programme item of w.dag (issue 21), with an empty formset of sprekers."""
    start = timezone.localtime(w.ronde.start)
    return {
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "eind": (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
        **{f"spreker-{n}": "0" for n in FORMSET},
        **fields,
    }


def _badge_code(aanmelding):
    from bijeenkomsten.badges import code_for

    return code_for(aanmelding)


def pk(attribute, **more):
    return lambda w: {"pk": getattr(w, attribute).pk, **{k: v(w) for k, v in more.items()}}


MATRIX: dict[str, Entry] = {
    # --- the home page and the plumbing
    "home": Entry(get=PUBLIC),
    "healthz": Entry(get=PUBLIC),
    "set_language": Entry(
        get=expect(REDIRECT), post=expect(REDIRECT), data=lambda w: {"language": "en"}
    ),
    # --- netwerk
    "netwerk:directory": Entry(get=PUBLIC),
    # A profile that is not public: only its owner and coördinatoren see it
    "netwerk:persoon": Entry(
        pk("partner"), get=expect(404, partner=200, coordinator=200, beheerder=200)
    ),
    "netwerk:organisatie": Entry(slug("organisatie"), get=PUBLIC),
    "netwerk:mijn": Entry(get=LOGGED_IN),
    "netwerk:profiel": Entry(
        get=POST_ONLY,
        post=LOGGED_IN_ACTION,
        data=lambda w: {"naam": "Nieuwe Naam", "organisatie": w.organisatie.pk},
    ),
    "netwerk:lidmaatschappen": Entry(get=COORDINATION),
    # Issue 23: the partner is a confirmed member and the contactpersoon of w.organisatie.
    "netwerk:organisatie-leden": Entry(slug("organisatie"), get=MEMBER_PAGE),
    "netwerk:contactpersoon-kiezen": Entry(
        slug("organisatie"),
        get=POST_ONLY,
        post=MEMBER_ACTION,
        data=lambda w: {"persoon": w.partner.pk},
    ),
    "netwerk:collega-uitnodigen": Entry(
        slug("organisatie"),
        get=POST_ONLY,
        post=CONTACTPERSOON_ACTION,
        data=lambda w: {"email": "nieuwe.collega@example.org"},
    ),
    "netwerk:evaluaties": Entry(
        get=POST_ONLY, post=LOGGED_IN_ACTION, data=lambda w: {"wil_evaluaties": "on"}
    ),
    "netwerk:delen": Entry(
        get=POST_ONLY, post=LOGGED_IN_ACTION, data=lambda w: {"deelt_aanmeldingen": "on"}
    ),
    "netwerk:organisaties-samenvoegen": Entry(
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"bron": w.dubbele_organisatie.pk, "doel": w.organisatie.pk},
    ),
    "netwerk:lidmaatschap-bevestigen": Entry(pk("lidmaatschap"), get=POST_ONLY, post=MEMBER_ACTION),
    "netwerk:lidmaatschap-afwijzen": Entry(pk("lidmaatschap"), get=POST_ONLY, post=MEMBER_ACTION),
    # --- leerateliers
    "leerateliers:lijst": Entry(get=PUBLIC),
    "leerateliers:detail": Entry(slug("atelier"), get=PUBLIC),
    "leerateliers:besluit": Entry(
        lambda w: {"token": w.besluit_token},
        get=expect(403, anonymous=LOGIN, trekker=200, coordinator=200, beheerder=200),
    ),
    "leerateliers:deelnemen": Entry(
        slug("ander_atelier"),
        get=POST_ONLY,
        post=LOGGED_IN_ACTION,
        data=lambda w: {"rol": "tribune"},
    ),
    "leerateliers:deelname-wisselen": Entry(
        pk("eigen_deelname"), get=POST_ONLY, post=OWN_ACTION, data=lambda w: {"rol": "arena"}
    ),
    "leerateliers:deelname-beeindigen": Entry(pk("eigen_deelname"), get=POST_ONLY, post=OWN_ACTION),
    "leerateliers:deelname-goedkeuren": Entry(
        pk("arena_verzoek"), get=POST_ONLY, post=TREKKER_ACTION
    ),
    "leerateliers:deelname-afwijzen": Entry(
        pk("arena_verzoek"), get=POST_ONLY, post=TREKKER_ACTION
    ),
    "leerateliers:bewerken": Entry(
        slug("atelier"),
        get=TREKKER_PAGE,
        post=TREKKER_ACTION,
        data=lambda w: {"sociale_kwestie": "Armoede", "beschrijving": "Tekst", "actie": "opslaan"},
    ),
    "leerateliers:praktijk-nieuw": Entry(
        slug("atelier"),
        get=TREKKER_PAGE,
        post=TREKKER_ACTION,
        data=lambda w: {"titel": "Nieuw", "actie": "opslaan"},
    ),
    "leerateliers:praktijk-bewerken": Entry(
        lambda w: {"pk": w.atelier.lerende_praktijken.get().pk},
        get=TREKKER_PAGE,
        post=TREKKER_ACTION,
        data=lambda w: {"titel": "Anders", "actie": "opslaan"},
    ),
    "leerateliers:samenvoegen": Entry(
        slug("ander_atelier"),
        get=POST_ONLY,
        post=COORDINATION_ACTION,
        data=lambda w: {"doel": w.atelier.pk},
    ),
    # --- themas and updates
    "themas:lijst": Entry(get=PUBLIC),
    "themas:detail": Entry(slug("thema"), get=PUBLIC),
    "themas:thema-bewerken": Entry(
        slug("thema"),
        get=THEMATREKKER,
        post=THEMATREKKER_ACTION,
        data=lambda w: {
            "inleiding": "Nieuw",
            "actie": "opslaan",
            **{f"{prefix}-{n}": "0" for prefix in ("invalshoek", "contact") for n in FORMSET},
        },
    ),
    "themas:update-lijst": Entry(get=PUBLIC),
    "themas:feed": Entry(get=PUBLIC, post=expect(405)),
    "themas:feed-thema": Entry(slug("thema"), get=PUBLIC, post=expect(405)),
    "themas:feed-leeratelier": Entry(slug("atelier"), get=PUBLIC, post=expect(405)),
    "themas:update-detail": Entry(slug("update"), get=PUBLIC),
    "themas:update-nieuw": Entry(
        lambda w: {"soort": "thema", "onderwerp": w.thema.slug},
        get=THEMATREKKER,
        post=THEMATREKKER_ACTION,
        data=lambda w: {
            "titel": "Nieuw",
            "samenvatting": "Kort",
            "tekst": "Lang",
            "actie": "concept",
        },
    ),
    "themas:volgen": Entry(
        lambda w: {"soort": "thema", "slug": w.thema.slug},
        get=POST_ONLY,
        post=LOGGED_IN_ACTION,
        data=lambda w: {"frequentie": "direct"},
    ),
    "themas:update-bewerken": Entry(
        slug("concept_update"),
        get=THEMATREKKER,
        post=THEMATREKKER_ACTION,
        data=lambda w: {
            "titel": "Anders",
            "samenvatting": "Kort",
            "tekst": "Lang",
            "actie": "concept",
        },
    ),
    "themas:update-publiceren": Entry(
        slug("concept_update"), get=POST_ONLY, post=THEMATREKKER_ACTION
    ),
    "themas:update-intrekken": Entry(slug("update"), get=POST_ONLY, post=THEMATREKKER_ACTION),
    # --- kennisbank: the library for everyone, writing for who leads an atelier or thema
    "kennisbank:lijst": Entry(get=PUBLIC),
    "kennisbank:zoeken": Entry(get=PUBLIC),
    # Harvesters may POST too (OAI-PMH); nothing changes
    "kennisbank:oai": Entry(get=PUBLIC, post=PUBLIC, data=lambda w: {"verb": "Identify"}),
    "kennisbank:feed": Entry(get=PUBLIC, post=expect(405)),
    "kennisbank:dossiers": Entry(get=PUBLIC),
    "kennisbank:dossier": Entry(slug("dossier"), get=PUBLIC),
    "kennisbank:detail": Entry(slug("product"), get=PUBLIC),
    # Coördinatoren curate dossiers; everyone else is refused before anything is read
    "kennisbank:dossier-nieuw": Entry(
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"titel": "Wonen en zorg", "samenvatting": "Alles over wonen."},
    ),
    "kennisbank:dossier-bewerken": Entry(
        slug("dossier"),
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"titel": "Ervaring", "samenvatting": "Anders.", "gepubliceerd": "on"},
    ),
    "kennisbank:dossier-toevoegen": Entry(
        slug("dossier"),
        get=POST_ONLY,
        post=COORDINATION_ACTION,
        data=lambda w: {"link": w.update.get_absolute_url()},
    ),
    "kennisbank:dossier-verplaatsen": Entry(
        lambda w: {"slug": w.dossier.slug, "pk": w.dossier.onderdelen.first().pk},
        get=POST_ONLY,
        post=COORDINATION_ACTION,
        data=lambda w: {"richting": "1"},
    ),
    "kennisbank:dossier-verwijderen": Entry(
        lambda w: {"slug": w.dossier.slug, "pk": w.dossier.onderdelen.first().pk},
        get=POST_ONLY,
        post=COORDINATION_ACTION,
    ),
    # A concept exists only for its writers
    "kennisbank:download": Entry(slug("concept_product"), get=expect(404), post=expect(405)),
    "kennisbank:citeren": Entry(
        lambda w: {"slug": w.product.slug, "formaat": "ris"}, get=PUBLIC, post=expect(405)
    ),
    "kennisbank:nieuw": Entry(
        get=expect(
            403, anonymous=LOGIN, trekker=200, thematrekker=200, coordinator=200, beheerder=200
        ),
        post=expect(
            403,
            anonymous=LOGIN,
            trekker=REDIRECT,
            # Leads no atelier the product is tagged with: told so on the form
            thematrekker=400,
            coordinator=REDIRECT,
            beheerder=REDIRECT,
        ),
        data=lambda w: {**PRODUCT_FORM, "leerateliers": [w.atelier.pk]},
    ),
    "kennisbank:bewerken": Entry(
        slug("concept_product"),
        get=TREKKER_PAGE,
        post=TREKKER_ACTION,
        data=lambda w: {**PRODUCT_FORM, "leerateliers": [w.atelier.pk]},
    ),
    "kennisbank:publiceren": Entry(slug("concept_product"), get=POST_ONLY, post=TREKKER_ACTION),
    "kennisbank:intrekken": Entry(slug("product"), get=POST_ONLY, post=TREKKER_ACTION),
    # --- nieuwsbrief: for everyone
    "toegankelijkheid": Entry(get=PUBLIC),
    "privacy:verklaring": Entry(get=PUBLIC),
    "privacy:gegevens": Entry(get=LOGGED_IN),
    "privacy:gegevens-json": Entry(get=LOGGED_IN),
    # Only ever one's own account; a wrong password comes back as a form error.
    "coordinatie": Entry(get=COORDINATION),
    "privacy:account-verwijderen": Entry(
        get=LOGGED_IN, post=expect(400, anonymous=LOGIN), data=lambda w: {"password": "fout"}
    ),
    "nieuwsbrief:aanmelden": Entry(
        get=PUBLIC,
        post=expect(REDIRECT),
        data=lambda w: {"email": "nieuw@example.org", "naam": "Nina", "toestemming": "on"},
    ),
    "nieuwsbrief:bevestigen": Entry(
        lambda w: {"token": "klopt-niet"}, get=expect(404), post=expect(404)
    ),
    "nieuwsbrief:afmelden": Entry(
        lambda w: {"token": w.abonnement.token}, get=PUBLIC, post=expect(200)
    ),
    "nieuwsbrief:mijn": Entry(get=LOGGED_IN, post=LOGGED_IN_ACTION),
    "nieuwsbrief:mijn-afmelden": Entry(get=POST_ONLY, post=LOGGED_IN_ACTION),
    "nieuwsbrief:archief": Entry(get=PUBLIC),
    "nieuwsbrief:feed": Entry(get=PUBLIC, post=expect(405)),
    "nieuwsbrief:archief-editie": Entry(slug("verzonden_editie"), get=PUBLIC),
    # --- nieuwsbrief: for coördinatoren
    "nieuwsbrief:edities": Entry(get=COORDINATION),
    "nieuwsbrief:samenstellen": Entry(get=POST_ONLY, post=COORDINATION_ACTION),
    "nieuwsbrief:editie": Entry(pk("editie"), get=COORDINATION),
    "nieuwsbrief:editie-bewerken": Entry(
        pk("editie"),
        get=POST_ONLY,
        post=COORDINATION_ACTION,
        data=lambda w: {"titel": "Anders", "voorwoord": "Hallo"},
    ),
    "nieuwsbrief:sectie-nieuw": Entry(
        pk("editie"),
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"titel": "Nieuw", "tekst": "Tekst"},
    ),
    "nieuwsbrief:sectie": Entry(
        pk("editie", sectie=lambda w: w.sectie.pk),
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"titel": "Anders", "tekst": "Tekst"},
    ),
    "nieuwsbrief:sectie-omhoog": Entry(
        pk("editie", sectie=lambda w: w.sectie.pk), get=POST_ONLY, post=COORDINATION_ACTION
    ),
    "nieuwsbrief:sectie-omlaag": Entry(
        pk("editie", sectie=lambda w: w.sectie.pk), get=POST_ONLY, post=COORDINATION_ACTION
    ),
    "nieuwsbrief:sectie-verwijderen": Entry(
        pk("editie", sectie=lambda w: w.sectie.pk), get=POST_ONLY, post=COORDINATION_ACTION
    ),
    "nieuwsbrief:voorbeeld": Entry(pk("editie"), get=COORDINATION),
    "nieuwsbrief:voorbeeld-html": Entry(pk("editie"), get=COORDINATION),
    "nieuwsbrief:voorbeeld-tekst": Entry(pk("editie"), get=COORDINATION),
    "nieuwsbrief:test": Entry(
        pk("editie"),
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"adressen": "lezer@example.org"},
    ),
    "nieuwsbrief:verzenden": Entry(
        pk("editie"),
        get=COORDINATION,
        post=COORDINATION_FORM_ERROR,
        data=lambda w: {"moment": "nu"},
    ),
    "nieuwsbrief:inplanning-intrekken": Entry(
        pk("editie"), get=POST_ONLY, post=COORDINATION_ACTION
    ),
    "nieuwsbrief:abonnees": Entry(get=COORDINATION),
    # --- bijeenkomsten: for everyone
    "bijeenkomsten:lijst": Entry(get=PUBLIC),
    "bijeenkomsten:agenda-ics": Entry(get=PUBLIC),
    "bijeenkomsten:ics": Entry(slug("bijeenkomst"), get=PUBLIC),
    "bijeenkomsten:detail": Entry(slug("bijeenkomst"), get=PUBLIC),
    "bijeenkomsten:aanmelden": Entry(
        slug("bijeenkomst"),
        get=expect(405),
        post=expect(REDIRECT),
        data=lambda w: {"naam": "Gijs Gast", "email": "gijs@example.org"},
    ),
    "bijeenkomsten:gast-bevestigen": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "token": w.gast_token},
        get=PUBLIC,
        post=expect(REDIRECT),
    ),
    "bijeenkomsten:aanmelding": Entry(lambda w: {"token": w.aanmelding.token}, get=PUBLIC),
    "bijeenkomsten:aanmelding-annuleren": Entry(
        lambda w: {"token": w.aanmelding.token}, get=expect(405), post=expect(REDIRECT)
    ),
    "bijeenkomsten:aanmelding-claimen": Entry(
        lambda w: {"token": w.wachtend.token}, get=expect(405), post=expect(REDIRECT)
    ),
    "bijeenkomsten:aanmelding-afwijzen": Entry(
        lambda w: {"token": w.wachtend.token}, get=expect(405), post=expect(REDIRECT)
    ),
    # Deelsessies through the personal link: the token is the permission.
    "bijeenkomsten:sessie-wijzigen": Entry(
        lambda w: {"token": w.sessie_aanmelding.token, "ronde": w.ronde.pk},
        get=expect(405),
        post=expect(REDIRECT),
        data=lambda w: {f"ronde{w.ronde.pk}-sessie_{w.ronde.pk}": str(w.sessie_b.pk)},
    ),
    "bijeenkomsten:sessie-claimen": Entry(
        lambda w: {"token": w.sessie_wachtend.token, "keuze": w.sessie_wachtkeuze.pk},
        get=expect(405),
        post=expect(REDIRECT),
    ),
    "bijeenkomsten:sessie-intrekken": Entry(
        lambda w: {"token": w.sessie_wachtend.token, "keuze": w.sessie_wachtkeuze.pk},
        get=expect(405),
        post=expect(REDIRECT),
    ),
    # One's own registration from /mijn/: nobody in the roles owns Bea's.
    "bijeenkomsten:eigen-aanmelding": Entry(pk("aanmelding"), get=expect(404, anonymous=LOGIN)),
    # The partner's own confirmed place; the address given is no colleague: 400, nothing done.
    "bijeenkomsten:aanmelding-doorgeven": Entry(
        pk("eigen_aanmelding"),
        get=expect(404, anonymous=LOGIN, partner=200),
        post=expect(404, anonymous=LOGIN, partner=400),
        data=lambda w: {"naam": "Vreemde", "email": "vreemde@example.org"},
    ),
    # Group registration: for confirmed members of an organisatie (the partner); the second
    # address is no colleague's, so the partner's POST is refused (400) and changes nothing.
    "bijeenkomsten:groep-aanmelden": Entry(
        slug("werkbezoek"),
        get=expect(403, anonymous=LOGIN, partner=200),
        post=expect(403, anonymous=LOGIN, partner=400),
        data=lambda w: {
            "naam_1": "Paula",
            "email_1": w.partner.email,
            "naam_2": "Vreemde",
            "email_2": "vreemde@example.org",
            "keuze": "samen",
        },
    ),
    # Claiming a group's offered places: its registrant only (nothing is offered: a message).
    "bijeenkomsten:groep-claimen": Entry(
        pk("groep"), get=POST_ONLY, post=expect(404, anonymous=LOGIN, partner=REDIRECT)
    ),
    "bijeenkomsten:collega-aanmelden": Entry(
        slug("organisatie"),
        get=POST_ONLY,
        post=CONTACTPERSOON_ACTION,
        data=lambda w: {"collega": w.partner.pk, "bijeenkomst": w.werkbezoek.pk},
    ),
    "bijeenkomsten:organisatie-voorstellen": Entry(get=COORDINATION),
    "bijeenkomsten:organisatie-voorstel-besluiten": Entry(
        pk("voorstel"),
        get=POST_ONLY,
        post=COORDINATION_ACTION,
        data=lambda w: {"besluit": "afwijzen"},
    ),
    "bijeenkomsten:organisaties-koppelen": Entry(get=POST_ONLY, post=COORDINATION_ACTION),
    "bijeenkomsten:eigen-aanmelding-claimen": Entry(
        pk("wachtend"), get=POST_ONLY, post=expect(404, anonymous=LOGIN)
    ),
    "bijeenkomsten:eigen-aanmelding-afwijzen": Entry(
        pk("wachtend"), get=POST_ONLY, post=expect(404, anonymous=LOGIN)
    ),
    # Issue 22: the verslag (its writers: coördinatoren and the trekker of the linked atelier),
    # the certificate (Bea was not checked in and the bijeenkomst is not over) and its check.
    "bijeenkomsten:verslag-schrijven": Entry(
        slug("bijeenkomst"),
        get=TREKKER_PAGE,
        post=TREKKER_ACTION,
        data=lambda w: {"geleerde_lessen": "Samen leren werkt."},
    ),
    "bijeenkomsten:verslag-bestand": Entry(slug("bijeenkomst"), get=expect(404)),
    "bijeenkomsten:eigen-bewijs": Entry(pk("aanmelding"), get=expect(404, anonymous=LOGIN)),
    "bijeenkomsten:aanmelding-bewijs": Entry(
        lambda w: {"token": w.aanmelding.token}, get=expect(404)
    ),
    "bijeenkomsten:bewijs-controle": Entry(lambda w: {"code": "1:nep"}, get=expect(404)),
    # The evaluation: the attendee's link is the permission (the empty POST misses the
    # required answer); its results and its sending are for the verslag's writers.
    "bijeenkomsten:evaluatie": Entry(
        lambda w: {"slug": w.terugblik.slug, "token": w.evaluatie_aanmelding.token},
        get=PUBLIC,
        post=expect(400),
    ),
    "bijeenkomsten:evaluatie-uitslag": Entry(slug("terugblik"), get=TREKKER_PAGE),
    "bijeenkomsten:evaluatie-versturen": Entry(
        slug("terugblik"), get=POST_ONLY, post=TREKKER_ACTION
    ),
    # The world's bijeenkomst has no verslag yet: nothing to make a kennisproduct of.
    "kennisbank:uit-verslag": Entry(
        slug("bijeenkomst"), get=POST_ONLY, post=expect(404, anonymous=LOGIN)
    ),
    "bijeenkomsten:uitnodiging": Entry(
        lambda w: {"token": w.uitnodiging.token},
        get=PUBLIC,
        post=expect(REDIRECT),
        data=lambda w: {"naam": "Ina Uitgenodigd"},
    ),
    "bijeenkomsten:geen-uitnodigingen": Entry(
        lambda w: {"token": w.uitnodiging.token}, get=PUBLIC, post=expect(REDIRECT)
    ),
    # --- bijeenkomsten: for coördinatoren
    "bijeenkomsten:beheer": Entry(get=COORDINATION),
    "bijeenkomsten:nieuw": Entry(get=COORDINATION, post=COORDINATION_FORM_ERROR),
    "bijeenkomsten:bewerken": Entry(
        slug("concept_bijeenkomst"), get=COORDINATION, post=COORDINATION_FORM_ERROR
    ),
    "bijeenkomsten:publiceren": Entry(
        slug("concept_bijeenkomst"), get=POST_ONLY, post=COORDINATION_ACTION
    ),
    "bijeenkomsten:annuleren": Entry(slug("bijeenkomst"), get=POST_ONLY, post=COORDINATION_ACTION),
    "bijeenkomsten:aanmeldingen": Entry(slug("bijeenkomst"), get=COORDINATION),
    "bijeenkomsten:capaciteit": Entry(
        slug("bijeenkomst"),
        get=POST_ONLY,
        post=COORDINATION_ACTION,
        data=lambda w: {"capaciteit": "5"},
    ),
    "bijeenkomsten:aanmelden-namens": Entry(
        slug("bijeenkomst"),
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"naam": "Xander", "email": "xander@example.org"},
    ),
    # GET (and a POST without `bevestigd`) asks "Weet je zeker…"; the confirmation cancels
    "bijeenkomsten:aanmelding-annuleren-namens": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "pk": w.aanmelding.pk},
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"bevestigd": "1"},
    ),
    # Issue 21: the questions of the registration form, deciding on requests
    "bijeenkomsten:vragen": Entry(
        slug("bijeenkomst"),
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"tekst": "Wat wil je leren?", "soort": "kort"},
    ),
    "bijeenkomsten:vraag-wijzigen": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "pk": w.vraag.pk},
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"tekst": "Ik ben een", "soort": "kort"},
    ),
    "bijeenkomsten:vraag-verwijderen": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "pk": w.vraag.pk},
        get=POST_ONLY,
        post=COORDINATION_ACTION,
    ),
    # Issue 21: the programme, kept by the team (w.sessie_b holds no choices)
    "bijeenkomsten:programma": Entry(slug("dag"), get=COORDINATION),
    "bijeenkomsten:onderdeel-nieuw": Entry(
        slug("dag"),
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: _onderdeel_data(w, soort="plenair", titel="Slot"),
    ),
    "bijeenkomsten:onderdeel-wijzigen": Entry(
        lambda w: {"slug": w.dag.slug, "pk": w.sessie_b.pk},
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: _onderdeel_data(
            w, soort="deelsessie", titel="Workshop B", ronde=w.ronde.pk, capaciteit=3
        ),
    ),
    "bijeenkomsten:onderdeel-verwijderen": Entry(
        lambda w: {"slug": w.dag.slug, "pk": w.sessie_b.pk},
        get=POST_ONLY,
        post=COORDINATION_ACTION,
    ),
    # Issue 21, point 8: the materials of a programme item (w.materiaal: slides shown at once)
    "bijeenkomsten:materialen": Entry(
        lambda w: {"slug": w.dag.slug, "pk": w.ronde.pk},
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"titel": "Opname", "link": "https://video.example.org/ronde"},
    ),
    "bijeenkomsten:materiaal-verwijderen": Entry(
        lambda w: {"slug": w.dag.slug, "pk": w.ronde.pk, "materiaal": w.materiaal.pk},
        get=POST_ONLY,
        post=COORDINATION_ACTION,
    ),
    "bijeenkomsten:materiaal-bestand": Entry(
        lambda w: {"slug": w.dag.slug, "pk": w.materiaal.pk}, get=PUBLIC
    ),
    "bijeenkomsten:aanvragen-besluiten": Entry(
        slug("bijeenkomst"),
        get=POST_ONLY,
        post=COORDINATION_ACTION,
        data=lambda w: {"aanvragen": [w.aanvraag.pk], "besluit": "goedkeuren"},
    ),
    "bijeenkomsten:wachtlijst-aanbieden": Entry(
        slug("bijeenkomst"), get=POST_ONLY, post=COORDINATION_ACTION
    ),
    "bijeenkomsten:wachtlijst-omhoog": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "pk": w.wachtend.pk},
        get=POST_ONLY,
        post=COORDINATION_ACTION,
    ),
    "bijeenkomsten:wachtlijst-omlaag": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "pk": w.wachtend.pk},
        get=POST_ONLY,
        post=COORDINATION_ACTION,
        data=lambda w: {"reden": "Dubbel"},
    ),
    "bijeenkomsten:uitnodigingen": Entry(slug("bijeenkomst"), get=COORDINATION),
    "bijeenkomsten:uitnodigingen-herinneren": Entry(
        slug("bijeenkomst"), get=POST_ONLY, post=COORDINATION_ACTION, data=lambda w: {"ronde": "1"}
    ),
    "bijeenkomsten:uitnodigen": Entry(
        slug("bijeenkomst"),
        get=COORDINATION,
        post=COORDINATION,
        data=lambda w: {"leerateliers": [w.atelier.pk], "rollen": ["arena"]},
    ),
    "bijeenkomsten:uitnodigen-versturen": Entry(
        slug("bijeenkomst"),
        get=POST_ONLY,
        post=COORDINATION_ACTION,
        data=lambda w: {"leerateliers": [w.atelier.pk], "rollen": ["tribune"]},
    ),
    "bijeenkomsten:berichten": Entry(slug("bijeenkomst"), get=COORDINATION),
    "bijeenkomsten:bericht-nieuw": Entry(
        slug("bijeenkomst"),
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"doelgroep": "open", "onderwerp": "Hallo", "tekst": "Tekst"},
    ),
    "bijeenkomsten:bericht": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "pk": w.bericht.pk}, get=COORDINATION
    ),
    "bijeenkomsten:bericht-wijzigen": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "pk": w.bericht.pk},
        get=COORDINATION,
        post=COORDINATION_ACTION,
        data=lambda w: {"doelgroep": "open", "onderwerp": "Anders", "tekst": "Anders"},
    ),
    "bijeenkomsten:bericht-versturen": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "pk": w.bericht.pk},
        get=POST_ONLY,
        post=COORDINATION_ACTION,
    ),
    "bijeenkomsten:importeren": Entry(
        slug("bijeenkomst"), get=COORDINATION, post=COORDINATION_FORM_ERROR
    ),
    "bijeenkomsten:import-controle": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "token": "verlopen"},
        get=expect(403, anonymous=LOGIN, coordinator=REDIRECT, beheerder=REDIRECT),
    ),
    "bijeenkomsten:import-bevestigen": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "token": "verlopen"},
        get=POST_ONLY,
        post=COORDINATION_ACTION,
    ),
    "bijeenkomsten:import-voortgang": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "token": w.import_.token}, get=COORDINATION
    ),
    "bijeenkomsten:aanwezigheid": Entry(slug("bijeenkomst"), get=COORDINATION),
    # Issue 21: the badges follow the door list (permissions.can_print_badges)
    "bijeenkomsten:badges": Entry(slug("bijeenkomst"), get=COORDINATION),
    "bijeenkomsten:badge": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "code": _badge_code(w.aanmelding)},
        get=COORDINATION,
    ),
    # A walk-in at the door; the world's bijeenkomst is not today, so the service refuses
    "bijeenkomsten:ter-plekke": Entry(
        slug("bijeenkomst"),
        get=COORDINATION,
        post=COORDINATION_FORM_ERROR,
        data=lambda w: {"naam": "Wanda Walk-in", "email": "wanda@example.org"},
    ),
    "bijeenkomsten:aanwezig-melden": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "pk": w.aanmelding.pk},
        get=POST_ONLY,
        post=COORDINATION_ACTION,
    ),
    "bijeenkomsten:aanwezig-ongedaan": Entry(
        lambda w: {"slug": w.bijeenkomst.slug, "pk": w.aanmelding.pk},
        get=POST_ONLY,
        post=COORDINATION_ACTION,
    ),
    "bijeenkomsten:export": Entry(slug("bijeenkomst"), get=COORDINATION),
    # --- bereik (issue 22): the reach report and its XLSX
    "bereik:bereik": Entry(get=COORDINATION),
    "bereik:export": Entry(get=COORDINATION),
    # --- allauth: logging in, signing up, passwords, e-mail addresses, two-factor
    "account_login": Entry(
        get=expect(REDIRECT, anonymous=200),
        post=expect(REDIRECT, anonymous=200),
        data=lambda w: {"login": "pim@example.org", "password": "fout"},
    ),
    "account_logout": Entry(get=expect(200, anonymous=REDIRECT), post=expect(REDIRECT)),
    "account_inactive": Entry(get=PUBLIC),
    "account_signup": Entry(
        get=expect(REDIRECT, anonymous=200), post=expect(REDIRECT, anonymous=200)
    ),
    "account_reauthenticate": Entry(get=LOGGED_IN),
    "account_request_reauthentication_code": Entry(
        get=expect(200, anonymous=LOGIN, beheerder=REDIRECT)
    ),
    "account_confirm_reauthentication_code": Entry(get=expect(REDIRECT, anonymous=LOGIN)),
    "account_email": Entry(get=LOGGED_IN),
    "account_email_verification_sent": Entry(get=PUBLIC),
    "account_change_password": Entry(get=LOGGED_IN),
    "account_set_password": Entry(get=expect(REDIRECT, anonymous=LOGIN)),
    "account_reset_password": Entry(
        get=PUBLIC, post=expect(REDIRECT), data=lambda w: {"email": "pim@example.org"}
    ),
    "account_confirm_login_code": Entry(get=expect(REDIRECT, anonymous=LOGIN)),
    "account_confirm_email": Entry(lambda w: {"key": "klopt-niet"}, get=PUBLIC),
    "account_reset_password_from_key_done": Entry(get=PUBLIC),
    "account_reset_password_from_key": Entry(
        lambda w: {"uidb36": "1", "key": "klopt-niet"}, get=PUBLIC
    ),
    "account_reset_password_done": Entry(get=PUBLIC),
    "mfa_index": Entry(get=LOGGED_IN),
    "mfa_authenticate": Entry(get=expect(REDIRECT, anonymous=LOGIN)),
    # The beheerder has TOTP set up (the admin asks for it): a code form, and turning it off
    # first asks to confirm.
    "mfa_reauthenticate": Entry(get=expect(REDIRECT, anonymous=LOGIN, beheerder=200)),
    "mfa_activate_totp": Entry(get=expect(REDIRECT, anonymous=LOGIN)),
    "mfa_deactivate_totp": Entry(get={**NO_TOTP, "beheerder": REDIRECT}),
    "mfa_view_recovery_codes": Entry(get=NO_TOTP),
    "mfa_generate_recovery_codes": Entry(get=expect(REDIRECT, anonymous=LOGIN)),
    "mfa_download_recovery_codes": Entry(get=NO_TOTP),
    # (nobody in the world has a second factor: these pages have nothing to show)
    # --- the admin (/beheer/): for the beheerder; its model pages are added below
    "admin:index": Entry(get=ADMIN_PAGE),
    "admin:login": Entry(get=expect(403, anonymous=LOGIN, beheerder=REDIRECT)),
    "admin:logout": Entry(get=expect(REDIRECT, beheerder=405)),
    "admin:password_change": Entry(get=ADMIN_PAGE),
    "admin:auth_user_password_change": Entry(lambda w: {"id": w.partner.pk}, get=ADMIN_PAGE),
    "admin:password_change_done": Entry(get=ADMIN_PAGE),
    "admin:autocomplete": Entry(get=expect(ADMIN_LOGIN, beheerder=403)),
    "admin:jsi18n": Entry(get=ADMIN_PAGE),
    "admin:view_on_site": Entry(
        lambda w: {"content_type_id": ct(w.bijeenkomst), "object_id": w.bijeenkomst.pk},
        get=expect(ADMIN_LOGIN, beheerder=REDIRECT),
    ),
    "admin:app_list": Entry(lambda w: {"app_label": "netwerk"}, get=ADMIN_PAGE),
    "admin:beheer/(?P<url>.*)$": Entry(
        url=lambda w: "/beheer/bestaat-niet/", get=expect(ADMIN_LOGIN, beheerder=404)
    ),
    # Only with DEBUG on: uploaded files in development.
    "media": Entry(url=lambda w: "/media/bestaat-niet.png", get=expect(404)),
}


# Issue 21, point 5: the team roles (tests/roles.py). The organisator of w.bijeenkomst (and
# of w.dag and the concept) gets what a coördinator gets for them; the co-organisator their
# own people, invitations and the programme; deur the door list and check-in only. Every
# role not named here keeps the answer of its entry above: the co-organisator of another
# bijeenkomst gets nothing of these (a 403, as a partner).
ALL_TEAM = ("organisator", "coorganisator", "deur", "ander_coorganisator")
ORG, CO, DEUR = ("organisator",), ("organisator", "coorganisator"), ("organisator", "deur")
TEAM_ANSWERS = {
    # key: (who of the team, their GET answer, their POST answer)
    "coordinatie": (ALL_TEAM, 200, None),
    "bijeenkomsten:beheer": (ALL_TEAM, 200, None),
    "bijeenkomsten:bewerken": (ORG, 200, 400),
    "bijeenkomsten:publiceren": (ORG, 405, REDIRECT),
    "bijeenkomsten:annuleren": (ORG, 405, REDIRECT),
    "bijeenkomsten:aanmeldingen": (CO, 200, None),
    "bijeenkomsten:capaciteit": (ORG, 405, REDIRECT),
    "bijeenkomsten:aanmelden-namens": (CO, 200, REDIRECT),
    # Bea is nobody of the co-organisator's network
    "bijeenkomsten:aanmelding-annuleren-namens": (ORG, 200, REDIRECT),
    "bijeenkomsten:vragen": (ORG, 200, REDIRECT),
    "bijeenkomsten:vraag-wijzigen": (ORG, 200, REDIRECT),
    "bijeenkomsten:vraag-verwijderen": (ORG, 405, REDIRECT),
    "bijeenkomsten:programma": (CO, 200, None),
    "bijeenkomsten:onderdeel-nieuw": (CO, 200, REDIRECT),
    "bijeenkomsten:onderdeel-wijzigen": (CO, 200, REDIRECT),
    "bijeenkomsten:onderdeel-verwijderen": (CO, 405, REDIRECT),
    "bijeenkomsten:aanvragen-besluiten": (ORG, 405, REDIRECT),
    "bijeenkomsten:wachtlijst-aanbieden": (ORG, 405, REDIRECT),
    "bijeenkomsten:wachtlijst-omhoog": (ORG, 405, REDIRECT),
    "bijeenkomsten:wachtlijst-omlaag": (ORG, 405, REDIRECT),
    "bijeenkomsten:uitnodigingen": (CO, 200, None),
    "bijeenkomsten:uitnodigingen-herinneren": (ORG, 405, REDIRECT),
    "bijeenkomsten:uitnodigen": (CO, 200, 200),
    "bijeenkomsten:uitnodigen-versturen": (CO, 405, REDIRECT),
    "bijeenkomsten:berichten": (ORG, 200, None),
    "bijeenkomsten:bericht-nieuw": (ORG, 200, REDIRECT),
    "bijeenkomsten:bericht": (ORG, 200, None),
    "bijeenkomsten:bericht-wijzigen": (ORG, 200, REDIRECT),
    "bijeenkomsten:bericht-versturen": (ORG, 405, REDIRECT),
    "bijeenkomsten:importeren": (ORG, 200, 400),
    "bijeenkomsten:import-controle": (ORG, REDIRECT, None),
    "bijeenkomsten:import-bevestigen": (ORG, 405, REDIRECT),
    "bijeenkomsten:import-voortgang": (ORG, 200, None),
    "bijeenkomsten:aanwezigheid": (DEUR, 200, None),
    "bijeenkomsten:ter-plekke": (DEUR, 200, 400),
    "bijeenkomsten:aanwezig-melden": (DEUR, 405, REDIRECT),
    "bijeenkomsten:aanwezig-ongedaan": (DEUR, 405, REDIRECT),
    "bijeenkomsten:export": (CO, 200, None),
    "bijeenkomsten:badges": (DEUR, 200, None),
    "bijeenkomsten:badge": (DEUR, 200, None),
    "bijeenkomsten:materialen": (CO, 200, REDIRECT),
    "bijeenkomsten:materiaal-verwijderen": (CO, 405, REDIRECT),
    "bijeenkomsten:verslag-schrijven": (ORG, 200, REDIRECT),
}
for key, (roles, get_answer, post_answer) in TEAM_ANSWERS.items():
    entry = MATRIX[key]
    MATRIX[key] = replace(
        entry,
        get={**entry.get, **dict.fromkeys(roles, get_answer)},
        post=None if entry.post is None else {**entry.post, **dict.fromkeys(roles, post_answer)},
    )
MATRIX.update(
    {
        # The team page: its organisator and coördinatoren; Pim (the partner) joins as deur.
        "bijeenkomsten:team": Entry(
            slug("bijeenkomst"),
            get=expect(403, anonymous=LOGIN, coordinator=200, beheerder=200, organisator=200),
            post=expect(
                403,
                anonymous=LOGIN,
                coordinator=REDIRECT,
                beheerder=REDIRECT,
                organisator=REDIRECT,
            ),
            data=lambda w: {"email": w.partner.email, "rol": "deur"},
        ),
        # Issue 21, point 6: a quotum for Zuyd on the dashboard of the bijeenkomst
        "bijeenkomsten:quotum": Entry(
            slug("bijeenkomst"),
            get=POST_ONLY,
            post=expect(
                403,
                anonymous=LOGIN,
                coordinator=REDIRECT,
                beheerder=REDIRECT,
                organisator=REDIRECT,
            ),
            data=lambda w: {
                "organisatie": w.werkplaats_zuyd.pk,
                "aantal": "1",
                "tot": timezone.localtime(w.bijeenkomst.start).strftime("%Y-%m-%dT%H:%M"),
            },
        ),
        "bijeenkomsten:teamlid-verwijderen": Entry(
            lambda w: {"slug": w.bijeenkomst.slug, "pk": w.deur_teamlid.pk},
            get=POST_ONLY,
            post=expect(
                403,
                anonymous=LOGIN,
                coordinator=REDIRECT,
                beheerder=REDIRECT,
                organisator=REDIRECT,
            ),
        ),
    }
)


def ct(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def first(model):
    """The admin's object: the model's first row (none: 0, which the admin answers with a
    redirect to its list)."""

    def kwargs(w):
        row = model._base_manager.order_by("pk").first()
        return {"object_id": row.pk if row else 0}

    return kwargs


ADMIN_DELETE = expect(ADMIN_LOGIN, beheerder=REDIRECT)
ADMIN_REFUSED = expect(ADMIN_LOGIN, beheerder=403)
ADMIN_NO_ROW = expect(ADMIN_LOGIN, beheerder=REDIRECT)
# Where a model admin answers otherwise than its six default pages: a read-only log, no
# adding by hand (rows come from services), deletion blocked by protected relations.
ADMIN_EXCEPTIONS = {
    "admin:bijeenkomsten_aanmelding_add": Entry(get=ADMIN_REFUSED),
    "admin:bijeenkomsten_handeling_add": Entry(get=ADMIN_REFUSED),
    "admin:bijeenkomsten_quotum_add": Entry(get=ADMIN_REFUSED),
    "admin:bijeenkomsten_handeling_delete": Entry(
        first(apps.get_model("bijeenkomsten", "Handeling")), get=ADMIN_REFUSED
    ),
    "admin:leerateliers_deelname_add": Entry(get=ADMIN_REFUSED),
    "admin:netwerk_abonnement_add": Entry(get=ADMIN_REFUSED),
    "admin:netwerk_domein_add": Entry(get=ADMIN_REFUSED),
    "admin:netwerk_lidmaatschap_add": Entry(get=ADMIN_REFUSED),
    "admin:netwerk_lidmaatschap_delete": Entry(
        first(apps.get_model("netwerk", "Lidmaatschap")), get=ADMIN_REFUSED
    ),
    "admin:netwerk_outboxmessage_add": Entry(get=ADMIN_REFUSED),
    "admin:nieuwsbrief_bezorging_add": Entry(get=ADMIN_REFUSED),
    "admin:nieuwsbrief_editie_add": Entry(get=ADMIN_REFUSED),
    # Protected: a bijeenkomst with registrations, an organisatie or person with history
    "admin:bijeenkomsten_bijeenkomst_delete": Entry(
        first(apps.get_model("bijeenkomsten", "Bijeenkomst")),
        get=ADMIN_PAGE,
        post=ADMIN_REFUSED,
        data=lambda w: {"post": "yes"},
    ),
    "admin:netwerk_organisatie_delete": Entry(
        first(apps.get_model("netwerk", "Organisatie")),
        get=ADMIN_PAGE,
        post=ADMIN_REFUSED,
        data=lambda w: {"post": "yes"},
    ),
    "admin:netwerk_persoon_delete": Entry(
        first(apps.get_model("netwerk", "Persoon")),
        get=ADMIN_PAGE,
        post=ADMIN_REFUSED,
        data=lambda w: {"post": "yes"},
    ),
}
# The world has no second factors and no deliveries yet: their object pages have no row.
for label in ("mfa_authenticator", "nieuwsbrief_bezorging"):
    for page in ("change", "history", "delete"):
        ADMIN_EXCEPTIONS[f"admin:{label}_{page}"] = Entry(
            lambda w: {"object_id": 0}, get=ADMIN_NO_ROW
        )
MATRIX.update(ADMIN_EXCEPTIONS)

# Every model the admin manages gets its pages for the beheerder only (anyone else is sent to
# the admin log-in); ADMIN_EXCEPTIONS above says where a model admin answers otherwise.
for model in admin.site._registry:
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    route = f"beheer/{model._meta.app_label}/{model._meta.model_name}/"
    MATRIX.setdefault(f"{info}_changelist", Entry(get=ADMIN_PAGE))
    MATRIX.setdefault(f"{info}_add", Entry(get=ADMIN_PAGE))
    MATRIX.setdefault(f"{info}_change", Entry(first(model), get=ADMIN_PAGE))
    MATRIX.setdefault(f"{info}_history", Entry(first(model), get=ADMIN_PAGE))
    MATRIX.setdefault(
        f"{info}_delete",
        Entry(first(model), get=ADMIN_PAGE, post=ADMIN_DELETE, data=lambda w: {"post": "yes"}),
    )
    # The old-style object URL redirects to the change page.
    MATRIX.setdefault(
        f"admin:{route}<path:object_id>/",
        Entry(
            url=lambda w, route=route, model=model: f"/{route}{first(model)(w)['object_id']}/",
            get=expect(ADMIN_LOGIN, beheerder=REDIRECT),
        ),
    )

# --- the URLconf, walked -----------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or "namespace:route" for a pattern without a name
    name: str | None
    route: str


def walk(resolver=None, namespace="", prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Pattern(name or f"{namespace}{route}", name, route)


PATTERNS = {pattern.key: pattern for pattern in walk()}


def url_for(entry: Entry, pattern: Pattern, w) -> str:
    if entry.url is not None:
        return entry.url(w)
    return reverse(pattern.name, kwargs=entry.kwargs(w))


def answer(response) -> int | str:
    if response.streaming:
        # Read to its end, so a file it hands out is closed (the test client closes it then).
        b"".join(response.streaming_content)
    if response.status_code in (301, 302):
        location = response.url
        if location.startswith(reverse("account_login")):
            return LOGIN
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        return REDIRECT
    return response.status_code


# --- the tests ---------------------------------------------------------------------------

KEYS = sorted(set(PATTERNS) | set(MATRIX))
OBSERVE = __import__("os").environ.get("MATRIX_OBSERVE")


def missing_entry_message(pattern: Pattern) -> str:
    key = pattern.key
    return (
        f"The URL pattern {key!r} ({pattern.route}) has no entry in MATRIX "
        f"(tests/test_url_matrix.py). Decide who may see it and add one line, e.g.\n"
        f'    "{key}": Entry(get=PUBLIC),\n'
        f'    "{key}": Entry(lambda w: {{"slug": w.bijeenkomst.slug}}, get=COORDINATION, '
        f"post=COORDINATION_ACTION),"
    )


def missing_entries(patterns) -> list[str]:
    return [missing_entry_message(pattern) for pattern in patterns if pattern.key not in MATRIX]


def test_every_url_pattern_has_an_entry_in_the_matrix():
    missing = missing_entries(PATTERNS.values())
    assert not missing, "\n\n".join(missing)


def test_a_new_page_without_an_entry_is_named_with_the_line_to_add():
    new_page = path("mijn/iets-nieuws/", lambda request: None, name="iets-nieuws")
    urlconf = URLResolver(
        RegexPattern(r"^/"),
        [*get_resolver().url_patterns, path("", include(([new_page], "netwerk")))],
    )

    missing = missing_entries(walk(urlconf))

    assert len(missing) == 1
    assert missing[0].startswith(
        "The URL pattern 'netwerk:iets-nieuws' (mijn/iets-nieuws/) has no entry in MATRIX"
    )
    assert '"netwerk:iets-nieuws": Entry(get=PUBLIC),' in missing[0]


def test_every_entry_in_the_matrix_names_a_url_pattern():
    stale = sorted(set(MATRIX) - set(PATTERNS))
    assert not stale, f"MATRIX has entries for URL patterns that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", KEYS)
def test_each_role_gets_the_answer_the_matrix_decides(client, module_world, key, role):
    world = module_world
    if key not in PATTERNS:
        pytest.skip(f"{key} is not in this URLconf")
    if key not in MATRIX and not OBSERVE:
        pytest.fail(missing_entry_message(PATTERNS[key]))
    pattern = PATTERNS[key]
    entry = MATRIX.get(key, Entry())
    url = url_for(entry, pattern, world)
    as_role(client, world.people, role)

    got = answer(client.get(url))
    if OBSERVE:
        return observe(client, entry, pattern, world, key, role, url, got)
    assert got == entry.get[role], f"GET {url} as {role}"

    if entry.post is not None:
        before = snapshot()
        with transaction.atomic():
            got = answer(client.post(url, entry.data(world)))
            after = snapshot()
            transaction.set_rollback(True)
        assert got == entry.post[role], f"POST {url} as {role}"
        if got in (LOGIN, ADMIN_LOGIN, 403, 404, 405):
            changed = changed_tables(before, after)
            assert not changed, f"POST {url} as {role} was refused but changed {changed}"


def observe(client, entry, pattern, world, key, role, url, got_get):
    import json

    before = snapshot()
    with transaction.atomic():
        got_post = answer(client.post(url, entry.data(world)))
        after = snapshot()
        transaction.set_rollback(True)
    changed = changed_tables(before, after)
    with open(OBSERVE, "a") as out:
        out.write(json.dumps([key, role, got_get, got_post, changed]) + "\n")
