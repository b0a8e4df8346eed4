"""A trekker is mailed once per arena request, however often the person switches between
arena and tribune (issue 12, finding 5)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from leerateliers import services, tokens
from leerateliers.models import Deelname
from netwerk.models import OutboxMessage
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory

pytestmark = pytest.mark.django_db

WINDOW = services.ARENA_REQUEST_MAIL_WINDOW


@pytest.fixture
def trekkers():
    return [PersoonFactory(naam="Tess Trekker"), PersoonFactory(naam="Tom Trekker")]


@pytest.fixture
def atelier(trekkers):
    return LeeratelierFactory(naam="Armoede", slug="armoede", trekkers=trekkers)


@pytest.fixture
def aanvrager():
    return PersoonFactory(naam="Anna Aanvrager")


def request_mails():
    return list(
        OutboxMessage.objects.filter(key__startswith="leerateliers:arena-aanvraag:")
        .order_by("pk")
        .values_list("to", flat=True)
    )


def test_switching_ten_times_through_the_site_mails_each_trekker_once(
    client, atelier, aanvrager, trekkers
):
    client.force_login(aanvrager)
    client.post(reverse("leerateliers:deelnemen", args=[atelier.slug]), {"rol": "arena"})
    deelname = aanvrager.deelnames.get()
    switch = reverse("leerateliers:deelname-wisselen", args=[deelname.pk])

    for rol in ["tribune", "arena"] * 10:
        assert client.post(switch, {"rol": rol}).status_code == 302

    assert sorted(request_mails()) == sorted(trekker.email for trekker in trekkers)
    deelname.refresh_from_db()
    assert deelname.wacht_op_arena


def test_a_switch_back_after_the_window_is_mailed_again(atelier, aanvrager):
    t0 = timezone.now()
    deelname = services.join_leeratelier(
        persoon=aanvrager, leeratelier=atelier, rol="arena", now=t0
    )
    services.switch_rol(deelname=deelname, rol="tribune", now=t0 + timedelta(minutes=5))
    services.switch_rol(deelname=deelname, rol="arena", now=t0 + timedelta(minutes=10))
    assert len(request_mails()) == 2

    services.switch_rol(deelname=deelname, rol="tribune", now=t0 + WINDOW * 2)
    services.switch_rol(deelname=deelname, rol="arena", now=t0 + WINDOW * 2)

    assert len(request_mails()) == 4


def test_a_switch_just_across_a_window_boundary_is_not_mailed_again(atelier, aanvrager):
    seconds = int(WINDOW.total_seconds())
    now = timezone.now()
    boundary = now - timedelta(seconds=now.timestamp() % seconds) + WINDOW
    before = boundary - timedelta(minutes=1)
    after = boundary + timedelta(minutes=1)
    # The earlier mail must look as old as the clock says, not as old as the test run.
    deelname = services.join_leeratelier(
        persoon=aanvrager, leeratelier=atelier, rol="arena", now=before
    )
    OutboxMessage.objects.update(created_at=before)
    services.switch_rol(deelname=deelname, rol="tribune", now=after)
    services.switch_rol(deelname=deelname, rol="arena", now=after)

    assert len(request_mails()) == 2


def test_a_new_request_after_a_decision_is_mailed_again(atelier, aanvrager, trekkers):
    deelname = services.join_leeratelier(persoon=aanvrager, leeratelier=atelier, rol="tribune")
    deelname = services.switch_rol(deelname=deelname, rol="arena")
    deelname = services.decline_arena(deelname=deelname, door=trekkers[0])
    assert len(request_mails()) == 2

    services.switch_rol(deelname=deelname, rol="arena")

    assert len(request_mails()) == 4


def test_the_first_mails_link_still_decides_on_the_request_after_a_flip_flop(
    client, atelier, aanvrager, trekkers
):
    deelname = services.join_leeratelier(persoon=aanvrager, leeratelier=atelier, rol="arena")
    first_link = reverse("leerateliers:besluit", args=[tokens.make_decision_token(deelname)])
    services.switch_rol(deelname=deelname, rol="tribune")
    services.switch_rol(deelname=deelname, rol="arena")
    client.force_login(trekkers[0])

    response = client.get(first_link)

    assert "al besloten" not in response.text
    assert reverse("leerateliers:deelname-goedkeuren", args=[deelname.pk]) in response.text


def test_leaving_and_joining_again_as_arena_does_not_mail_the_trekkers_again(atelier, aanvrager):
    for _ in range(5):
        deelname = services.join_leeratelier(persoon=aanvrager, leeratelier=atelier, rol="arena")
        services.leave_leeratelier(deelname=deelname)

    assert len(request_mails()) == 2  # each of the two trekkers once


def test_one_persons_requests_mail_the_trekkers_of_a_bounded_number_of_ateliers_a_day(
    aanvrager,
):
    limit = services.ARENA_REQUEST_ATELIERS_PER_DAY
    ateliers = [LeeratelierFactory(trekkers=[PersoonFactory()]) for _ in range(limit + 3)]

    for leeratelier in ateliers:
        services.join_leeratelier(persoon=aanvrager, leeratelier=leeratelier, rol="arena")

    assert len(request_mails()) == limit
    assert Deelname.objects.filter(persoon=aanvrager).count() == limit + 3
