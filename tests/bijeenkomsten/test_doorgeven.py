"""Handing a place on (issue 23, point 3): the place goes to a colleague without ever
being free for the wachtlijst in between."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling, SessieKeuze
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_lidmaatschap

pytestmark = pytest.mark.django_db
S = Aanmelding.Status


@pytest.fixture
def gemeente():
    return OrganisatieFactory(naam="Gemeente Lingewaard", maildomein="lingewaard.example.nl")


@pytest.fixture
def gever(gemeente):
    persoon = PersoonFactory(naam="Gerda Gever", email="gerda@lingewaard.example.nl")
    make_lidmaatschap(persoon, gemeente)
    return persoon


@pytest.fixture
def volle_bijeenkomst(gever):
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    aanmelding = services.register(
        bijeenkomst=bijeenkomst, email=gever.email, naam=gever.naam, persoon=gever
    )
    wachtend = services.register(bijeenkomst=bijeenkomst, email="wil@example.org", naam="Wil")
    return bijeenkomst, aanmelding, wachtend


def test_handing_on_confirms_the_colleague_and_never_offers_the_place_to_the_wachtlijst(
    volle_bijeenkomst, gever
):
    bijeenkomst, aanmelding, wachtend = volle_bijeenkomst

    ontvanger = services.hand_on(
        aanmelding=aanmelding, door=gever, email="Cor@Lingewaard.example.nl", naam="Cor Collega"
    )

    assert ontvanger.status == S.BEVESTIGD
    assert ontvanger.bron == Aanmelding.Bron.DOORGEGEVEN
    assert ontvanger.doorgegeven_van == aanmelding
    assert ontvanger.gekoppelde_organisatie.naam == "Gemeente Lingewaard"
    aanmelding.refresh_from_db()
    wachtend.refresh_from_db()
    assert aanmelding.status == S.GEANNULEERD
    assert wachtend.status == S.WACHTLIJST
    assert bijeenkomst.aanmeldingen.filter(status__in=Aanmelding.TAKEN_STATUSES).count() == 1


def test_handing_on_mails_the_colleague_a_confirmation_and_the_giver_a_cancellation(
    volle_bijeenkomst, gever, django_capture_on_commit_callbacks
):
    _, aanmelding, _ = volle_bijeenkomst
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ontvanger = services.hand_on(
            aanmelding=aanmelding, door=gever, email="cor@lingewaard.example.nl", naam="Cor"
        )

    assert OutboxMessage.objects.filter(key=f"aanmelding:{ontvanger.pk}:bevestigd").exists()
    to_giver = OutboxMessage.objects.get(key=f"aanmelding:{aanmelding.pk}:geannuleerd")
    assert "doorgegeven aan Cor" in to_giver.body_text
    assert {m.to[0] for m in mail.outbox} >= {"cor@lingewaard.example.nl", gever.email}


def test_handing_on_is_in_the_registration_log_with_who_did_it(volle_bijeenkomst, gever):
    bijeenkomst, aanmelding, _ = volle_bijeenkomst

    services.hand_on(aanmelding=aanmelding, door=gever, email="cor@lingewaard.example.nl", naam="C")

    handeling = bijeenkomst.handelingen.get(soort=Handeling.Soort.DOORGEGEVEN)
    assert handeling.door == gever
    assert "cor@lingewaard.example.nl" in handeling.omschrijving


def test_a_colleague_on_the_wachtlijst_takes_the_place_with_their_own_registration(
    volle_bijeenkomst, gever
):
    bijeenkomst, aanmelding, _ = volle_bijeenkomst
    collega = services.register(
        bijeenkomst=bijeenkomst, email="cor@lingewaard.example.nl", naam="Cor"
    )
    assert collega.status == S.WACHTLIJST

    ontvanger = services.hand_on(
        aanmelding=aanmelding, door=gever, email="cor@lingewaard.example.nl", naam="Cor"
    )

    assert ontvanger.pk == collega.pk
    assert ontvanger.status == S.BEVESTIGD
    assert bijeenkomst.aanmeldingen.filter(status__in=Aanmelding.TAKEN_STATUSES).count() == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("vreemde@example.org", "collega van je organisatie"),
        ("gerda@lingewaard.example.nl", "iemand anders dan jezelf"),
        ("", "Vul de naam"),
    ],
)
def test_handing_on_refuses_addresses_that_are_no_colleague_and_changes_nothing(
    volle_bijeenkomst, gever, email, message
):
    bijeenkomst, aanmelding, wachtend = volle_bijeenkomst
    before = list(bijeenkomst.aanmeldingen.values_list("pk", "status"))

    with pytest.raises(services.RegistrationError, match=message):
        services.hand_on(aanmelding=aanmelding, door=gever, email=email, naam="X")

    assert list(bijeenkomst.aanmeldingen.values_list("pk", "status")) == before
    assert not OutboxMessage.objects.filter(key__endswith=":geannuleerd").exists()


def test_a_confirmed_member_without_the_mail_domain_counts_as_colleague(gemeente, gever):
    collega = PersoonFactory(email="cor@prive.example.org")
    make_lidmaatschap(collega, gemeente)
    bijeenkomst = BijeenkomstFactory(capaciteit=5)
    aanmelding = services.register(
        bijeenkomst=bijeenkomst, email=gever.email, naam="G", persoon=gever
    )

    ontvanger = services.hand_on(aanmelding=aanmelding, door=gever, email=collega.email, naam="C")

    assert ontvanger.persoon == collega


def test_only_a_confirmed_place_can_be_handed_on(volle_bijeenkomst, gever):
    _, _, wachtend = volle_bijeenkomst
    wachtend.persoon = gever
    with pytest.raises(services.RegistrationError, match="bevestigde plek"):
        services.hand_on(aanmelding=wachtend, door=gever, email="c@lingewaard.example.nl", naam="C")


def test_a_place_above_capacity_is_not_handed_on(gever):
    bijeenkomst = BijeenkomstFactory(capaciteit=1)
    coordinator = PersoonFactory()
    spreker = services.register_on_behalf(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        email=gever.email,
        naam="G",
        boven_capaciteit_reden="spreker",
    )
    with pytest.raises(services.RegistrationError, match="boven de capaciteit"):
        services.hand_on(aanmelding=spreker, door=gever, email="c@lingewaard.example.nl", naam="C")


def test_a_colleague_already_confirmed_is_refused(volle_bijeenkomst, gever):
    bijeenkomst, aanmelding, _ = volle_bijeenkomst
    Bijeenkomst.objects.filter(pk=bijeenkomst.pk).update(capaciteit=5)
    services.register(bijeenkomst=bijeenkomst, email="cor@lingewaard.example.nl", naam="Cor")
    # The wachtlijst took the new places first; Cor is on it or confirmed, either way:
    cor = bijeenkomst.aanmeldingen.get(email="cor@lingewaard.example.nl")
    Aanmelding.objects.filter(pk=cor.pk).update(status=S.BEVESTIGD, wachtlijst_volgorde=None)

    with pytest.raises(services.RegistrationError, match="al een plek"):
        services.hand_on(aanmelding=aanmelding, door=gever, email=cor.email, naam="Cor")


def test_a_past_bijeenkomst_hands_nothing_on(volle_bijeenkomst, gever):
    bijeenkomst, aanmelding, _ = volle_bijeenkomst
    Bijeenkomst.objects.filter(pk=bijeenkomst.pk).update(
        start=timezone.now() - timedelta(hours=5), eind=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(services.RegistrationError, match="voorbij"):
        services.hand_on(
            aanmelding=aanmelding, door=gever, email="c@lingewaard.example.nl", naam="C"
        )


def test_a_place_is_not_handed_on_where_the_team_approves_who_comes(volle_bijeenkomst, gever):
    bijeenkomst, aanmelding, _wachtend = volle_bijeenkomst
    Bijeenkomst.objects.filter(pk=bijeenkomst.pk).update(met_goedkeuring=True)
    with pytest.raises(services.RegistrationError, match="beslist het team"):
        services.hand_on(
            aanmelding=aanmelding, door=gever, email="cor@lingewaard.example.nl", naam="Cor"
        )
    aanmelding.refresh_from_db()
    assert aanmelding.status == S.BEVESTIGD
    assert not bijeenkomst.aanmeldingen.filter(email="cor@lingewaard.example.nl").exists()


def test_the_deelsessie_places_go_with_the_place_and_no_session_is_overfilled(gever):
    bijeenkomst = BijeenkomstFactory(capaciteit=5)
    _ronde, (workshop_a, _b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 2, 2))
    aanmelding = services.register(
        bijeenkomst=bijeenkomst,
        email=gever.email,
        naam=gever.naam,
        persoon=gever,
        sessies=[workshop_a],
    )
    wacht = services.register(
        bijeenkomst=bijeenkomst, email="wil@example.org", naam="Wil", sessies=[workshop_a]
    )
    assert wacht.sessiekeuzes.get().status == SessieKeuze.Status.WACHTLIJST

    ontvanger = services.hand_on(
        aanmelding=aanmelding, door=gever, email="cor@lingewaard.example.nl", naam="Cor"
    )

    held = SessieKeuze.objects.filter(deelsessie=workshop_a, status=SessieKeuze.Status.BEVESTIGD)
    assert [keuze.aanmelding_id for keuze in held] == [ontvanger.pk]
    assert wacht.sessiekeuzes.get().status == SessieKeuze.Status.WACHTLIJST
    assert not aanmelding.sessiekeuzes.filter(status__in=SessieKeuze.OPEN_STATUSES).exists()
