"""Nieuwsbrief subscriptions: the consent record, interests, unsubscribing, pausing."""

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone

from netwerk import services
from netwerk.admin import AbonnementAdmin
from netwerk.models import HUIDIGE_TOESTEMMING, TOESTEMMINGSTEKSTEN, Abonnement, Toestemming
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import AbonnementFactory, PersoonFactory, make_coordinator
from tests.roles import log_in_to_beheer
from tests.themas.factories import ThemaFactory
from werkplaats.tokens import hash_token, new_token

pytestmark = pytest.mark.django_db


def subscribe(email="anna@example.org", **extra):
    now = timezone.now()
    return services.subscribe(
        **{
            "email": email,
            "naam": "Anna",
            "leeratelier_ids": [],
            "thema_ids": [],
            "tekst_versie": HUIDIGE_TOESTEMMING,
            "taal": "nl",
            "formulier": Toestemming.Formulier.NIEUWSBRIEF,
            "gevraagd_op": now - timedelta(minutes=5),
            "bevestigd_op": now,
            **extra,
        }
    )


def test_a_confirmation_records_the_text_shown_where_and_when():
    atelier = LeeratelierFactory(naam="Armoede")
    asked = timezone.now() - timedelta(hours=2)

    abonnement = subscribe(
        email=" Anna@Example.org ", leeratelier_ids=[atelier.pk], gevraagd_op=asked
    )

    assert abonnement.email == "anna@example.org"
    assert abonnement.status == Abonnement.Status.BEVESTIGD
    assert list(abonnement.leerateliers.all()) == [atelier]
    toestemming = abonnement.toestemmingen.get()
    assert toestemming.tekst_versie == HUIDIGE_TOESTEMMING
    assert toestemming.tekst == str(TOESTEMMINGSTEKSTEN[HUIDIGE_TOESTEMMING])
    assert toestemming.tekst.startswith("Ja, ik wil de nieuwsbrief")
    assert toestemming.formulier == Toestemming.Formulier.NIEUWSBRIEF
    assert toestemming.gevraagd_op == asked
    assert toestemming.bevestigd_op > asked
    assert toestemming.interesses == ["Armoede"]


def test_the_consent_is_kept_in_the_language_it_was_shown_in():
    abonnement = subscribe(taal="en")
    assert abonnement.toestemmingen.get().tekst.startswith("Yes, I would like to receive")


def test_confirming_the_same_request_twice_records_one_consent():
    asked = timezone.now() - timedelta(minutes=3)
    subscribe(gevraagd_op=asked)
    abonnement = subscribe(gevraagd_op=asked)
    assert abonnement.toestemmingen.count() == 1
    assert Abonnement.objects.count() == 1


def test_an_unknown_consent_version_is_refused_and_stores_nothing():
    with pytest.raises(services.AbonnementError):
        subscribe(tekst_versie="999")
    assert not Abonnement.objects.exists()


def test_subscribing_again_after_unsubscribing_or_a_pause_starts_afresh():
    abonnement = AbonnementFactory(email="anna@example.org", weigeringen_op_rij=1)
    services.unsubscribe(abonnement=abonnement, via=Abonnement.Via.LINK)

    abonnement = subscribe()

    assert abonnement.status == Abonnement.Status.BEVESTIGD
    assert abonnement.afgemeld_op is None
    assert abonnement.weigeringen_op_rij == 0


def test_unsubscribing_twice_changes_nothing_the_second_time():
    abonnement = AbonnementFactory()
    first = services.unsubscribe(abonnement=abonnement, via=Abonnement.Via.ONE_CLICK)
    second = services.unsubscribe(abonnement=abonnement, via=Abonnement.Via.LINK)
    assert second.afgemeld_op == first.afgemeld_op
    assert second.afgemeld_via == Abonnement.Via.ONE_CLICK


def test_a_logged_in_person_subscribes_with_consent_then_only_changes_interests():
    persoon = PersoonFactory(email="bram@example.org", naam="Bram")
    thema = ThemaFactory()

    abonnement = services.save_own_subscription(persoon=persoon, thema_ids=[thema.pk])
    assert abonnement.status == Abonnement.Status.BEVESTIGD
    assert abonnement.naam == "Bram"
    assert abonnement.toestemmingen.get().formulier == Toestemming.Formulier.MIJN

    services.save_own_subscription(persoon=persoon, thema_ids=[])
    abonnement.refresh_from_db()
    assert list(abonnement.themas.all()) == []
    assert abonnement.toestemmingen.count() == 1


def test_interests_that_no_longer_exist_are_left_out():
    atelier = LeeratelierFactory()
    abonnement = subscribe(leeratelier_ids=[atelier.pk, atelier.pk + 1000])
    assert list(abonnement.leerateliers.all()) == [atelier]


def test_two_editions_refused_in_a_row_pause_a_subscription():
    anna, bram = AbonnementFactory(), AbonnementFactory()

    services.record_edition_outcomes(
        delivered_ids=[bram.pk], refused_ids=[anna.pk], editie="Nieuwsbrief mei"
    )
    anna.refresh_from_db()
    assert (anna.status, anna.weigeringen_op_rij) == (Abonnement.Status.BEVESTIGD, 1)

    paused = services.record_edition_outcomes(
        delivered_ids=[bram.pk], refused_ids=[anna.pk], editie="Nieuwsbrief juni"
    )

    anna.refresh_from_db()
    assert paused == [anna.pk]
    assert anna.status == Abonnement.Status.GEPAUZEERD
    assert anna.gepauzeerd_op is not None
    assert "Nieuwsbrief juni" in anna.pauze_reden
    bram.refresh_from_db()
    assert bram.status == Abonnement.Status.BEVESTIGD


def test_a_delivered_edition_in_between_ends_the_streak():
    anna = AbonnementFactory()
    services.record_edition_outcomes(delivered_ids=[], refused_ids=[anna.pk], editie="mei")
    services.record_edition_outcomes(delivered_ids=[anna.pk], refused_ids=[], editie="juni")
    services.record_edition_outcomes(delivered_ids=[], refused_ids=[anna.pk], editie="juli")
    anna.refresh_from_db()
    assert (anna.status, anna.weigeringen_op_rij) == (Abonnement.Status.BEVESTIGD, 1)


def test_an_address_that_unsubscribed_is_not_paused():
    anna = AbonnementFactory(weigeringen_op_rij=1)
    services.unsubscribe(abonnement=anna, via=Abonnement.Via.LINK)
    services.record_edition_outcomes(delivered_ids=[], refused_ids=[anna.pk], editie="juni")
    anna.refresh_from_db()
    assert anna.status == Abonnement.Status.AFGEMELD


# The unsubscribe token is stored only as its hash (issue 18, L3).


def test_existing_tokens_are_hashed_in_place_so_their_links_keep_working():
    from django.apps import apps

    from nieuwsbrief import selectors as nieuwsbrief_selectors

    migration = importlib.import_module("netwerk.migrations.0012_abonnement_token_hash")
    raw = new_token()
    # As the table held it before the migration: the raw token in the column.
    abonnement = AbonnementFactory()
    Abonnement.objects.filter(pk=abonnement.pk).update(token_hash=raw)
    zonder = AbonnementFactory()
    Abonnement.objects.filter(pk=zonder.pk).update(token_hash=None)

    migration.hash_tokens(apps, None)

    assert Abonnement.objects.get(pk=abonnement.pk).token_hash == hash_token(raw)
    assert Abonnement.objects.get(pk=zonder.pk).token_hash is None
    assert nieuwsbrief_selectors.abonnement_by_token(raw) == abonnement
    assert nieuwsbrief_selectors.abonnement_by_token(hash_token(raw)) is None


def test_the_admin_shows_and_searches_no_token_of_a_subscription(client):
    abonnement = AbonnementFactory(email="abonnee@example.org")
    log_in_to_beheer(client, make_coordinator(is_staff=True, is_superuser=True))

    detail = client.get(f"/beheer/netwerk/abonnement/{abonnement.pk}/change/")
    listing = client.get("/beheer/netwerk/abonnement/")
    search = client.get("/beheer/netwerk/abonnement/", {"q": abonnement.token_hash})

    assert detail.status_code == listing.status_code == 200
    for page in (detail, listing):
        assert abonnement.token not in page.text
        assert abonnement.token_hash not in page.text
    # The search box echoes what was typed; it finds nothing by the hash.
    assert "0 resultaten" in search.text
    assert "abonnee@example.org" not in search.text
    assert "token" not in AbonnementAdmin.search_fields
