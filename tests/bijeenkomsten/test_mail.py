"""Each transition sends exactly its own mail, once, and only when its transaction commits."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from bijeenkomsten import services, tasks
from bijeenkomsten.models import Aanmelding
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory, link_token, linked

pytestmark = pytest.mark.django_db(transaction=True)


def register(bijeenkomst, naam):
    return services.register(
        bijeenkomst=bijeenkomst, email=f"{naam.lower()}@example.org", naam=naam
    )


def subjects_to(naam):
    return [m.subject for m in mail.outbox if m.to == [f"{naam.lower()}@example.org"]]


@pytest.fixture
def vol():
    """A bijeenkomst with one place, taken by Anna; Bram and Cor wait."""
    bijeenkomst = BijeenkomstFactory(titel="Landelijk symposium", capaciteit=1)
    people = [register(bijeenkomst, naam) for naam in ["Anna", "Bram", "Cor"]]
    mail.outbox.clear()
    return bijeenkomst, people


def test_a_confirmed_registration_gets_one_confirmation_with_the_ics_and_personal_link():
    bijeenkomst = BijeenkomstFactory(titel="Masterclass energie", online_link="")

    aanmelding = register(bijeenkomst, "Anna")

    assert subjects_to("Anna") == ["Je aanmelding voor Masterclass energie is bevestigd"]
    message = mail.outbox[0]
    assert f"/aanmelding/{aanmelding.token}/" in message.body
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("bijeenkomst.ics", "text/calendar")
    ics = content.decode() if isinstance(content, bytes) else content
    assert "SUMMARY:Masterclass energie" in ics


def test_a_place_on_the_wachtlijst_is_mailed_with_the_position(vol):
    bijeenkomst, _ = vol

    register(bijeenkomst, "Dirk")

    assert subjects_to("Dirk") == ["Je staat op de wachtlijst voor Landelijk symposium"]
    assert "op plaats 3" in mail.outbox[0].body


def test_a_cancel_mails_the_canceller_and_offers_the_place_to_the_next_with_deadline(vol):
    _, (anna, bram, cor) = vol

    services.cancel(aanmelding=anna)

    assert subjects_to("Anna") == ["Je aanmelding voor Landelijk symposium is geannuleerd"]
    assert subjects_to("Bram") == ["Er is een plek vrij voor je bij Landelijk symposium"]
    assert subjects_to("Cor") == []
    offer = next(m for m in mail.outbox if m.to == ["bram@example.org"])
    assert linked(link_token(offer.body)) == bram
    assert "uiterlijk" in offer.body


def test_claiming_mails_the_confirmation(vol):
    _, (anna, bram, _) = vol
    services.cancel(aanmelding=anna)
    mail.outbox.clear()

    services.claim(aanmelding=bram)

    assert subjects_to("Bram") == ["Je aanmelding voor Landelijk symposium is bevestigd"]
    assert len(mail.outbox) == 1


def test_declining_mails_the_decliner_and_offers_the_next(vol):
    _, (anna, bram, _) = vol
    services.cancel(aanmelding=anna)
    mail.outbox.clear()

    services.decline(aanmelding=bram)

    assert subjects_to("Bram") == ["Je aanmelding voor Landelijk symposium is geannuleerd"]
    assert "afgewezen" in mail.outbox[0].body
    assert subjects_to("Cor") == ["Er is een plek vrij voor je bij Landelijk symposium"]


def test_the_periodic_tasks_send_one_reminder_and_one_expiry_however_often_they_run(vol):
    bijeenkomst, (anna, bram, _) = vol
    services.cancel(aanmelding=anna)
    mail.outbox.clear()
    deadline = Aanmelding.objects.get(pk=bram.pk).aanbod_tot

    Aanmelding.objects.filter(pk=bram.pk).update(
        doorgeschoven_op=timezone.now() - timedelta(hours=37),
        aanbod_tot=timezone.now() + timedelta(hours=11),
    )
    tasks.remind_offers.delay()
    tasks.remind_offers.delay()
    assert subjects_to("Bram") == ["Herinnering: claim je plek bij Landelijk symposium"]

    Aanmelding.objects.filter(pk=bram.pk).update(aanbod_tot=timezone.now() - timedelta(minutes=1))
    tasks.expire_offers.delay()
    tasks.expire_offers.delay()

    assert subjects_to("Bram")[1:] == ["Het aanbod voor Landelijk symposium is verlopen"]
    assert subjects_to("Cor") == ["Er is een plek vrij voor je bij Landelijk symposium"]
    assert deadline > timezone.now()


def test_cancelling_the_bijeenkomst_mails_everyone_registered_once(vol):
    bijeenkomst, _ = vol

    services.cancel_bijeenkomst(bijeenkomst=bijeenkomst)
    services.cancel_bijeenkomst(bijeenkomst=bijeenkomst)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@example.org",
        "bram@example.org",
        "cor@example.org",
    ]
    assert {m.subject for m in mail.outbox} == {"Landelijk symposium gaat niet door"}


def test_raising_the_capacity_sends_one_offer_per_new_place(vol):
    bijeenkomst, _ = vol

    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=3)
    services.change_capacity(bijeenkomst=bijeenkomst, capaciteit=3)

    assert len(subjects_to("Bram")) == 1
    assert len(subjects_to("Cor")) == 1
    assert len(mail.outbox) == 2


def test_a_refused_registration_sends_nothing(vol):
    bijeenkomst, _ = vol

    with pytest.raises(services.RegistrationError):
        register(bijeenkomst, "Anna")

    assert mail.outbox == []


def test_no_mail_leaves_when_the_surrounding_transaction_rolls_back(vol):
    bijeenkomst, (anna, _, _) = vol
    before = OutboxMessage.objects.count()

    class Boom(Exception):
        pass

    def cause_that_fails():
        with transaction.atomic():
            services.cancel(aanmelding=anna)
            register(bijeenkomst, "Dirk")
            raise Boom

    with pytest.raises(Boom):
        cause_that_fails()

    assert OutboxMessage.objects.count() == before
    assert mail.outbox == []
    assert Aanmelding.objects.get(pk=anna.pk).status == Aanmelding.Status.BEVESTIGD


def test_a_guest_gets_a_link_to_confirm_their_address_and_nothing_is_registered_yet():
    bijeenkomst = BijeenkomstFactory(titel="Tribunebijeenkomst")

    services.request_guest_registration(
        bijeenkomst=bijeenkomst, gegevens={"email": "Gast@Example.org", "naam": "Gast"}
    )

    assert [m.to for m in mail.outbox] == [["gast@example.org"]]
    assert mail.outbox[0].subject == "Bevestig je aanmelding voor Tribunebijeenkomst"
    assert f"/bijeenkomsten/{bijeenkomst.slug}/aanmelden/bevestigen/" in mail.outbox[0].body
    assert not bijeenkomst.aanmeldingen.exists()
