"""The visitor cache (werkplaats.cache): cached pages change the moment their content changes
through a service, and nothing of one visitor ever reaches another.

These tests use the per-test LocMem cache of conftest.py (`_fast_and_isolated`): the cache
logic is the same on Redis, where the benchmark runs it.
"""

import importlib
import pkgutil
import re
from contextlib import suppress
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache as django_cache
from django.db import connection, transaction
from django.forms import SplitDateTimeField
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.template import RequestContext, Template, TemplateSyntaxError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from bijeenkomsten import services as bijeenkomst_services
from bijeenkomsten.imports import ImportRow
from bijeenkomsten.models import (
    Aanmelding,
    Bijeenkomst,
    Materiaal,
    Quotum,
    SessieKeuze,
    Uitnodiging,
    Vraag,
)
from leerateliers import services as leeratelier_services
from leerateliers.models import Deelname, Voorwaarde
from netwerk import services as netwerk_services
from netwerk.models import Organisatie
from nieuwsbrief import delivery as nieuwsbrief_delivery
from nieuwsbrief import services as nieuwsbrief_services
from nieuwsbrief.models import Editie
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory, programma_met_ronde
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import (
    AbonnementFactory,
    OrganisatieFactory,
    PersoonFactory,
    make_coordinator,
)
from tests.nieuwsbrief.factories import EditieFactory, SectieFactory
from tests.roles import log_in_to_beheer
from tests.themas.factories import ThemaFactory, UpdateFactory
from themas import services as thema_services
from themas.models import Update
from werkplaats import cache
from werkplaats.exceptions import RuleViolation

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.real_stack_only(
        reason="the visitor cache is on only with a cache every process shares (Redis)"
    ),
]

S = Aanmelding.Status


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what services leave for after their commit (the version bumps among it)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def served_from_cache(response) -> bool:
    # A rendered page carries its template context; a page from the cache has none.
    return getattr(response, "context", None) is None


def csrf_tokens(response) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)


# Versions


def test_a_committed_change_bumps_the_version_and_a_rolled_back_one_does_not(on_commit):
    before = cache.version("themas")

    with suppress(RuntimeError):
        on_commit(_bump_then_fail)
    assert cache.version("themas") == before

    on_commit(cache.bump, "themas")
    assert cache.version("themas") != before


def _bump_then_fail():
    with transaction.atomic():
        cache.bump("themas")
        raise RuntimeError("the change is rolled back")


def test_an_unknown_version_name_is_refused_at_once():
    with pytest.raises(ValueError, match="Unknown cache versions"):
        cache.bump("thema")
    with pytest.raises(ValueError, match="Unknown cache versions"):
        cache.cached_for_visitors("bijeenkomst")


def test_a_second_request_is_served_from_the_cache(client):
    LeeratelierFactory(naam="Armoede")

    first = client.get(reverse("leerateliers:lijst"))
    second = client.get(reverse("leerateliers:lijst"))

    assert not served_from_cache(first)
    assert served_from_cache(second)
    assert second.content == first.content.replace(
        csrf_tokens(first)[0].encode(), csrf_tokens(second)[0].encode()
    )


def test_the_accessibility_statement_is_served_from_the_cache_and_changes_with_a_deploy(
    client,
):
    url = reverse("toegankelijkheid")
    first = client.get(url)

    assert not served_from_cache(first)
    assert served_from_cache(client.get(url))
    with mock.patch.object(cache, "release", return_value="a-new-deploy"):
        assert not served_from_cache(client.get(url))


def test_without_a_shared_cache_nothing_is_cached(client, settings):
    settings.VISITOR_CACHE = False
    client.get(reverse("leerateliers:lijst"))
    assert not served_from_cache(client.get(reverse("leerateliers:lijst")))


# Each cached page changes the moment its content changes through a service.


def test_leeratelier_pages_show_a_new_deelname_at_once(client, on_commit):
    atelier = LeeratelierFactory(naam="Armoede")
    organisatie = OrganisatieFactory(naam="Buurtkracht")
    persoon = PersoonFactory(organisatie=organisatie)
    pages = [
        atelier.get_absolute_url(),
        reverse("leerateliers:lijst"),
        organisatie.get_absolute_url(),
        reverse("netwerk:directory") + "?rol=tribune",
        reverse("home"),
    ]
    before = {url: client.get(url).text for url in pages}
    assert all(served_from_cache(client.get(url)) for url in pages)

    on_commit(
        leeratelier_services.join_leeratelier,
        persoon=persoon,
        leeratelier=atelier,
        rol=Deelname.Rol.TRIBUNE,
    )

    after = {url: client.get(url) for url in pages}
    assert all(not served_from_cache(response) for response in after.values())
    assert "Buurtkracht" not in before[atelier.get_absolute_url()]
    assert "Buurtkracht" in after[atelier.get_absolute_url()].text
    assert "1 op de tribune" in after[reverse("leerateliers:lijst")].text
    assert "Armoede" in after[organisatie.get_absolute_url()].text
    assert "Buurtkracht" in after[reverse("netwerk:directory") + "?rol=tribune"].text


def test_leaving_and_deciding_show_at_once(client, on_commit):
    trekker = PersoonFactory()
    atelier = LeeratelierFactory(trekkers=[trekker])
    persoon = PersoonFactory(organisatie=OrganisatieFactory(naam="Wijkteam Oost"))
    deelname = on_commit(
        leeratelier_services.join_leeratelier,
        persoon=persoon,
        leeratelier=atelier,
        rol=Deelname.Rol.ARENA,
    )
    url = atelier.get_absolute_url()
    assert "Wijkteam Oost" not in client.get(url).text

    on_commit(leeratelier_services.approve_arena, deelname=deelname, door=trekker)
    assert "Wijkteam Oost" in client.get(url).text

    on_commit(leeratelier_services.leave_leeratelier, deelname=deelname)
    assert "Wijkteam Oost" not in client.get(url).text


def test_an_approved_organisatie_appears_in_the_directory_at_once(client, on_commit):
    organisatie = OrganisatieFactory(naam="Nieuwe Buurtcoöperatie", status="voorgesteld")
    url = reverse("netwerk:directory")
    assert "Nieuwe Buurtcoöperatie" not in client.get(url).text

    on_commit(netwerk_services.approve_organisatie, organisatie=organisatie)

    assert "Nieuwe Buurtcoöperatie" in client.get(url).text


def test_a_new_name_in_a_profile_shows_on_the_thema_pages_at_once(client, on_commit):
    trekker = PersoonFactory(naam="Els Eerste")
    thema = ThemaFactory(thematrekkers=[trekker])
    pages = [reverse("themas:lijst"), thema.get_absolute_url()]
    assert all("Els Eerste" in client.get(url).text for url in pages)

    on_commit(
        netwerk_services.update_profiel,
        persoon=trekker,
        naam="Els Tweede",
        organisatie=None,
        functie="",
        bio="",
        profiel_zichtbaar=True,
    )

    assert all("Els Tweede" in client.get(url).text for url in pages)


def test_publishing_editing_and_withdrawing_an_update_show_at_once(client, on_commit):
    thema = ThemaFactory()
    update = UpdateFactory(
        thema=thema,
        titel="Nieuws uit de wijk",
        status=Update.Status.CONCEPT,
        auteur=PersoonFactory(),
    )
    pages = [
        reverse("home"),
        reverse("themas:update-lijst"),
        thema.get_absolute_url(),
        reverse("themas:feed"),
        reverse("themas:feed-thema", args=[thema.slug]),
    ]
    assert all("Nieuws uit de wijk" not in client.get(url).text for url in pages)

    on_commit(thema_services.publish_update, update_id=update.pk)
    assert all("Nieuws uit de wijk" in client.get(url).text for url in pages)
    detail = update.get_absolute_url()
    assert "Nieuws uit de wijk" in client.get(detail).text

    on_commit(
        thema_services.save_update,
        update=update,
        auteur=update.auteur,
        titel="Nieuws uit het dorp",
        samenvatting=update.samenvatting,
        tekst=update.tekst,
    )
    assert all("Nieuws uit het dorp" in client.get(url).text for url in [*pages, detail])

    on_commit(thema_services.withdraw_update, update=update)
    assert all("Nieuws uit het dorp" not in client.get(url).text for url in pages)
    assert client.get(detail).status_code == 404


def test_a_scheduled_update_appears_when_the_periodic_task_publishes_it(client, on_commit):
    UpdateFactory(
        titel="Later nieuws", status=Update.Status.INGEPLAND, publiceren_op=timezone.now()
    )
    assert "Later nieuws" not in client.get(reverse("themas:update-lijst")).text

    on_commit(thema_services.publish_due_updates)

    assert "Later nieuws" in client.get(reverse("themas:update-lijst")).text


def test_the_places_left_change_on_every_page_with_each_registration(client, on_commit):
    atelier = LeeratelierFactory()
    thema = ThemaFactory()
    bijeenkomst = BijeenkomstFactory(titel="Wijkavond", capaciteit=3)
    bijeenkomst.leerateliers.add(atelier)
    bijeenkomst.themas.add(thema)
    pages = [
        bijeenkomst.get_absolute_url(),
        reverse("bijeenkomsten:lijst"),
        reverse("home"),
        atelier.get_absolute_url(),
        thema.get_absolute_url(),
    ]
    assert all("Nog 3 plaatsen vrij" in client.get(url).text for url in pages)

    aanmelding = on_commit(
        bijeenkomst_services.register,
        bijeenkomst=bijeenkomst,
        email="gast@example.org",
        naam="Gast",
    )
    assert all("Nog 2 plaatsen vrij" in client.get(url).text for url in pages)

    on_commit(bijeenkomst_services.cancel, aanmelding=aanmelding)
    assert all("Nog 3 plaatsen vrij" in client.get(url).text for url in pages)

    on_commit(bijeenkomst_services.change_capacity, bijeenkomst=bijeenkomst, capaciteit=0)
    assert all("Vol — wachtlijst open" in client.get(url).text for url in pages)


def test_a_guest_confirming_by_link_changes_the_places_left_at_once(client, on_commit):
    bijeenkomst = BijeenkomstFactory(capaciteit=5)
    url = bijeenkomst.get_absolute_url()
    assert "Nog 5 plaatsen vrij" in client.get(url).text
    token = bijeenkomst_services.request_guest_registration(
        bijeenkomst=bijeenkomst, gegevens={"email": "gast@example.org", "naam": "Gast"}
    )
    confirm = reverse(
        "bijeenkomsten:gast-bevestigen", kwargs={"slug": bijeenkomst.slug, "token": token}
    )

    response = on_commit(client.post, confirm, {"dieetwensen": "", "toegankelijkheid": ""})
    assert response.status_code == 302

    assert "Nog 4 plaatsen vrij" in Client().get(url).text


def test_changing_publishing_and_cancelling_a_bijeenkomst_show_on_its_pages(client, on_commit):
    coordinator = make_coordinator()
    bijeenkomst = on_commit(
        bijeenkomst_services.create_bijeenkomst,
        door=coordinator,
        titel="Masterclass samen",
        soort=Bijeenkomst.Soort.MASTERCLASS,
        start=timezone.now() + timedelta(days=10),
        eind=timezone.now() + timedelta(days=10, hours=2),
        locatie_naam="Wijkcentrum",
        capaciteit=20,
    )
    pages = [reverse("bijeenkomsten:lijst"), reverse("bijeenkomsten:agenda-ics")]
    assert all("Masterclass samen" not in client.get(url).text for url in pages)

    bijeenkomst = on_commit(
        bijeenkomst_services.publish_bijeenkomst, bijeenkomst=bijeenkomst, door=coordinator
    )
    assert all("Masterclass samen" in client.get(url).text for url in pages)

    on_commit(
        bijeenkomst_services.update_bijeenkomst,
        bijeenkomst=bijeenkomst,
        door=coordinator,
        titel="Masterclass verbinden",
    )
    assert all("Masterclass verbinden" in client.get(url).text for url in pages)

    on_commit(bijeenkomst_services.cancel_bijeenkomst, bijeenkomst=bijeenkomst, door=coordinator)
    assert "Gaat niet door" in client.get(reverse("bijeenkomsten:lijst")).text
    assert "STATUS:CANCELLED" in client.get(reverse("bijeenkomsten:agenda-ics")).text


# Every service of bijeenkomsten that changes registrations or a bijeenkomst marks the pages
# as changed: the lock they all take does it (services._lock), and these prove it per service.


def _scenarios():
    def waiting(bijeenkomst, n=2):
        for number in range(n):
            AanmeldingFactory(
                bijeenkomst=bijeenkomst, status=S.WACHTLIJST, wachtlijst_volgorde=number + 1
            )

    def offered(bijeenkomst, **extra):
        return AanmeldingFactory(
            bijeenkomst=bijeenkomst,
            status=S.AANGEBODEN,
            wachtlijst_volgorde=1,
            doorgeschoven_op=timezone.now() - timedelta(days=2),
            aanbod_tot=timezone.now() + timedelta(hours=6),
            **extra,
        )

    coordinator = make_coordinator
    return {
        "register": lambda b: bijeenkomst_services.register(
            bijeenkomst=b, email="a@example.org", naam="A"
        ),
        "forget_persoon": lambda b: bijeenkomst_services.forget_persoon(
            persoon=AanmeldingFactory(
                bijeenkomst=b, persoon=PersoonFactory(), email="weg@example.org"
            ).persoon
        ),
        "anonymise_past_registrations": lambda b: (
            AanmeldingFactory(bijeenkomst=b),
            bijeenkomst_services.anonymise_past_registrations(
                now=b.eind + timedelta(days=800), months=12
            ),
        ),
        "register_on_behalf": lambda b: bijeenkomst_services.register_on_behalf(
            bijeenkomst=b, door=coordinator(), email="a@example.org", naam="A"
        ),
        "confirm_guest_registration": lambda b: bijeenkomst_services.confirm_guest_registration(
            bijeenkomst=b,
            token=bijeenkomst_services.request_guest_registration(
                bijeenkomst=b, gegevens={"email": "g@example.org", "naam": "G"}
            ),
        ),
        "cancel": lambda b: bijeenkomst_services.cancel(
            aanmelding=AanmeldingFactory(bijeenkomst=b)
        ),
        "claim": lambda b: bijeenkomst_services.claim(aanmelding=offered(b)),
        "decline": lambda b: bijeenkomst_services.decline(aanmelding=offered(b)),
        "expire_offers": lambda b: (
            Aanmelding.objects.filter(pk=offered(b).pk).update(
                aanbod_tot=timezone.now() - timedelta(minutes=1)
            ),
            bijeenkomst_services.expire_offers(bijeenkomst_id=b.pk),
        ),
        "remind_offer": lambda b: bijeenkomst_services.remind_offer(aanmelding_id=offered(b).pk),
        "release_reserved_places": lambda b: (
            Quotum.objects.create(
                bijeenkomst=b, aantal=2, tot=timezone.now() - timedelta(minutes=1)
            ),
            bijeenkomst_services.release_reserved_places(bijeenkomst_id=b.pk),
        ),
        "save_quotum": lambda b: bijeenkomst_services.save_quotum(
            bijeenkomst=b,
            door=None,
            organisatie=None,
            aantal=2,
            tot=timezone.now() + timedelta(days=1),
        ),
        "change_capacity": lambda b: bijeenkomst_services.change_capacity(
            bijeenkomst=b, capaciteit=30
        ),
        "offer_next_place": lambda b: (
            waiting(b),
            bijeenkomst_services.offer_next_place(bijeenkomst=b, door=coordinator()),
        ),
        "move_on_waitlist": lambda b: (
            waiting(b),
            bijeenkomst_services.move_on_waitlist(
                aanmelding=b.aanmeldingen.get(wachtlijst_volgorde=2),
                door=coordinator(),
                omhoog=True,
                reden="Spreker",
            ),
        ),
        "update_bijeenkomst": lambda b: bijeenkomst_services.update_bijeenkomst(
            bijeenkomst=b, door=coordinator(), titel="Anders"
        ),
        "publish_bijeenkomst": lambda b: (
            Bijeenkomst.objects.filter(pk=b.pk).update(status=Bijeenkomst.Status.CONCEPT),
            bijeenkomst_services.publish_bijeenkomst(bijeenkomst=b, door=coordinator()),
        ),
        "cancel_bijeenkomst": lambda b: bijeenkomst_services.cancel_bijeenkomst(
            bijeenkomst=b, door=coordinator()
        ),
        "import_aanmeldingen": lambda b: bijeenkomst_services.import_aanmeldingen(
            bijeenkomst=b,
            door=coordinator(),
            rows=[ImportRow(number=2, naam="I", email="i@example.org")],
        ),
        "run_import": lambda b: bijeenkomst_services.run_import(
            import_id=bijeenkomst_services.queue_import(
                bijeenkomst=b,
                door=coordinator(),
                token="t",
                rows=[ImportRow(number=2, naam="I", email="i@example.org")],
            ).pk
        ),
        "register_invited": lambda b: bijeenkomst_services.register_invited(
            uitnodiging=Uitnodiging.objects.create(bijeenkomst=b, email="u@example.org"),
            naam="U",
        ),
        "check_in": lambda b: bijeenkomst_services.check_in(
            aanmelding=AanmeldingFactory(bijeenkomst=b), door=coordinator()
        ),
        "register_walk_in": lambda b: bijeenkomst_services.register_walk_in(
            bijeenkomst=b, door=coordinator(), naam="W", email="w@example.org", now=b.start
        ),
        "undo_check_in": lambda b: bijeenkomst_services.undo_check_in(
            aanmelding=AanmeldingFactory(bijeenkomst=b, aanwezig_op=timezone.now()),
            door=coordinator(),
        ),
        "approve": lambda b: bijeenkomst_services.approve(
            bijeenkomst=b,
            aanmeldingen=[AanmeldingFactory(bijeenkomst=b, status=S.AANGEVRAAGD).pk],
            door=coordinator(),
        ),
        "decline_requests": lambda b: bijeenkomst_services.decline_requests(
            bijeenkomst=b,
            aanmeldingen=[AanmeldingFactory(bijeenkomst=b, status=S.AANGEVRAAGD).pk],
            door=coordinator(),
        ),
        "save_question": lambda b: bijeenkomst_services.save_question(
            bijeenkomst=b, door=coordinator(), soort="kort", tekst="Wat is je rol?"
        ),
        "delete_question": lambda b: bijeenkomst_services.delete_question(
            vraag=Vraag.objects.create(bijeenkomst=b, soort="kort", tekst="Weg?"),
            door=coordinator(),
        ),
        "save_onderdeel": lambda b: bijeenkomst_services.save_onderdeel(
            bijeenkomst=b,
            soort="plenair",
            titel="Slot",
            start=b.start,
            eind=b.start + timedelta(hours=1),
        ),
        "delete_onderdeel": lambda b: bijeenkomst_services.delete_onderdeel(
            onderdeel=_sessies(b)[1][1]
        ),
        "change_session_capacity": lambda b: bijeenkomst_services.change_session_capacity(
            deelsessie=_sessies(b)[1][0], capaciteit=5
        ),
        "change_session": lambda b: (
            lambda ronde_sessies: bijeenkomst_services.change_session(
                aanmelding=bijeenkomst_services.register(
                    bijeenkomst=b, email="s@example.org", naam="S", sessies=[ronde_sessies[1][0]]
                ),
                deelsessie=ronde_sessies[1][1],
            )
        )(_sessies(b)),
        "claim_session": lambda b: bijeenkomst_services.claim_session(
            keuze=_keuze(b, SessieKeuze.Status.AANGEBODEN, minutes=60)
        ),
        "withdraw_session_choice": lambda b: bijeenkomst_services.withdraw_session_choice(
            keuze=_keuze(b, SessieKeuze.Status.WACHTLIJST)
        ),
        "expire_session_offers": lambda b: bijeenkomst_services.expire_session_offers(
            bijeenkomst_id=_keuze(
                b, SessieKeuze.Status.AANGEBODEN, minutes=-5
            ).aanmelding.bijeenkomst_id
        ),
        "hand_on": lambda b: _hand_on(b),
        "register_colleague": lambda b: _register_colleague(b),
        "register_group": lambda b: _register_group(b),
        "claim_group": lambda b: _claim_group(b),
        "create_bijeenkomst": lambda b: bijeenkomst_services.create_bijeenkomst(
            door=coordinator(),
            titel="Nieuw",
            soort=Bijeenkomst.Soort.WEBINAR,
            start=b.start,
            eind=b.eind,
            online_link="https://example.org/webinar",
        ),
        "save_verslag": lambda b: bijeenkomst_services.save_verslag(
            bijeenkomst=b, door=coordinator(), geleerde_lessen="Samen leren."
        ),
        "add_materiaal": lambda b: bijeenkomst_services.add_materiaal(
            onderdeel=_sessies(b)[0],
            door=coordinator(),
            titel="Opname",
            link="https://video.example.org/ronde",
        ),
        "delete_materiaal": lambda b: bijeenkomst_services.delete_materiaal(
            materiaal=Materiaal.objects.create(
                onderdeel=_sessies(b)[0], titel="Weg", link="https://example.org/weg"
            )
        ),
    }


def _colleagues():
    from tests.netwerk.factories import OrganisatieFactory, make_lidmaatschap

    organisatie = OrganisatieFactory(maildomein="collegas.example.nl")
    gever, collega = PersoonFactory(), PersoonFactory()
    for persoon in (gever, collega):
        make_lidmaatschap(persoon, organisatie)
    return organisatie, gever, collega


def _sessies(bijeenkomst):
    return programma_met_ronde(bijeenkomst, capaciteiten=(1, 2))


def _keuze(bijeenkomst, status, minutes=None):
    """A session choice of a confirmed registration: waiting, or offered until `minutes`
    from now (in the past: expired)."""
    ronde, (sessie, _other) = _sessies(bijeenkomst)
    return SessieKeuze.objects.create(
        aanmelding=AanmeldingFactory(bijeenkomst=bijeenkomst),
        deelsessie=sessie,
        ronde=ronde,
        status=status,
        wachtlijst_volgorde=1,
        aanbod_tot=None if minutes is None else timezone.now() + timedelta(minutes=minutes),
    )


def _hand_on(bijeenkomst):
    _organisatie, gever, _collega = _colleagues()
    aanmelding = AanmeldingFactory(bijeenkomst=bijeenkomst, persoon=gever, email=gever.email)
    return bijeenkomst_services.hand_on(
        aanmelding=aanmelding, door=gever, email="c@collegas.example.nl", naam="C"
    )


def _register_colleague(bijeenkomst):
    organisatie, gever, collega = _colleagues()
    return bijeenkomst_services.register_colleague(
        bijeenkomst=bijeenkomst, organisatie=organisatie, door=gever, collega=collega
    )


def _register_group(bijeenkomst):
    _organisatie, gever, _collega = _colleagues()
    return bijeenkomst_services.register_group(
        bijeenkomst=bijeenkomst,
        door=gever,
        leden=[("A", "a@collegas.example.nl"), ("B", "b@collegas.example.nl")],
        keuze="samen",
    )


def _claim_group(bijeenkomst):
    from bijeenkomsten.models import Groep

    _organisatie, gever, _collega = _colleagues()
    groep = Groep.objects.create(bijeenkomst=bijeenkomst, aangemeld_door=gever, keuze="samen")
    for number in (1, 2):
        AanmeldingFactory(
            bijeenkomst=bijeenkomst,
            groep=groep,
            status=Aanmelding.Status.AANGEBODEN,
            wachtlijst_volgorde=number,
            doorgeschoven_op=timezone.now(),
            aanbod_tot=timezone.now() + timedelta(hours=6),
        )
    return bijeenkomst_services.claim_group(groep=groep, door=gever)


# Functions of bijeenkomsten.services (any of its modules) that change nothing a visitor
# sees: reads for tasks, the guest's request (it takes no place until the link is used) and
# the deletion of expired guest requests.
READS = {
    "bijeenkomsten_with_reservations_due",
    "bijeenkomsten_with_expired_offers",
    "imports_to_resume",
    # Questions and approval: reads, and the answers only the team sees.
    "clean_answers",
    "needs_approval",
    "registration_questions",
    "save_answers",
    "offers_due_for_reminder",
    "read_guest_registration",
    "request_guest_registration",
    "delete_expired_guest_registrations",
    "bijeenkomsten_due_for_day_before_reminder",
    "invitation_refusal",
    "registration_refusal",
    # A new personal link for its owner changes nothing a visitor sees.
    "personal_link",
    # Invitations, messages to the registered and reminders change nothing a visitor sees.
    "invite",
    "remind_invited",
    "save_bericht",
    "send_bericht",
    "remind_attendees",
    # A date helper of the retention.
    "months_before",
    # A confirmed import waits for its task (run_import) before anything shows; a checked
    # file waiting for its confirmation, and deleting it when it expired, show nowhere.
    "queue_import",
    "keep_checked_import",
    "delete_expired_import_checks",
    # The attendance a verslag is filled in with: a read.
    "attendance",
    # Deelsessies: which session choices a registration may make, and what is due.
    "check_choices",
    "bijeenkomsten_with_expired_session_offers",
    # Linking a registration's free-text organisatie to a row shows on no visitor's page.
    "match_organisaties",
    "decide_voorstel",
    # The evaluation: its mail, its anonymous answers and the reads around them show on no
    # visitor's page.
    "send_evaluation",
    "submit_evaluation",
    "evaluation_questions",
    "evaluation_state",
    "evaluation_closes",
    "evaluation_recipients",
    "bijeenkomsten_due_for_evaluation",
    # Group registration: the check of its members, before anything changes.
    "clean_members",
    # The team of a bijeenkomst shows only on its management pages, never to visitors.
    "save_teamlid",
    "remove_teamlid",
}


# Parts of the session rules that run only inside a service above, under its lock (which
# marks the places as changed): covered by the scenarios of those services.
INSIDE_A_SERVICE = {
    "activate_choices",
    "release_choices",
    "choose_at_registration",
    "end_all_choices",
}


def test_every_changing_service_of_bijeenkomsten_is_covered_below():
    # Every module of the package, so a service that is not (yet) re-exported counts too.
    modules = [
        importlib.import_module(f"{bijeenkomst_services.__name__}.{info.name}")
        for info in pkgutil.iter_modules(bijeenkomst_services.__path__)
    ]
    public = {
        name
        for module in modules
        for name, value in vars(module).items()
        if callable(value)
        and not name.startswith("_")
        and getattr(value, "__module__", "") == module.__name__
        and not isinstance(value, type)
    }
    assert {"register", "forget_persoon"} <= public  # it found the services at all
    missing = public - READS - INSIDE_A_SERVICE - set(_scenarios())
    assert not missing, (
        f"{sorted(missing)} in bijeenkomsten/services/: add a scenario to _scenarios() in "
        "tests/werkplaats/test_cache.py (or to READS when it changes nothing)."
    )


# What each service changes: the bijeenkomst itself, or only who has a place; a new
# bijeenkomst, a verslag and the questions of its registration form change its page but
# nobody's place.
CHANGES_THE_PAGE_ONLY = {
    "create_bijeenkomst",
    "save_verslag",
    "save_question",
    "delete_question",
    "add_materiaal",
    "delete_materiaal",
}
CHANGES_THE_BIJEENKOMST = {
    "save_onderdeel",
    "delete_onderdeel",
    "create_bijeenkomst",
    "update_bijeenkomst",
    "publish_bijeenkomst",
    "cancel_bijeenkomst",
}


@pytest.mark.parametrize("service", sorted(_scenarios()))
def test_each_bijeenkomsten_service_marks_the_pages_as_changed(service, on_commit):
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    names = ("bijeenkomsten", "aanmeldingen")
    before = {name: cache.version(name) for name in names}

    on_commit(_scenarios()[service], bijeenkomst)

    changed = {name for name in names if cache.version(name) != before[name]}
    if service in CHANGES_THE_PAGE_ONLY:
        assert changed == {"bijeenkomsten"}
    elif service in CHANGES_THE_BIJEENKOMST:
        assert changed == {"bijeenkomsten", "aanmeldingen"}
    else:
        assert changed == {"aanmeldingen"}


def test_a_refused_registration_changes_no_version(on_commit):
    bijeenkomst = BijeenkomstFactory(capaciteit=0, wachtlijst_open=False)
    before = cache.version("aanmeldingen")

    with pytest.raises(bijeenkomst_services.RegistrationError):
        on_commit(
            bijeenkomst_services.register,
            bijeenkomst=bijeenkomst,
            email="a@example.org",
            naam="A",
        )

    assert cache.version("aanmeldingen") == before


# The clock: what changes without anyone doing anything.


def test_a_bijeenkomst_leaves_the_coming_ones_when_it_ends_without_any_change(client):
    bijeenkomst = BijeenkomstFactory(titel="Ochtendsessie")
    url = reverse("bijeenkomsten:lijst")
    assert "Ochtendsessie" in _komend(client.get(url).text)
    assert "Ochtendsessie" in _komend(client.get(url).text)

    later = bijeenkomst.eind + timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("werkplaats.cache.time.time", return_value=later.timestamp()),
    ):
        response = client.get(url)

    assert not served_from_cache(response)
    assert "Ochtendsessie" not in _komend(response.text)


def _komend(html: str) -> str:
    return html.split('id="voorbij"')[0]


def test_the_registration_form_goes_when_the_window_closes(client):
    bijeenkomst = BijeenkomstFactory(aanmelden_tot=timezone.now() + timedelta(hours=1))
    url = bijeenkomst.get_absolute_url()
    assert 'class="aanmeld-form"' in client.get(url).text

    later = bijeenkomst.aanmelden_tot + timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("werkplaats.cache.time.time", return_value=later.timestamp()),
    ):
        assert 'class="aanmeld-form"' not in client.get(url).text


def test_materials_show_on_the_visitors_page_when_added_and_when_the_bijeenkomst_ends(
    client, on_commit
):
    bijeenkomst = BijeenkomstFactory()
    ronde, _sessies_ = _sessies(bijeenkomst)
    url = bijeenkomst.get_absolute_url()
    client.get(url)
    assert served_from_cache(client.get(url))

    on_commit(
        bijeenkomst_services.add_materiaal,
        onderdeel=ronde,
        door=make_coordinator(),
        titel="Opname van de ronde",
        link="https://video.example.org/ronde",
    )
    on_commit(
        bijeenkomst_services.add_materiaal,
        onderdeel=ronde,
        door=make_coordinator(),
        titel="Programmaboekje",
        link="https://example.org/boekje.pdf",
        direct_tonen=True,
    )

    response = client.get(url)
    assert not served_from_cache(response)
    assert "Programmaboekje" in response.text
    assert "Opname van de ronde" not in response.text
    assert served_from_cache(client.get(url))
    later = bijeenkomst.eind + timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("werkplaats.cache.time.time", return_value=later.timestamp()),
    ):
        assert "Opname van de ronde" in client.get(url).text


# The admin writes past the services.


def test_a_change_in_the_admin_shows_on_the_pages_at_once(client, on_commit):
    voorwaarde = Voorwaarde.objects.order_by("pk").first()
    atelier = LeeratelierFactory()
    atelier.voorwaarden.add(voorwaarde)
    url = reverse("leerateliers:lijst")
    assert voorwaarde.naam in client.get(url).text
    beheerder = PersoonFactory(is_staff=True, is_superuser=True)
    admin = log_in_to_beheer(Client(), beheerder)

    response = on_commit(
        admin.post,
        reverse("admin:leerateliers_voorwaarde_change", args=[voorwaarde.pk]),
        {"naam": "Nieuwe naam", "slug": voorwaarde.slug, "volgorde": voorwaarde.volgorde},
    )

    assert response.status_code == 302
    assert "Nieuwe naam" in client.get(url).text


# Nothing of one visitor reaches another.


def test_a_logged_in_visitor_never_gets_the_visitors_page_nor_fills_it(client):
    persoon = PersoonFactory(naam="Ineke Ingelogd")
    logged_in = Client()
    logged_in.force_login(persoon)
    url = reverse("leerateliers:lijst")

    first = logged_in.get(url)
    anonymous = client.get(url)
    again = logged_in.get(url)

    assert "Ineke Ingelogd" in first.text
    assert "Ineke Ingelogd" in again.text
    assert not served_from_cache(first)
    assert not served_from_cache(again)
    assert not served_from_cache(anonymous)
    assert "Ineke Ingelogd" not in anonymous.text
    assert "Inloggen" in anonymous.text
    assert "Inloggen" in client.get(url).text


def test_a_visitors_message_is_shown_to_them_only_and_never_cached(client):
    bijeenkomst = BijeenkomstFactory()
    url = bijeenkomst.get_absolute_url()
    Client().get(url)
    assert served_from_cache(Client().get(url))

    response = client.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]),
        {"naam": "Gast", "email": "gast@example.org"},
        follow=True,
    )

    assert "Bijna klaar" in response.text
    assert not served_from_cache(response)
    assert "Bijna klaar" not in Client().get(url).text
    assert "Bijna klaar" not in client.get(url).text
    assert not list(get_messages(client.get(url).wsgi_request))


def test_each_visitor_gets_their_own_csrf_token_and_it_works(client):
    bijeenkomst = BijeenkomstFactory()
    url = bijeenkomst.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    page_one = first.get(url)
    page_two = second.get(url)

    assert served_from_cache(page_two)
    secret_one = first.cookies["csrftoken"].value
    secret_two = second.cookies["csrftoken"].value
    assert secret_one != secret_two
    assert {_unmask_cipher_token(token) for token in csrf_tokens(page_one)} == {secret_one}
    assert {_unmask_cipher_token(token) for token in csrf_tokens(page_two)} == {secret_two}
    response = second.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]),
        {"csrfmiddlewaretoken": csrf_tokens(page_two)[0], "naam": "Twee", "email": "t@example.org"},
    )
    assert response.status_code == 302


def test_the_cache_holds_no_csrf_token(client):
    url = reverse("leerateliers:lijst")
    response = client.get(url)

    ((_token, content, _headers),) = _cached_pages()
    assert csrf_tokens(response)
    for token in csrf_tokens(response):
        assert token.encode() not in content
    assert b'name="csrfmiddlewaretoken" value="\x00csrf\x00"' in content


def _cached_pages():
    # Every page entry in the per-test LocMem cache of conftest.py.
    values = [django_cache.get(key.split(":", 2)[2]) for key in list(django_cache._cache)]
    return [value for value in values if isinstance(value, tuple) and isinstance(value[1], bytes)]


def test_a_page_that_would_show_the_csrf_token_elsewhere_is_not_cached(rf, settings):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    @cache.cached_for_visitors("themas")
    def leaky(request):
        return HttpResponse(f"<p data-token='{get_token(request)}'>")

    request = rf.get("/lek/")
    request.user, request.session = AnonymousUser(), SessionStore()
    request._messages = FallbackStorage(request)

    leaky(request)

    assert not _cached_pages()


def test_english_visitors_get_the_english_page(client):
    url = reverse("leerateliers:lijst")
    client.get(url)
    english = Client()
    english.cookies["django_language"] = "en"
    assert 'lang="en"' in english.get(url).text
    assert 'lang="nl"' in client.get(url).text


# Feeds and calendars answer conditional GETs.


def test_the_agenda_answers_304_while_unchanged_and_200_after_a_change(client, on_commit):
    coordinator = make_coordinator()
    bijeenkomst = BijeenkomstFactory(titel="Symposium")
    url = reverse("bijeenkomsten:agenda-ics")
    later = _in_a_minute() + 30
    with mock.patch("werkplaats.cache.time.time", return_value=_in_a_minute()):
        first = client.get(url)
        etag, last_modified = first["ETag"], first["Last-Modified"]

        assert first.status_code == 200
        assert first["Cache-Control"] == "no-cache"
        by_etag = client.get(url, headers={"if-none-match": etag})
        by_date = client.get(url, headers={"if-modified-since": last_modified})
        assert (by_etag.status_code, by_date.status_code) == (304, 304)
        assert by_etag["ETag"] == etag
        assert not by_etag.content

    # The change is made half a minute after that first visit.
    with mock.patch("werkplaats.cache.time.time_ns", return_value=int(later * 1e9)):
        on_commit(
            bijeenkomst_services.update_bijeenkomst,
            bijeenkomst=bijeenkomst,
            door=coordinator,
            titel="Symposium verzet",
        )

    with mock.patch("werkplaats.cache.time.time", return_value=_in_a_minute() + 60):
        changed = client.get(url, headers={"if-none-match": etag})
        assert changed.status_code == 200
        assert changed["ETag"] != etag
        assert "Symposium verzet" in changed.text
        since = client.get(url, headers={"if-modified-since": last_modified})
        assert since.status_code == 200


def test_a_registration_leaves_the_agenda_as_it_was(client, on_commit):
    bijeenkomst = BijeenkomstFactory()
    url = reverse("bijeenkomsten:agenda-ics")
    etag = client.get(url)["ETag"]

    on_commit(
        bijeenkomst_services.register, bijeenkomst=bijeenkomst, email="a@example.org", naam="A"
    )

    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_a_feed_answers_304_until_an_update_is_published(client, on_commit):
    thema = ThemaFactory()
    update = UpdateFactory(thema=thema, status=Update.Status.CONCEPT, titel="Vers")
    url = reverse("themas:feed-thema", args=[thema.slug])
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    on_commit(thema_services.publish_update, update_id=update.pk)

    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Vers" in response.text


def test_no_last_modified_within_the_second_of_a_change(client, on_commit):
    # A client that only sends If-Modified-Since would otherwise miss a second change made
    # within the same second.
    on_commit(cache.bump, "bijeenkomsten")
    changed = cache._made_at(cache.version("bijeenkomsten"))

    with mock.patch("werkplaats.cache.time.time", return_value=changed):
        response = client.get(reverse("bijeenkomsten:agenda-ics"))
    assert "ETag" in response
    assert "Last-Modified" not in response

    with mock.patch("werkplaats.cache.time.time", return_value=changed + 1):
        response = client.get(reverse("bijeenkomsten:agenda-ics"))
    assert response["Last-Modified"] == http_date(int(changed))


def _in_a_minute() -> float:
    return (timezone.now() + timedelta(minutes=1)).timestamp()


def test_the_organisaties_filter_and_others_are_only_cached_per_address(client):
    OrganisatieFactory(naam="Gemeente Arnhem", soort=Organisatie.Soort.GEMEENTE)
    OrganisatieFactory(naam="Buurtkracht")
    base = reverse("netwerk:directory")
    assert "Buurtkracht" in client.get(base).text
    assert "Buurtkracht" not in client.get(base + "?soort=gemeente").text
    assert "Buurtkracht" in client.get(base).text


# Parts of a page that are the same for everyone ({% versioned_cache %}), also when logged in.


def test_a_logged_in_visitor_gets_the_shared_parts_from_the_cache_and_their_own_controls(
    on_commit,
):
    atelier = LeeratelierFactory(naam="Armoede")
    deelnemer, buitenstaander = PersoonFactory(), PersoonFactory()
    on_commit(
        leeratelier_services.join_leeratelier,
        persoon=deelnemer,
        leeratelier=atelier,
        rol=Deelname.Rol.TRIBUNE,
    )
    first, second = Client(), Client()
    first.force_login(deelnemer)
    second.force_login(buitenstaander)
    url = atelier.get_absolute_url()

    with CaptureQueriesContext(connection) as cold:
        mine = first.get(url).text
    with CaptureQueriesContext(connection) as warm:
        theirs = second.get(url).text

    assert len(warm) < len(cold) - 3
    assert "Je volgt dit leeratelier vanaf de tribune" in mine
    assert "Je volgt dit leeratelier vanaf de tribune" not in theirs
    assert "Volgen vanaf de tribune" in theirs
    assert "1 persoon op eigen titel" in theirs


def test_a_shared_part_changes_the_moment_its_content_does(on_commit):
    atelier = LeeratelierFactory()
    persoon = PersoonFactory(organisatie=OrganisatieFactory(naam="Buurtkracht"))
    visitor = Client()
    visitor.force_login(PersoonFactory())
    assert "Buurtkracht" not in visitor.get(atelier.get_absolute_url()).text

    on_commit(
        leeratelier_services.join_leeratelier,
        persoon=persoon,
        leeratelier=atelier,
        rol=Deelname.Rol.TRIBUNE,
    )

    assert "Buurtkracht" in visitor.get(atelier.get_absolute_url()).text


def test_a_shared_part_with_a_form_in_it_is_never_kept(rf, caplog):
    template = Template(
        '{% load versioned_cache %}{% versioned_cache "proef" 1 versions="themas" %}'
        "<form>{% csrf_token %}</form>{% endversioned_cache %}"
    )
    request = rf.get("/")

    first = template.render(RequestContext(request))
    second = template.render(RequestContext(request))

    assert csrf_tokens(HttpResponse(first)) != csrf_tokens(HttpResponse(second))
    assert "holds a form" in caplog.text


def test_a_shared_part_names_known_versions_only():
    with pytest.raises(TemplateSyntaxError, match="Unknown cache versions"):
        Template(
            '{% load versioned_cache %}{% versioned_cache "proef" versions="thema" %}'
            "{% endversioned_cache %}"
        )


def test_the_filter_forms_come_from_the_cache_until_their_choices_change(on_commit):
    ThemaFactory(naam="Samen werken")
    visitor = Client()
    visitor.force_login(PersoonFactory())
    url = reverse("bijeenkomsten:lijst")
    assert "Samen werken" in visitor.get(url).text
    with CaptureQueriesContext(connection) as queries:
        visitor.get(url)
    assert not [query for query in queries if "themas_thema" in query["sql"]]

    ThemaFactory(naam="Wijkgericht werken")
    # What the admin (or a service) does after adding a thema.
    on_commit(cache.bump, "themas")

    assert "Wijkgericht werken" in visitor.get(url).text


def test_a_cached_filter_form_keeps_each_address_its_own_choices(client):
    url = reverse("bijeenkomsten:lijst")
    chosen = client.get(url + "?soort=masterclass").text
    plain = Client().get(url).text
    assert '<option value="masterclass" selected>' in chosen
    assert '<option value="masterclass" selected>' not in plain


# The nieuwsbrief archive: in the cache until an edition is sent (or corrected).


@pytest.fixture
def editie():
    editie = EditieFactory(titel="Nieuwsbrief mei 2024", slug="nieuwsbrief-mei-2024")
    SectieFactory(editie=editie, titel="Leeratelier Armoede", volgorde=1)
    AbonnementFactory(email="anna@example.org")
    return editie


def test_the_archive_comes_from_the_cache_and_shows_a_sent_edition_at_once(
    client, editie, on_commit
):
    archive, feed = reverse("nieuwsbrief:archief"), reverse("nieuwsbrief:feed")
    pages = [archive, feed]
    before = {url: client.get(url).text for url in pages}
    # (A feed is never rendered from a template: only the archive page can tell.)
    assert served_from_cache(client.get(archive))
    assert all("Nieuwsbrief mei 2024" not in text for text in before.values())
    edition_page = reverse("nieuwsbrief:archief-editie", args=[editie.slug])
    assert client.get(edition_page).status_code == 404

    on_commit(nieuwsbrief_services.send_edition, editie=editie, doelgroep=Editie.Doelgroep.ALLE)

    editie.refresh_from_db()
    assert editie.status == Editie.Status.VERZONDEN
    after = {url: client.get(url) for url in pages}
    assert not served_from_cache(after[archive])
    assert all("Nieuwsbrief mei 2024" in response.text for response in after.values())
    page = client.get(edition_page)
    assert page.status_code == 200
    assert "Leeratelier Armoede" in page.text
    assert served_from_cache(client.get(edition_page))


def test_finishing_the_sending_marks_the_archive_as_changed(client, editie, on_commit):
    Editie.objects.filter(pk=editie.pk).update(
        status=Editie.Status.VERZENDEN, verzending_gestart_op=timezone.now()
    )
    feed = client.get(reverse("nieuwsbrief:feed"))
    before = cache.version("nieuwsbrief")

    # The feed shows when an edition was sent.
    on_commit(nieuwsbrief_delivery._finish, editie)

    editie.refresh_from_db()
    assert editie.status == Editie.Status.VERZONDEN
    assert cache.version("nieuwsbrief") != before
    again = client.get(reverse("nieuwsbrief:feed"), headers={"if-none-match": feed["ETag"]})
    assert again.status_code == 200


def test_the_archive_feed_answers_304_until_an_edition_is_sent(client, editie, on_commit):
    url = reverse("nieuwsbrief:feed")
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304

    on_commit(nieuwsbrief_services.send_edition, editie=editie, doelgroep=Editie.Doelgroep.ALLE)

    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert "<title>Nieuwsbrief mei 2024</title>" in again.text


def test_a_refused_sending_leaves_the_archive_as_it_was(editie, on_commit):
    editie.secties.all().delete()
    editie.voorwoord = ""
    editie.save()
    before = cache.version("nieuwsbrief")

    with pytest.raises(RuleViolation):
        on_commit(nieuwsbrief_services.send_edition, editie=editie, doelgroep=Editie.Doelgroep.ALLE)

    assert cache.version("nieuwsbrief") == before


def test_a_correction_of_a_sent_edition_in_the_admin_shows_in_the_archive_at_once(
    client, editie, on_commit
):
    on_commit(nieuwsbrief_services.send_edition, editie=editie, doelgroep=Editie.Doelgroep.ALLE)
    url = reverse("nieuwsbrief:archief")
    assert "Nieuwsbrief mei 2024" in client.get(url).text
    assert served_from_cache(client.get(url))
    admin = log_in_to_beheer(Client(), PersoonFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:nieuwsbrief_editie_change", args=[editie.pk])
    form = admin.get(change).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(field, SplitDateTimeField):
            moment = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = moment.date(), moment.time()
        else:
            data[name] = value
    data.update(
        titel="Nieuwsbrief mei 2024 (verbeterd)",
        **{"secties-TOTAL_FORMS": 0, "secties-INITIAL_FORMS": 0},
    )

    response = on_commit(admin.post, change, data)

    assert response.status_code == 302
    assert "Nieuwsbrief mei 2024 (verbeterd)" in client.get(url).text


def test_a_logged_in_visitor_never_gets_the_archive_from_the_visitors_cache(client, editie):
    Editie.objects.filter(pk=editie.pk).update(
        status=Editie.Status.VERZONDEN, verzending_gestart_op=timezone.now()
    )
    url = reverse("nieuwsbrief:archief")
    client.get(url)
    logged_in = Client()
    logged_in.force_login(PersoonFactory(naam="Ineke Ingelogd"))

    page = logged_in.get(url)

    assert not served_from_cache(page)
    assert "Mijn pagina" in page.text
    assert "Mijn pagina" not in client.get(url).text


# The interests (nieuwsbrief:mijn, linked from /mijn/): the boxes are shared, the ticks are
# each person's own.

INTERESSES = "/nieuwsbrief/mijn/"


def ticked(html: str, field: str) -> set[str]:
    return set(
        re.findall(
            rf'<input type="checkbox" name="nieuwsbrief-{field}" value="(\d+)"[^>]* checked>', html
        )
    )


def test_each_person_sees_their_own_interests_ticked_in_the_shared_boxes():
    armoede, jongeren = LeeratelierFactory(naam="Armoede"), LeeratelierFactory(naam="Jongeren")
    thema = ThemaFactory(naam="Samen werken")
    anna, bram = PersoonFactory(email="anna@example.org"), PersoonFactory(email="bram@example.org")
    AbonnementFactory(email=anna.email, leerateliers=[armoede], themas=[thema])
    AbonnementFactory(email=bram.email, leerateliers=[jongeren])
    first, second, third = Client(), Client(), Client()
    first.force_login(anna)
    second.force_login(bram)
    third.force_login(PersoonFactory())

    mine = first.get(INTERESSES).text
    with CaptureQueriesContext(connection) as queries:
        theirs = second.get(INTERESSES).text
    nobodys = third.get(INTERESSES).text

    assert ticked(mine, "leerateliers") == {str(armoede.pk)}
    assert ticked(mine, "themas") == {str(thema.pk)}
    assert ticked(theirs, "leerateliers") == {str(jongeren.pk)}
    assert ticked(theirs, "themas") == set()
    assert ticked(nobodys, "leerateliers") == ticked(nobodys, "themas") == set()
    assert f'value="{armoede.pk}"' in theirs
    assert "Samen werken" in theirs
    # The boxes came from the cache: no list of every leeratelier or thema was read.
    assert not [query for query in queries if _a_list_of_all_choices(query["sql"])]


def _a_list_of_all_choices(sql: str) -> bool:
    # A person's own interests are read through a join with their subscription.
    return "INNER JOIN" not in sql and (
        'FROM "themas_thema"' in sql or 'FROM "leerateliers_leeratelier"' in sql
    )


def test_the_shared_interest_boxes_change_the_moment_a_leeratelier_is_added(on_commit):
    LeeratelierFactory(naam="Armoede")
    visitor = Client()
    visitor.force_login(PersoonFactory())
    assert "Armoede" in visitor.get(INTERESSES).text

    LeeratelierFactory(naam="Sociale duurzaamheid")
    # What the admin (or a service) does after adding a leeratelier.
    on_commit(cache.bump, "leerateliers")

    assert "Sociale duurzaamheid" in visitor.get(INTERESSES).text


def test_the_interest_boxes_post_back_what_was_ticked(client):
    armoede, jongeren = LeeratelierFactory(naam="Armoede"), LeeratelierFactory(naam="Jongeren")
    persoon = PersoonFactory(email="cor@example.org")
    AbonnementFactory(email=persoon.email, leerateliers=[armoede])
    client.force_login(persoon)
    page = client.get(INTERESSES).text
    assert ticked(page, "leerateliers") == {str(armoede.pk)}

    client.post(
        reverse("nieuwsbrief:mijn"), {"nieuwsbrief-leerateliers": [armoede.pk, jongeren.pk]}
    )

    assert ticked(client.get(INTERESSES).text, "leerateliers") == {
        str(armoede.pk),
        str(jongeren.pk),
    }


def test_a_trekkers_leeratelier_page_reads_only_what_is_theirs_once_the_shared_parts_are_cached(
    on_commit,
):
    atelier = LeeratelierFactory(naam="Armoede")
    trekker, other = PersoonFactory(), PersoonFactory()
    atelier.trekkers.add(trekker)
    first, second = Client(), Client()
    first.force_login(trekker)
    second.force_login(other)
    url = atelier.get_absolute_url()
    second.get(url)

    with CaptureQueriesContext(connection) as queries:
        page = first.get(url).text

    # The person (with whether they have any rights), the atelier with whether they lead
    # it, their deelname, their follow choice and the lerende praktijken they may edit:
    # nothing that every visitor shares.
    assert len(queries) <= 5
    assert "Openstaande arena-aanvragen bekijken" in page
    assert "Schrijf een update" in page
    theirs = second.get(url).text
    assert "Openstaande arena-aanvragen bekijken" not in theirs
    assert "Schrijf een update" not in theirs


def stored(kind: str) -> int:
    from django.core.cache import cache as django_cache

    return sum(f":{kind}:" in key for key in django_cache._cache)  # LocMemCache's own keys


def test_random_query_strings_fill_neither_the_page_cache_nor_the_fragments(client):
    LeeratelierFactory()
    client.get(reverse("leerateliers:lijst"))
    pages, fragments = stored("pagina"), stored("fragment")

    for number in range(50):
        assert client.get(reverse("leerateliers:lijst"), {"x": number}).status_code == 200
        client.get(reverse("netwerk:directory"), {"q": f"zoek{number}", "junk": number})
        client.get(reverse("leerateliers:lijst"), {"q": "a" * 500})

    assert stored("pagina") == pages
    assert stored("fragment") <= fragments + 1  # the directory's unfiltered form, at most


def test_a_page_is_kept_once_for_the_parameters_it_reads_in_any_order(client):
    LeeratelierFactory()
    url = reverse("netwerk:directory")
    client.get(url, {"q": "wijk", "plaats": "Arnhem"})
    pages = stored("pagina")

    again = client.get(f"{url}?plaats=Arnhem&q=wijk")

    assert served_from_cache(again)
    assert stored("pagina") == pages


def test_a_persons_own_page_with_an_unknown_parameter_is_not_kept(client):
    client.force_login(PersoonFactory())
    client.get(reverse("netwerk:mijn"))
    kept = stored("persoonlijk")

    for number in range(20):
        client.get(reverse("netwerk:mijn"), {"x": number})

    assert stored("persoonlijk") == kept
