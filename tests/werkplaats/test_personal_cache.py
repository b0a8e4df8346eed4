"""A person's own pages from the cache (werkplaats.cache.cached_for_person): served again only
while no table they were read from has been written, whatever wrote it, and never to anyone
else.

These tests use the per-test LocMem cache of conftest.py (`_fast_and_isolated`): the cache
logic is the same on Redis, where the benchmark runs it.
"""

import re
import threading
import time
from datetime import timedelta
from importlib import import_module
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache as django_cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bijeenkomsten import services as bijeenkomst_services
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from leerateliers import services as leeratelier_services
from leerateliers.models import Leeratelier
from netwerk import services as netwerk_services
from netwerk.models import GeenUitnodiging, Organisatie
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import (
    OrganisatieFactory,
    PersoonFactory,
    make_coordinator,
    make_lidmaatschap,
)
from tests.themas.factories import ThemaFactory
from tests.werkplaats.test_cache import served_from_cache
from themas import services as thema_services
from themas.models import Volging
from werkplaats import cache, roles

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.real_stack_only(
        reason="the personal cache is on only with a cache every process shares (Redis)"
    ),
]

MIJN = "/mijn/"


def counting_page():
    """A personal page that notes each time it is made."""
    made = []

    def view(request):
        made.append(1)
        return HttpResponse("pagina")

    return cache.cached_for_person(view), made


def without_csrf_tokens(html: str) -> str:
    # Masked anew for every response, also for the same person.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def version_of(table: str):
    cache.bump_pending_writes()
    return django_cache.get(cache.TABLE_VERSION_KEY.format(table))


def register(bijeenkomst, email, **extra):
    return bijeenkomst_services.register(bijeenkomst=bijeenkomst, email=email, naam=email, **extra)


# The versions of the tables


@pytest.mark.parametrize(
    "write",
    [
        "create",
        "save",
        "queryset_update",
        "bulk_create",
        "delete",
        "many_to_many",
        "raw_sql",
    ],
)
def test_every_kind_of_write_bumps_the_version_of_its_table(write):
    organisatie = OrganisatieFactory()
    tables = {
        "many_to_many": Organisatie.domeinen.through._meta.db_table,
    }
    table = tables.get(write, Organisatie._meta.db_table)
    before = version_of(table)

    if write == "create":
        OrganisatieFactory()
    elif write == "save":
        organisatie.naam = "Buurtkracht"
        organisatie.save()
    elif write == "queryset_update":
        Organisatie.objects.filter(pk=organisatie.pk).update(naam="Buurtkracht")
    elif write == "bulk_create":
        Organisatie.objects.bulk_create([Organisatie(naam="Wijkteam Oost", slug="wijkteam-oost")])
    elif write == "delete":
        organisatie.delete()
    elif write == "many_to_many":
        organisatie.domeinen.set([1])
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET naam = %s WHERE id = %s", ["X", organisatie.pk])

    assert version_of(table) not in (None, before)


def test_a_write_in_a_common_table_expression_bumps_its_table():
    table = Organisatie._meta.db_table
    OrganisatieFactory()
    before = version_of(table)

    with connection.cursor() as cursor:
        cursor.execute(
            f'WITH renamed AS (UPDATE "{table}" SET naam = naam RETURNING id) '  # nosec B608
            "SELECT count(*) FROM renamed"
        )

    assert version_of(table) != before


def test_emptying_a_table_bumps_it():
    table = GeenUitnodiging._meta.db_table
    before = version_of(table)

    with connection.cursor() as cursor:
        cursor.execute(f'  TRUNCATE "{table}"')

    assert version_of(table) != before


def test_reading_and_locking_bump_nothing():
    organisatie = OrganisatieFactory()
    before = django_cache.get(cache.WRITES_KEY)

    list(Organisatie.objects.select_for_update().filter(pk=organisatie.pk))
    Organisatie.objects.filter(naam__icontains="update").count()

    assert django_cache.get(cache.WRITES_KEY) == before


def test_a_write_in_a_transaction_reaches_redis_only_when_its_connection_reads_the_versions():
    # A service holding a row lock makes no round trip to Redis per statement (issue 21's
    # rush); a page its own transaction makes afterwards still sees the write.
    table = Organisatie._meta.db_table
    OrganisatieFactory()
    before = django_cache.get(cache.TABLE_VERSION_KEY.format(table))

    with transaction.atomic():
        OrganisatieFactory()
        assert django_cache.get(cache.TABLE_VERSION_KEY.format(table)) == before
        cache.bump_pending_writes()
        bumped = django_cache.get(cache.TABLE_VERSION_KEY.format(table))
        assert bumped != before
        cache.bump_pending_writes()
        assert django_cache.get(cache.TABLE_VERSION_KEY.format(table)) == bumped


def test_a_transaction_bumps_the_tables_it_wrote_once_more_when_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        organisatie = OrganisatieFactory()
        Organisatie.objects.filter(pk=organisatie.pk).update(naam="Buurtkracht")
        PersoonFactory(organisatie=organisatie)

    bumps = [callback for callback in callbacks if isinstance(callback, cache.BumpOnCommit)]
    assert len(bumps) == 1
    assert Organisatie._meta.db_table in bumps[0].tables
    before = version_of(Organisatie._meta.db_table)
    bumps[0]()
    assert version_of(Organisatie._meta.db_table) != before


def test_a_write_in_a_rolled_back_savepoint_still_leaves_a_bump_for_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                OrganisatieFactory()
                raise RuntimeError
        except RuntimeError:
            pass
        ThemaFactory()

    bumps = [callback for callback in callbacks if isinstance(callback, cache.BumpOnCommit)]
    assert len(bumps) == 1
    assert ThemaFactory._meta.model._meta.db_table in bumps[0].tables


# /mijn/ from the cache


@pytest.fixture
def mila():
    return PersoonFactory(naam="Mila Mijn", email="mila.mijn@example.org")


def test_a_second_visit_is_served_from_the_cache_with_one_query(client, mila):
    client.force_login(mila)
    assert not served_from_cache(client.get(MIJN))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(MIJN)

    assert served_from_cache(response)
    assert "Mila Mijn" in response.text
    # The person, with whether they have any rights (werkplaats.backends); nothing else.
    assert len(queries) == 1


def test_each_person_gets_their_own_page_and_csrf_token(mila):
    other = PersoonFactory(naam="Olaf Ander", email="olaf.ander@example.org")
    mine, theirs = Client(), Client(enforce_csrf_checks=True)
    mine.force_login(mila)
    theirs.force_login(other)
    mine.get(MIJN)
    mine.get(MIJN)

    response = theirs.get(MIJN)

    assert "Olaf Ander" in response.text
    assert "Mila Mijn" not in response.text
    again = theirs.get(MIJN)
    assert served_from_cache(again)
    assert "Mila Mijn" not in again.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again.text).group(1)
    saved = theirs.post("/mijn/profiel/", {"naam": "Olaf Anders", "csrfmiddlewaretoken": token})
    assert saved.status_code != 403


def test_a_page_with_a_message_is_neither_served_from_the_cache_nor_kept(client, mila):
    client.force_login(mila)
    client.post("/mijn/profiel/", {"naam": "Mila Mijn", "functie": "Wijkcoach"})

    with_message = client.get(MIJN)
    after = client.get(MIJN)

    assert "Je profiel is opgeslagen." in with_message.text
    assert "Je profiel is opgeslagen." not in after.text
    assert served_from_cache(client.get(MIJN))


def test_a_request_with_a_message_waiting_is_never_served_from_the_cache(person_request):
    page, made = counting_page()
    page(person_request())
    page(person_request(messages=1))
    page(person_request())

    assert len(made) == 2


def test_a_logged_out_visitor_is_sent_to_log_in(client, mila):
    client.force_login(mila)
    client.get(MIJN)
    client.logout()

    response = client.get(MIJN)

    assert response.status_code == 302
    assert "Mila Mijn" not in response.text


@pytest.fixture
def world(mila):
    """Mila is a confirmed member of an organisatie, leads a leeratelier and waits for a
    place at a full bijeenkomst, behind someone else."""
    organisatie = OrganisatieFactory(naam="Buurtwerk Oost")
    mila.organisatie = organisatie
    mila.save()
    make_lidmaatschap(mila, organisatie)
    atelier = LeeratelierFactory(naam="Armoede en schulden", trekkers=[mila])
    vol = BijeenkomstFactory(titel="Landelijk symposium", capaciteit=1)
    register(vol, "bezet@example.org")
    voor = register(vol, "eerder@example.org")
    register(vol, mila.email, persoon=mila)
    return {
        "mila": mila,
        "organisatie": organisatie,
        "atelier": atelier,
        "vol": vol,
        "voor": voor,
        "coordinator": make_coordinator(),
    }


def _changes(world):
    mila, coordinator = world["mila"], world["coordinator"]
    other_bijeenkomst = BijeenkomstFactory(titel="Ochtendsessie", capaciteit=10)
    return [
        ("she registers", lambda: register(other_bijeenkomst, mila.email, persoon=mila)),
        (
            "a guest registers with her address",
            lambda: register(BijeenkomstFactory(titel="Avondsessie"), mila.email.upper()),
        ),
        (
            "someone ahead of her on the wachtlijst cancels",
            lambda: bijeenkomst_services.cancel(aanmelding=world["voor"]),
        ),
        (
            "a place is offered to her",
            lambda: bijeenkomst_services.change_capacity(bijeenkomst=world["vol"], capaciteit=2),
        ),
        (
            "a coördinator renames a bijeenkomst",
            lambda: bijeenkomst_services.update_bijeenkomst(
                bijeenkomst=other_bijeenkomst, door=coordinator, titel="Middagsessie"
            ),
        ),
        (
            "a bulk update moves a bijeenkomst",
            lambda: Bijeenkomst.objects.filter(pk=other_bijeenkomst.pk).update(
                locatie_plaats="Zevenaar"
            ),
        ),
        (
            "someone asks for the arena of her leeratelier",
            lambda: leeratelier_services.join_leeratelier(
                persoon=PersoonFactory(naam="Ruben Aanvrager"),
                leeratelier=world["atelier"],
                rol="arena",
            ),
        ),
        (
            "she joins another leeratelier from the tribune",
            lambda: leeratelier_services.join_leeratelier(
                persoon=mila, leeratelier=LeeratelierFactory(naam="Wonen"), rol="tribune"
            ),
        ),
        (
            "a raw statement renames a leeratelier",
            lambda: _raw_rename(world["atelier"], "Armoede, schulden en bestaanszekerheid"),
        ),
        (
            "someone asks to join her organisatie",
            lambda: netwerk_services.request_lidmaatschap(
                persoon=PersoonFactory(naam="Lotte Nieuw"), organisatie=world["organisatie"]
            ),
        ),
        (
            "she follows a thema",
            lambda: thema_services.follow(
                persoon=mila,
                thema=ThemaFactory(naam="Bestaanszekerheid"),
                frequentie=Volging.Frequentie.WEKELIJKS,
            ),
        ),
        (
            "she writes a draft update",
            lambda: thema_services.save_update(
                auteur=mila,
                titel="Wat we leerden",
                samenvatting="Kort",
                tekst="Lang",
                leeratelier=world["atelier"],
            ),
        ),
        (
            "she subscribes to the nieuwsbrief",
            lambda: netwerk_services.save_own_subscription(
                persoon=mila, leeratelier_ids=[world["atelier"].pk]
            ),
        ),
        (
            "she changes her profile",
            lambda: netwerk_services.update_profiel(
                persoon=mila,
                naam="Mila van Mijn",
                organisatie=world["organisatie"],
                functie="Wijkcoach",
                bio="",
                profiel_zichtbaar=True,
            ),
        ),
        ("she becomes a coördinator", lambda: roles.make_coordinator(mila)),
    ]


def _raw_rename(atelier, naam):
    table = Leeratelier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET naam = %s WHERE id = %s", [naam, atelier.pk])  # nosec B608


def made_anew_and_current(client, url, settings) -> str:
    """The page as served, after checking it equals the page made anew without the cache."""
    served = client.get(url)
    settings.VISITOR_CACHE = False
    fresh = client.get(url)
    settings.VISITOR_CACHE = True
    assert without_csrf_tokens(served.text) == without_csrf_tokens(fresh.text)
    return without_csrf_tokens(served.text)


def test_mijn_shows_every_change_the_moment_it_is_made_whoever_makes_it(
    client, world, settings, django_capture_on_commit_callbacks
):
    client.force_login(world["mila"])
    for change, make in _changes(world):
        client.get(MIJN)
        assert served_from_cache(client.get(MIJN)), f"before {change}: not from the cache"
        before = client.get(MIJN).text

        with django_capture_on_commit_callbacks(execute=True):
            make()

        after = made_anew_and_current(client, MIJN, settings)
        assert after != without_csrf_tokens(before), (
            f"{change}: the page does not show it, so this step proves nothing"
        )


def get_at(client, url, moment):
    """The page as it is at `moment`, for the database's clock and the cache's."""
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("werkplaats.cache.time.time", return_value=moment.timestamp()),
    ):
        return client.get(url)


def test_an_offer_whose_deadline_passes_is_no_longer_served_from_the_cache(client, world):
    mila = world["mila"]
    bijeenkomst_services.cancel(aanmelding=world["voor"])
    bijeenkomst_services.change_capacity(bijeenkomst=world["vol"], capaciteit=2)
    # A deadline within the time the page is kept (PERSONAL_TIMEOUT).
    Aanmelding.objects.filter(persoon=mila).update(aanbod_tot=timezone.now() + timedelta(minutes=5))
    aanbod = Aanmelding.objects.get(persoon=mila)
    assert aanbod.status == Aanmelding.Status.AANGEBODEN
    client.force_login(mila)
    client.get(MIJN)
    assert "Plek claimen" in client.get(MIJN).text

    response = get_at(client, MIJN, aanbod.aanbod_tot + timedelta(seconds=1))

    assert not served_from_cache(response)
    assert "Plek claimen" not in response.text


def test_a_bijeenkomst_that_ends_moves_to_the_past_without_any_change(client, mila):
    now = timezone.now()
    # Not yet published: the clock of what visitors see (werkplaats.cache) does not know it.
    bijeenkomst = BijeenkomstFactory(
        titel="Ochtendsessie",
        status=Bijeenkomst.Status.CONCEPT,
        start=now - timedelta(hours=1),
        eind=now + timedelta(minutes=5),
    )
    AanmeldingFactory(bijeenkomst=bijeenkomst, persoon=mila, email=mila.email)
    client.force_login(mila)
    client.get(MIJN)
    assert "Voorbije bijeenkomsten" not in client.get(MIJN).text

    response = get_at(client, MIJN, bijeenkomst.eind + timedelta(seconds=1))

    assert not served_from_cache(response)
    assert "Voorbije bijeenkomsten" in response.text


# The making of a page


@pytest.fixture
def person_request(rf, mila):
    def make(messages=0):
        request = rf.get("/eigen/")
        request.user = mila
        request.session = import_module(django_settings.SESSION_ENGINE).SessionStore()
        request._messages = mock.MagicMock(added_new=False)
        request._messages.__len__.return_value = messages
        return request

    return make


def test_a_page_made_while_a_table_is_written_is_not_kept(person_request):
    made = []

    def view(request):
        made.append(list(Organisatie.objects.all()[:1]))
        if len(made) == 1:
            OrganisatieFactory()  # another request writes while this one makes its page
        return HttpResponse("pagina")

    page = cache.cached_for_person(view)
    for _ in range(3):
        page(person_request())

    # The first was made while a table changed; the second was kept; the third came from it.
    assert len(made) == 2


@pytest.mark.django_db(transaction=True)
def test_a_page_made_before_another_connection_commits_is_not_served_after_it(person_request):
    organisatie = OrganisatieFactory(naam="Voor")
    made = []

    def view(request):
        made.append(1)
        return HttpResponse(Organisatie.objects.get(pk=organisatie.pk).naam)

    page = cache.cached_for_person(view)
    written, commit = threading.Event(), threading.Event()

    def rename():
        try:
            with transaction.atomic():
                Organisatie.objects.filter(pk=organisatie.pk).update(naam="Na")
                written.set()
                commit.wait(10)
        finally:
            connection.close()

    renaming = threading.Thread(target=rename)
    renaming.start()
    assert written.wait(10)
    # Made from the rows before the commit, after the write bumped the version at once.
    assert page(person_request()).content == b"Voor"
    assert page(person_request()).content == b"Voor"
    assert len(made) == 1
    commit.set()
    renaming.join(10)

    assert page(person_request()).content == b"Na"


def test_a_page_is_kept_with_the_tables_it_read_and_not_others(person_request):
    made = []

    def view(request):
        made.append(Organisatie.objects.count())
        return HttpResponse("pagina")

    page = cache.cached_for_person(view)
    page(person_request())
    ThemaFactory()  # a table the page was not read from
    page(person_request())
    assert len(made) == 1

    OrganisatieFactory()
    page(person_request())
    assert len(made) == 2


def test_the_person_and_their_rights_are_tables_of_every_personal_page(person_request, mila):
    page, made = counting_page()
    page(person_request())
    roles.make_coordinator(PersoonFactory())  # writes the group membership table
    page(person_request())

    assert len(made) == 2


def test_a_kept_page_is_made_anew_at_the_latest_when_it_expires(person_request):
    # So that a change made outside Django (psql by hand) shows within PERSONAL_TIMEOUT.
    page, made = counting_page()
    page(person_request())
    made_at = time.time()
    with mock.patch("werkplaats.cache.time.time", return_value=made_at + 600):
        ThemaFactory()  # a table the page was not read from: it is checked and served again
        page(person_request())
    with mock.patch(
        "werkplaats.cache.time.time", return_value=made_at + cache.PERSONAL_TIMEOUT + 60
    ):
        page(person_request())

    assert len(made) == 2


def test_nothing_is_kept_without_a_shared_cache(client, mila, settings):
    settings.VISITOR_CACHE = False
    client.force_login(mila)
    client.get(MIJN)

    assert not served_from_cache(client.get(MIJN))


def test_a_leeratelier_page_shows_the_persons_new_follow_choice_at_once(client, world, settings):
    atelier = world["atelier"]
    client.force_login(world["mila"])
    url = atelier.get_absolute_url()
    client.get(url)
    before = client.get(url)
    assert served_from_cache(before)

    # Shown only to her, so no version of what visitors see changes: only the table.
    thema_services.follow(
        persoon=world["mila"], leeratelier=atelier, frequentie=Volging.Frequentie.PER_UPDATE
    )

    assert made_anew_and_current(client, url, settings) != without_csrf_tokens(before.text)
