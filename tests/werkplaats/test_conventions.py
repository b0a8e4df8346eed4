"""The cross-cutting conventions every app shares (werkplaats/): the coördinator role,
the bounded row lock, the slug helper."""

import re
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from bijeenkomsten import services as bijeenkomst_services
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from leerateliers import services as leeratelier_services
from leerateliers.models import Deelname, Leeratelier
from netwerk import services as netwerk_services
from netwerk.models import Lidmaatschap, OutboxMessage, Persoon
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory
from tests.themas.factories import ThemaFactory
from themas import services as thema_services
from themas.models import Update
from werkplaats.roles import COORDINATOR_GROUP

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ["werkplaats", "netwerk", "leerateliers", "themas", "bijeenkomsten", "nieuwsbrief"]


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def wait_until(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.django_db
def test_a_person_added_to_the_migrations_coordinator_group_can_do_every_coordinator_action(
    client,
):
    # Exactly what a beheerder does in /beheer/: add the person to the group the migrations
    # made. No factory's group, no other grant.
    coordinator = PersoonFactory(naam="Coby Coördinator")
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    client.force_login(coordinator)
    atelier = LeeratelierFactory(slug="armoede", trekkers=[PersoonFactory()])
    doel = LeeratelierFactory(slug="jip")
    aanvrager = PersoonFactory(profiel_zichtbaar=False)
    deelname = leeratelier_services.join_leeratelier(
        persoon=aanvrager, leeratelier=atelier, rol="arena"
    )
    thema = ThemaFactory(slug="wonen", thematrekkers=[PersoonFactory()])
    bijeenkomst = BijeenkomstFactory(slug="symposium", capaciteit=1)
    eerste = bijeenkomst_services.register(
        bijeenkomst=bijeenkomst, email="eerste@example.org", naam="Eerste"
    )
    BijeenkomstFactory(slug="concept", status=Bijeenkomst.Status.CONCEPT)

    def post(url, data=None):
        response = client.post(url, data or {})
        assert response.status_code == 302, url
        assert "login" not in response.url

    # leerateliers: decide an arena request, merge two ateliers
    post(reverse("leerateliers:deelname-goedkeuren", args=[deelname.pk]))
    assert Deelname.objects.get(pk=deelname.pk).status == Deelname.Status.ACTIEF
    post(reverse("leerateliers:samenvoegen", args=["armoede"]), {"doel": "jip"})
    assert Leeratelier.objects.get(slug="armoede").samengevoegd_in == doel
    # netwerk: see a hidden profile, confirm a membership of an organisatie
    assert client.get(reverse("netwerk:persoon", args=[aanvrager.pk])).status_code == 200
    lidmaatschap = netwerk_services.request_lidmaatschap(
        persoon=aanvrager, organisatie=OrganisatieFactory()
    )
    post(reverse("netwerk:lidmaatschap-bevestigen", args=[lidmaatschap.pk]))
    assert Lidmaatschap.objects.get(pk=lidmaatschap.pk).status == Lidmaatschap.Status.BEVESTIGD
    # themas: write, publish and withdraw an update of a thema they do not lead
    post(
        reverse("themas:update-nieuw", args=["thema", "wonen"]),
        {"titel": "Nieuws", "samenvatting": "Kort", "tekst": "Tekst", "actie": "publiceren"},
    )
    update = Update.objects.get(thema=thema)
    assert update.status == Update.Status.GEPUBLICEERD
    post(reverse("themas:update-intrekken", args=[update.slug]))
    assert Update.objects.get(pk=update.pk).status == Update.Status.INGETROKKEN
    # bijeenkomsten: a concept, the registrations, the capacity, cancelling on behalf
    assert client.get(reverse("bijeenkomsten:detail", args=["concept"])).status_code == 200
    assert client.get(reverse("bijeenkomsten:aanmeldingen", args=["symposium"])).status_code == 200
    post(reverse("bijeenkomsten:capaciteit", args=["symposium"]), {"capaciteit": "3"})
    assert Bijeenkomst.objects.get(slug="symposium").capaciteit == 3
    post(
        reverse("bijeenkomsten:aanmelding-annuleren-namens", args=["symposium", eerste.pk]),
        {"bevestigd": "1"},
    )
    assert Aanmelding.objects.get(pk=eerste.pk).status == Aanmelding.Status.GEANNULEERD


@pytest.mark.django_db
def test_the_migration_folds_the_lower_case_group_into_the_coordinator_group():
    migration = MigrationLoader(connection).get_migration("bijeenkomsten", "0002_coordinator_role")
    state_apps = (
        MigrationLoader(connection).project_state(("bijeenkomsten", "0002_coordinator_role")).apps
    )
    oud_lid = PersoonFactory()
    Group.objects.create(name="coördinator").user_set.add(oud_lid)

    migration.operations[0].code(state_apps, None)

    assert not Group.objects.filter(name="coördinator").exists()
    assert Group.objects.filter(name__iexact="coördinator").count() == 1
    assert oud_lid.groups.get().name == COORDINATOR_GROUP
    assert Persoon.objects.get(pk=oud_lid.pk).has_perm("bijeenkomsten.change_aanmelding")


def test_no_code_outside_the_migrations_checks_a_group_by_name():
    # A role is asked with has_perm(); the group's name is needed only to grant it.
    pattern = re.compile(r"groups__name|groups\.filter\(name|Group\.objects\.\w+\(name")
    offenders = [
        str(path.relative_to(BASE_DIR))
        for app in APPS
        for path in (BASE_DIR / app).rglob("*.py")
        if "migrations" not in path.parts
        and path.name != "roles.py"
        and pattern.search(path.read_text())
    ]
    assert offenders == []


def test_every_app_raises_the_one_rule_violation():
    from bijeenkomsten.services import RegistrationError
    from leerateliers.services import DeelnameError
    from netwerk.services import AbonnementError, LidmaatschapError
    from nieuwsbrief.services import NieuwsbriefError
    from themas.rendering import MarkdownRefused
    from themas.services import UpdateError
    from werkplaats.exceptions import RuleViolation

    assert all(
        issubclass(error, RuleViolation)
        for error in (
            RegistrationError,
            DeelnameError,
            UpdateError,
            MarkdownRefused,
            LidmaatschapError,
            AbonnementError,
            NieuwsbriefError,
        )
    )


@pytest.mark.real_stack_only(reason="concurrent connections need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_writers_with_the_same_title_at_the_same_instant_both_succeed():
    thema = ThemaFactory(slug="wonen")
    auteur = PersoonFactory()
    first_inserted, results = threading.Event(), {}
    release_first = threading.Event()

    def write(name, hold):
        try:
            with transaction.atomic():
                results[name] = thema_services.save_update(
                    auteur=auteur,
                    thema=thema,
                    titel="Nieuws uit de wijk",
                    samenvatting="Kort",
                    tekst="x",
                )
                if hold:
                    first_inserted.set()
                    release_first.wait(10)
        except Exception as error:  # asserted below
            results[name] = error
        finally:
            first_inserted.set()
            connection.close()

    first = threading.Thread(target=write, args=("first", True))
    first.start()
    first_inserted.wait(10)
    # The second writer sees no committed "nieuws-uit-de-wijk" yet and inserts it too; the
    # unique index makes it wait for the first, then refuses it.
    second = threading.Thread(target=write, args=("second", False))
    second.start()
    wait_until(lambda: waiting_for_a_lock() or not second.is_alive())
    release_first.set()
    first.join(10)
    second.join(10)

    assert not isinstance(results["first"], Exception), results["first"]
    assert not isinstance(results["second"], Exception), results["second"]
    assert sorted(Update.objects.values_list("slug", flat=True)) == [
        "nieuws-uit-de-wijk",
        "nieuws-uit-de-wijk-2",
    ]


@pytest.mark.real_stack_only(reason="concurrent connections need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_a_registration_that_waits_too_long_for_the_lock_gets_a_try_again_page(client, settings):
    settings.LOCK_TIMEOUT_SECONDS = 0.3
    bijeenkomst = BijeenkomstFactory(slug="vol", capaciteit=5)
    client.force_login(PersoonFactory(email="geduld@example.org"))
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                Bijeenkomst.objects.select_for_update().get(pk=bijeenkomst.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait(10)
    try:
        response = client.post(
            reverse("bijeenkomsten:aanmelden", args=["vol"]), {"naam": "Geduldig"}
        )
    finally:
        release.set()
        holder.join(10)

    assert response.status_code == 503
    assert "Probeer het zo nog eens" in response.text
    assert response["Retry-After"]
    assert not Aanmelding.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    from io import StringIO

    from django.core.management import call_command

    output = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output)
    except SystemExit as exit_:
        pytest.fail(f"Models changed without a migration:\n{output.getvalue()} ({exit_})")
