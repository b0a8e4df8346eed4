from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from leerateliers.models import Deelname
from netwerk.models import OutboxMessage
from tests.leerateliers.factories import DeelnameFactory, LeeratelierFactory
from tests.netwerk.factories import PersoonFactory
from tests.themas.factories import ThemaFactory, UpdateFactory
from themas import services
from themas.models import Update, UpdateBezorging, Volging

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_after_commit(django_capture_on_commit_callbacks):
    """Run the outbox's after-commit delivery inside these non-transactional tests."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def draft(thema=None, leeratelier=None, **fields):
    thematrekker = PersoonFactory()
    return services.save_update(
        auteur=thematrekker,
        thema=thema if thema or leeratelier else ThemaFactory(),
        leeratelier=leeratelier,
        titel=fields.get("titel", "Wat we leerden in de wijk"),
        samenvatting="Een korte samenvatting.",
        tekst=fields.get("tekst", "Tekst met **nadruk** en <script>alert(1)</script>."),
    )


def test_saving_renders_and_sanitises_the_markdown():
    update = draft()

    assert update.status == Update.Status.CONCEPT
    assert "<strong>nadruk</strong>" in update.tekst_html
    assert "<script>" not in update.tekst_html


def test_slugs_stay_unique_for_equal_titles():
    first, second = draft(titel="Nieuws"), draft(titel="Nieuws")

    assert (first.slug, second.slug) == ("nieuws", "nieuws-2")


def test_an_update_belongs_to_exactly_one_thema_or_leeratelier():
    with pytest.raises(IntegrityError), transaction.atomic():
        UpdateFactory(thema=ThemaFactory(), leeratelier=LeeratelierFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        UpdateFactory(thema=None, leeratelier=None)


def test_an_image_needs_alt_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        UpdateFactory(afbeelding="updates/2026/foto.jpg", afbeelding_alt="")


def test_scheduled_updates_are_published_when_their_time_has_come():
    update = draft()
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    services.schedule_update(update=update, publiceren_op=moment)

    assert services.publish_due_updates(now=moment - timedelta(seconds=1)) == 0
    update.refresh_from_db()
    assert update.status == Update.Status.INGEPLAND

    assert services.publish_due_updates(now=moment) == 1
    update.refresh_from_db()
    assert update.status == Update.Status.GEPUBLICEERD
    assert update.gepubliceerd_op == moment

    assert services.publish_due_updates(now=moment + timedelta(minutes=1)) == 0


def test_publishing_twice_changes_nothing_the_second_time(mail_after_commit):
    update = draft()
    volger = PersoonFactory()
    services.follow(persoon=volger, thema=update.thema, frequentie="per_update")
    first = timezone.now()

    mail_after_commit(lambda: services.publish_update(update_id=update.pk, now=first))
    mail_after_commit(
        lambda: services.publish_update(update_id=update.pk, now=first + timedelta(hours=1))
    )

    update.refresh_from_db()
    assert update.gepubliceerd_op == first
    assert [message.to for message in mail.outbox] == [[volger.email]]


def test_one_mail_per_follower_per_update_even_when_publish_runs_twice(mail_after_commit):
    thema = ThemaFactory()
    per_update = PersoonFactory.create_batch(3)
    for persoon in per_update:
        services.follow(persoon=persoon, thema=thema, frequentie="per_update")
    services.follow(persoon=PersoonFactory(), thema=thema, frequentie="wekelijks")
    services.follow(persoon=PersoonFactory(), thema=thema, frequentie="geen")
    update = draft(thema=thema)

    for _ in range(2):
        mail_after_commit(lambda: services.publish_update(update_id=update.pk))

    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in per_update)
    assert OutboxMessage.objects.filter(key__startswith=f"update:{update.pk}:").count() == 3
    assert UpdateBezorging.objects.filter(update=update).count() == 3


def test_a_scheduled_update_that_is_withdrawn_is_not_published():
    update = draft()
    moment = timezone.now() + timedelta(hours=1)
    services.schedule_update(update=update, publiceren_op=moment)
    services.withdraw_update(update=update)

    assert services.publish_due_updates(now=moment + timedelta(hours=1)) == 0
    update.refresh_from_db()
    assert update.status == Update.Status.INGETROKKEN


def test_deelnemers_follow_their_leeratelier_in_the_weekly_digest(mail_after_commit):
    deelname = DeelnameFactory(status=Deelname.Status.ACTIEF)
    ended = DeelnameFactory(leeratelier=deelname.leeratelier, status=Deelname.Status.BEEINDIGD)
    update = draft(leeratelier=deelname.leeratelier)
    mail_after_commit(lambda: services.publish_update(update_id=update.pk))
    assert mail.outbox == []  # no per-update mail without asking for it

    mail_after_commit(lambda: services.send_weekly_digests())

    assert [message.to for message in mail.outbox] == [[deelname.persoon.email]]
    assert update.titel in mail.outbox[0].body
    assert ended.persoon.email not in {message.to[0] for message in mail.outbox}


def test_the_weekly_digest_is_never_empty_and_never_repeats_an_update(mail_after_commit):
    thema = ThemaFactory()
    lezer = PersoonFactory()
    services.follow(persoon=lezer, thema=thema, frequentie="wekelijks")
    services.follow(persoon=PersoonFactory(), thema=ThemaFactory(), frequentie="wekelijks")
    update = draft(thema=thema)
    mail_after_commit(lambda: services.publish_update(update_id=update.pk))

    now = timezone.now()
    assert mail_after_commit(lambda: services.send_weekly_digests(now=now)) == 1
    assert mail_after_commit(lambda: services.send_weekly_digests(now=now)) == 0
    next_week = now + timedelta(days=7)
    assert mail_after_commit(lambda: services.send_weekly_digests(now=next_week)) == 0

    assert [message.to for message in mail.outbox] == [[lezer.email]]


def test_an_update_mailed_per_update_is_not_repeated_in_a_digest(mail_after_commit):
    thema = ThemaFactory()
    lezer = PersoonFactory()
    services.follow(persoon=lezer, thema=thema, frequentie="per_update")
    update = draft(thema=thema)
    mail_after_commit(lambda: services.publish_update(update_id=update.pk))
    services.follow(persoon=lezer, thema=thema, frequentie="wekelijks")

    assert mail_after_commit(lambda: services.send_weekly_digests()) == 0
    assert len(mail.outbox) == 1


def test_following_again_changes_the_choice_instead_of_adding_a_follow():
    thema = ThemaFactory()
    persoon = PersoonFactory()

    services.follow(persoon=persoon, thema=thema, frequentie="per_update")
    services.follow(persoon=persoon, thema=thema, frequentie="geen")

    assert list(Volging.objects.values_list("frequentie", flat=True)) == ["geen"]


def test_an_unknown_frequency_is_refused():
    with pytest.raises(services.UpdateError):
        services.follow(persoon=PersoonFactory(), thema=ThemaFactory(), frequentie="elk-uur")
