import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from leerateliers import services
from leerateliers.models import Deelname, Leeratelier
from netwerk.models import OutboxMessage
from tests.leerateliers.factories import (
    DeelnameFactory,
    LeeratelierFactory,
    LerendePraktijkFactory,
)
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def trekkers():
    return [PersoonFactory(naam="Tess Trekker"), PersoonFactory(naam="Tom Trekker")]


@pytest.fixture
def atelier(trekkers):
    return LeeratelierFactory(naam="Armoede", slug="armoede", trekkers=trekkers)


@pytest.fixture
def partner():
    return PersoonFactory(naam="Pim Partner", organisatie=OrganisatieFactory(naam="Buurtwerk"))


def test_tribune_is_active_at_once_for_the_persons_organisatie_without_mail(atelier, partner):
    deelname = services.join_leeratelier(
        persoon=partner, leeratelier=atelier, rol=Deelname.Rol.TRIBUNE
    )

    assert deelname.status == Deelname.Status.ACTIEF
    assert deelname.rol == Deelname.Rol.TRIBUNE
    assert deelname.organisatie == partner.organisatie
    assert mail.outbox == []


def test_an_individual_joins_without_organisatie(atelier):
    inwoner = PersoonFactory()
    deelname = services.join_leeratelier(
        persoon=inwoner, leeratelier=atelier, rol=Deelname.Rol.TRIBUNE
    )
    assert deelname.organisatie is None


def test_arena_is_a_request_that_mails_every_trekker_a_signed_decision_link(
    atelier, partner, trekkers
):
    deelname = services.join_leeratelier(
        persoon=partner, leeratelier=atelier, rol=Deelname.Rol.ARENA
    )

    assert deelname.status == Deelname.Status.AANGEVRAAGD
    assert deelname.wacht_op_arena
    assert sorted(message.to[0] for message in mail.outbox) == sorted(t.email for t in trekkers)
    for message in mail.outbox:
        assert "Pim Partner" in message.subject
        assert "/leerateliers/besluit/" in message.body
        assert "Buurtwerk" in message.body


def test_a_double_submit_does_not_create_a_second_request_or_mail(atelier, partner):
    first = services.join_leeratelier(persoon=partner, leeratelier=atelier, rol="arena")
    second = services.join_leeratelier(persoon=partner, leeratelier=atelier, rol="arena")

    assert first.pk == second.pk
    assert Deelname.objects.count() == 1
    assert len(mail.outbox) == 2  # one per trekker, once


@pytest.mark.parametrize("status", [Leeratelier.Status.BEEINDIGD])
def test_an_atelier_that_ended_takes_no_new_deelnemers(atelier, partner, status):
    Leeratelier.objects.filter(pk=atelier.pk).update(status=status)

    with pytest.raises(services.DeelnameError):
        services.join_leeratelier(persoon=partner, leeratelier=atelier, rol="tribune")
    assert not Deelname.objects.exists()


def test_an_unknown_rol_is_refused(atelier, partner):
    with pytest.raises(services.DeelnameError):
        services.join_leeratelier(persoon=partner, leeratelier=atelier, rol="bestuur")


def test_approving_puts_the_person_in_the_arena_and_mails_the_outcome(atelier, partner, trekkers):
    deelname = services.join_leeratelier(persoon=partner, leeratelier=atelier, rol="arena")
    mail.outbox.clear()

    services.approve_arena(deelname=deelname, door=trekkers[0])

    deelname.refresh_from_db()
    assert (deelname.rol, deelname.status) == ("arena", "actief")
    assert deelname.besloten_door == trekkers[0]
    assert deelname.besloten_op is not None
    assert not deelname.wacht_op_arena
    assert [message.to for message in mail.outbox] == [[partner.email]]
    assert "Welkom in de arena" in mail.outbox[0].subject


def test_declining_a_fresh_request_closes_it_and_mails_the_outcome(atelier, partner, trekkers):
    deelname = services.join_leeratelier(persoon=partner, leeratelier=atelier, rol="arena")
    mail.outbox.clear()

    services.decline_arena(deelname=deelname, door=trekkers[1])

    deelname.refresh_from_db()
    assert deelname.status == Deelname.Status.AFGEWEZEN
    assert deelname.besloten_door == trekkers[1]
    assert [message.to for message in mail.outbox] == [[partner.email]]
    assert "niet goedgekeurd" in mail.outbox[0].body


def test_a_request_is_decided_once(atelier, partner, trekkers):
    deelname = services.join_leeratelier(persoon=partner, leeratelier=atelier, rol="arena")
    services.approve_arena(deelname=deelname, door=trekkers[0])

    with pytest.raises(services.DeelnameError):
        services.decline_arena(deelname=deelname, door=trekkers[1])
    deelname.refresh_from_db()
    assert deelname.rol == "arena"
    assert deelname.status == "actief"


def test_arena_to_tribune_is_immediate(atelier, partner):
    deelname = DeelnameFactory(leeratelier=atelier, persoon=partner, rol="arena")

    services.switch_rol(deelname=deelname, rol="tribune")

    deelname.refresh_from_db()
    assert (deelname.rol, deelname.status) == ("tribune", "actief")
    assert mail.outbox == []


def test_tribune_to_arena_is_a_request_while_staying_on_the_tribune(atelier, partner, trekkers):
    deelname = DeelnameFactory(leeratelier=atelier, persoon=partner, rol="tribune")

    services.switch_rol(deelname=deelname, rol="arena")

    deelname.refresh_from_db()
    assert (deelname.rol, deelname.status) == ("tribune", "actief")
    assert deelname.wacht_op_arena
    assert len(mail.outbox) == len(trekkers)


def test_declining_a_tribune_members_request_keeps_them_on_the_tribune(atelier, partner, trekkers):
    deelname = DeelnameFactory(leeratelier=atelier, persoon=partner, rol="tribune")
    services.switch_rol(deelname=deelname, rol="arena")

    services.decline_arena(deelname=deelname, door=trekkers[0])

    deelname.refresh_from_db()
    assert (deelname.rol, deelname.status) == ("tribune", "actief")
    assert not deelname.wacht_op_arena


def test_leaving_ends_the_deelname_and_keeps_it_for_history(atelier, partner):
    deelname = DeelnameFactory(leeratelier=atelier, persoon=partner, rol="arena")

    services.leave_leeratelier(deelname=deelname)

    deelname.refresh_from_db()
    assert deelname.status == Deelname.Status.BEEINDIGD
    assert deelname.beeindigd_op is not None
    again = services.join_leeratelier(persoon=partner, leeratelier=atelier, rol="tribune")
    assert again.pk != deelname.pk
    assert Deelname.objects.filter(persoon=partner).count() == 2


def test_leaving_twice_is_refused(atelier, partner):
    deelname = DeelnameFactory(leeratelier=atelier, persoon=partner)
    services.leave_leeratelier(deelname=deelname)
    with pytest.raises(services.DeelnameError):
        services.leave_leeratelier(deelname=deelname)


def test_the_database_refuses_a_second_open_deelname_for_one_person_and_atelier(atelier, partner):
    DeelnameFactory(leeratelier=atelier, persoon=partner, rol="tribune")

    with pytest.raises(IntegrityError), transaction.atomic():
        DeelnameFactory(leeratelier=atelier, persoon=partner, rol="arena", status="aangevraagd")
    # Ended ones do not count.
    DeelnameFactory(leeratelier=atelier, persoon=partner, status="beeindigd")


def test_merging_moves_open_deelnames_and_praktijken_and_keeps_the_stronger_rol(trekkers):
    bron = LeeratelierFactory(naam="Oud", trekkers=[trekkers[0]])
    doel = LeeratelierFactory(naam="Nieuw", trekkers=[trekkers[1]])
    alleen_bron = DeelnameFactory(leeratelier=bron, rol="tribune")
    sterker_in_bron = DeelnameFactory(leeratelier=bron, rol="arena")
    zwakker_in_doel = DeelnameFactory(
        leeratelier=doel, persoon=sterker_in_bron.persoon, rol="tribune"
    )
    sterker_in_doel = DeelnameFactory(leeratelier=doel, rol="arena")
    zwakker_in_bron = DeelnameFactory(
        leeratelier=bron, persoon=sterker_in_doel.persoon, rol="tribune"
    )
    al_beeindigd = DeelnameFactory(leeratelier=bron, status="beeindigd")
    praktijk = LerendePraktijkFactory(leeratelier=bron)

    result = services.merge_leeratelier(bron=bron, doel=doel)

    for deelname in [
        alleen_bron,
        sterker_in_bron,
        zwakker_in_doel,
        sterker_in_doel,
        zwakker_in_bron,
        al_beeindigd,
        praktijk,
    ]:
        deelname.refresh_from_db()
    bron.refresh_from_db()
    assert (bron.status, bron.samengevoegd_in) == ("samengevoegd", doel)
    assert alleen_bron.leeratelier == doel
    assert alleen_bron.status == "actief"
    assert sterker_in_bron.leeratelier == doel
    assert sterker_in_bron.rol == "arena"
    assert zwakker_in_doel.status == "beeindigd"
    assert sterker_in_doel.status == "actief"
    assert sterker_in_doel.rol == "arena"
    assert zwakker_in_bron.status == "beeindigd"
    assert zwakker_in_bron.leeratelier == bron
    assert al_beeindigd.leeratelier == bron
    assert praktijk.leeratelier == doel
    assert set(doel.trekkers.all()) == set(trekkers)
    assert result.lerende_praktijken == 1
    # Nothing lost: every row still exists, and each person has exactly one open deelname.
    assert Deelname.objects.count() == 6
    assert Deelname.objects.open().filter(leeratelier=doel).count() == 3


def test_an_atelier_cannot_merge_into_itself_or_twice(trekkers):
    bron, doel, derde = LeeratelierFactory(), LeeratelierFactory(), LeeratelierFactory()
    with pytest.raises(services.DeelnameError):
        services.merge_leeratelier(bron=bron, doel=bron)
    services.merge_leeratelier(bron=bron, doel=doel)
    with pytest.raises(services.DeelnameError):
        services.merge_leeratelier(bron=bron, doel=derde)


def test_request_mails_go_through_the_outbox_with_one_row_per_trekker(atelier, partner, trekkers):
    services.join_leeratelier(persoon=partner, leeratelier=atelier, rol="arena")
    assert OutboxMessage.objects.filter(key__startswith="leerateliers:arena-aanvraag:").count() == 2


def test_mail_subjects_are_plain_text(atelier, trekkers):
    persoon = PersoonFactory(naam="Jan & Joke O'Brien")
    services.join_leeratelier(persoon=persoon, leeratelier=atelier, rol="arena")
    assert "Jan & Joke O'Brien" in mail.outbox[0].subject
