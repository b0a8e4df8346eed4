"""Sending an edition over SMTP: the headers and links of every mail, exactly once per
address, skipping who unsubscribed, bounces, retries, the rate."""

import re
import time
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netwerk.models import Abonnement
from nieuwsbrief import delivery, selectors, services, tasks
from nieuwsbrief.models import Bezorging, Editie
from nieuwsbrief.rendering import TOKEN_PLACEHOLDER, render_edition, wrap_long_lines
from tests.netwerk.factories import AbonnementFactory
from tests.nieuwsbrief.factories import EditieFactory, SectieFactory
from werkplaats.tokens import hash_token

pytestmark = pytest.mark.django_db

S = Bezorging.Status


@pytest.fixture
def editie():
    editie = EditieFactory(titel="Nieuwsbrief mei 2024", slug="nieuwsbrief-mei-2024")
    SectieFactory(editie=editie, titel="Leeratelier JIP", tekst="Plek voor meiden " * 200)
    SectieFactory(editie=editie, titel="Samenwerken", tekst="[Lees meer](https://www.han.nl/)")
    return editie


def start(editie, **audience):
    """Start sending without running the first batch (the tests run the batches)."""
    services.send_edition(editie=editie, doelgroep=audience.pop("doelgroep", "alle"), **audience)
    return Editie.objects.get(pk=editie.pk)


def send_everything(editie):
    while delivery.deliver_batch(editie_id=editie.pk):
        pass


def received(smtp_sink):
    return [
        message_from_bytes(envelope.content, policy=policy.default)
        for envelope in smtp_sink.messages
    ]


def test_every_mail_has_its_own_unsubscribe_link_and_the_one_click_headers(
    smtp_sink, editie, settings
):
    settings.SITE_URL = "https://werkplaats.example.org"
    abonnementen = [AbonnementFactory(email=f"lid{n}@example.org") for n in range(3)]
    send_everything(start(editie))

    messages = received(smtp_sink)
    assert sorted(envelope.rcpt_tos[0] for envelope in smtp_sink.messages) == [
        "lid0@example.org",
        "lid1@example.org",
        "lid2@example.org",
    ]
    tokens = set()
    for message, envelope in zip(messages, smtp_sink.messages, strict=True):
        abonnement = next(a for a in abonnementen if [a.email] == envelope.rcpt_tos)
        token = re.search(r"/nieuwsbrief/afmelden/([^/]+)/", message["List-Unsubscribe"])[1]
        tokens.add(token)
        # Made at send time for this mail alone; the database keeps only its hash.
        assert token != abonnement.token
        bezorging = Bezorging.objects.get(email=abonnement.email)
        assert bezorging.token_hash == hash_token(token)
        assert selectors.abonnement_by_token(token) == abonnement
        link = f"https://werkplaats.example.org/nieuwsbrief/afmelden/{token}/"
        assert message["To"] == abonnement.email
        assert message["Subject"] == "Nieuwsbrief mei 2024"
        assert message["List-Unsubscribe"].strip() == (
            f"<{link}>, <mailto:afmelden@example.org?subject=afmelden%20{token}>"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Message-ID"].startswith(f"<nieuwsbrief.{editie.pk}.")
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert link in text
        assert f'href="{link}"' in html
        assert TOKEN_PLACEHOLDER not in message.as_string()
        assert "https://werkplaats.example.org/nieuwsbrief/archief/nieuwsbrief-mei-2024/" in text
    assert len({message["Message-ID"] for message in messages}) == 3
    assert len(tokens) == 3
    stored = Bezorging.objects.values_list("token_hash", flat=True)
    assert not tokens & set(stored)  # no raw token anywhere in the database


def test_the_html_part_is_self_contained_narrow_and_inline_styled(smtp_sink, editie):
    AbonnementFactory()
    send_everything(start(editie))
    html = received(smtp_sink)[0].get_body(("html",)).get_content()
    assert "max-width:600px" in html
    assert "<style" not in html
    assert "<link" not in html
    assert "<img" not in html
    assert "src=" not in html
    assert "<script" not in html
    # Links go where they were written: no redirect through a tracking address.
    assert 'href="https://www.han.nl/"' in html
    assert re.search(r"<p style=\"[^\"]+\">", html)
    assert max(len(line) for line in html.splitlines()) < 998


def test_the_edition_is_encoded_once_and_filled_in_per_address(editie):
    rendered = render_edition(editie, editie.secties.all())
    encoded = delivery._EncodedEdition(rendered)
    assert encoded.fillable
    first = encoded.fill(to="a@example.org", token="t" * 43, message_id="<1@x>")
    second = encoded.fill(to="b@example.org", token="u" * 43, message_id="<2@x>")
    assert (
        first.replace(b"t" * 43, b"u" * 43)
        .replace(b"a@example", b"b@example")
        .replace(b"<1@x>", b"<2@x>")
        == second
    )


def test_long_lines_are_broken_so_the_placeholder_survives_encoding():
    line = ("woord " * 400) + TOKEN_PLACEHOLDER + (" woord" * 400)
    wrapped = wrap_long_lines(line)
    assert max(len(part.encode()) for part in wrapped.split("\n")) <= 900
    assert TOKEN_PLACEHOLDER in wrapped
    assert wrapped.replace("\n", " ") == line


def test_pressing_send_again_mails_nobody_twice(smtp_sink, editie):
    AbonnementFactory(email="anna@example.org")
    editie = start(editie)
    with pytest.raises(services.NieuwsbriefError):
        services.send_edition(editie=editie, doelgroep="alle")
    send_everything(editie)
    send_everything(editie)
    tasks.deliver_edition(editie.pk)
    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [["anna@example.org"]]


def test_who_unsubscribes_during_a_send_is_skipped(smtp_sink, editie, settings):
    settings.NIEUWSBRIEF_BATCH_SIZE = 2
    abonnementen = [AbonnementFactory(email=f"lid{n}@example.org") for n in range(5)]
    editie = start(editie)

    assert delivery.deliver_batch(editie_id=editie.pk)  # the first two
    late = abonnementen[3]
    Client().post(
        reverse("nieuwsbrief:afmelden", args=[late.token]), {"List-Unsubscribe": "One-Click"}
    )
    send_everything(editie)

    assert sorted(envelope.rcpt_tos[0] for envelope in smtp_sink.messages) == [
        "lid0@example.org",
        "lid1@example.org",
        "lid2@example.org",
        "lid4@example.org",
    ]
    assert Bezorging.objects.get(email=late.email).status == S.OVERGESLAGEN
    editie.refresh_from_db()
    assert editie.status == Editie.Status.VERZONDEN


def test_a_new_subscriber_during_a_send_waits_for_the_next_edition(smtp_sink, editie, settings):
    settings.NIEUWSBRIEF_BATCH_SIZE = 1
    AbonnementFactory(email="anna@example.org")
    editie = start(editie)
    delivery.deliver_batch(editie_id=editie.pk)
    AbonnementFactory(email="laat@example.org")
    send_everything(editie)
    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [["anna@example.org"]]


def test_an_address_refused_in_two_editions_in_a_row_is_paused(smtp_sink, editie):
    stuit = AbonnementFactory(email="stuit@example.org")
    AbonnementFactory(email="anna@example.org")

    for titel in ["Mei", "Juni"]:
        smtp_sink.refuse_next = ["550 5.1.1 Mailbox unavailable"]
        volgende = EditieFactory(titel=titel)
        SectieFactory(editie=volgende)
        send_everything(start(volgende))
        bezorging = Bezorging.objects.get(editie=volgende, email="stuit@example.org")
        assert (bezorging.status, bezorging.smtp_code) == (S.FAILED, 550)

    stuit.refresh_from_db()
    assert stuit.status == Abonnement.Status.GEPAUZEERD
    assert "Juni" in stuit.pauze_reden
    assert Abonnement.objects.get(email="anna@example.org").status == Abonnement.Status.BEVESTIGD

    # A paused address is left out of the next edition.
    send_everything(start(editie))
    assert not Bezorging.objects.filter(editie=editie, email="stuit@example.org").exists()


def test_a_temporary_refusal_is_retried_later_and_then_the_edition_is_done(smtp_sink, editie):
    AbonnementFactory(email="anna@example.org")
    smtp_sink.refuse_next = ["451 4.7.1 Try again later"]
    editie = start(editie)
    send_everything(editie)

    bezorging = Bezorging.objects.get()
    assert bezorging.status == S.QUEUED
    assert bezorging.volgende_poging_op > timezone.now()
    editie.refresh_from_db()
    assert editie.status == Editie.Status.VERZENDEN

    Bezorging.objects.update(volgende_poging_op=timezone.now() - timedelta(seconds=1))
    tasks.send_editions()

    bezorging.refresh_from_db()
    assert (bezorging.status, bezorging.pogingen) == (S.SENT, 2)
    editie.refresh_from_db()
    assert editie.status == Editie.Status.VERZONDEN
    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [["anna@example.org"]]


def test_an_unreachable_server_leaves_the_rest_queued_for_later(editie, settings):
    settings.EMAIL_BACKEND = "netwerk.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    for n in range(3):
        AbonnementFactory(email=f"lid{n}@example.org")
    editie = start(editie)

    assert delivery.deliver_batch(editie_id=editie.pk) is False

    statuses = list(Bezorging.objects.order_by("pk").values_list("status", "pogingen"))
    assert statuses == [(S.QUEUED, 1), (S.QUEUED, 0), (S.QUEUED, 0)]
    editie.refresh_from_db()
    assert (editie.status, editie.bezorger) == (Editie.Status.VERZENDEN, "")


def test_the_sending_keeps_to_the_configured_rate(smtp_sink, editie, settings):
    settings.NIEUWSBRIEF_MAILS_PER_SECOND = 20
    for n in range(6):
        AbonnementFactory(email=f"lid{n}@example.org")
    editie = start(editie)
    started = time.monotonic()
    send_everything(editie)
    assert time.monotonic() - started >= 5 / 20
    assert len(smtp_sink.messages) == 6


def test_one_sender_at_a_time_works_on_an_edition(smtp_sink, editie):
    AbonnementFactory()
    editie = start(editie)
    Editie.objects.filter(pk=editie.pk).update(
        bezorger="ander", bezorger_tot=timezone.now() + timedelta(minutes=1)
    )
    assert delivery.deliver_batch(editie_id=editie.pk) is False
    assert smtp_sink.messages == []
    assert delivery.editions_to_resume() == []

    Editie.objects.filter(pk=editie.pk).update(bezorger_tot=timezone.now() - timedelta(seconds=1))
    assert delivery.editions_to_resume() == [editie.pk]
    send_everything(editie)
    assert len(smtp_sink.messages) == 1


def test_a_row_left_sending_by_a_dead_sender_becomes_onbekend_and_is_never_resent(
    smtp_sink, editie
):
    AbonnementFactory(email="anna@example.org")
    AbonnementFactory(email="bram@example.org")
    editie = start(editie)
    delivery._prepare(editie)
    Bezorging.objects.filter(email="anna@example.org").update(
        status=S.SENDING, gestart_op=timezone.now(), pogingen=1
    )

    send_everything(editie)

    assert Bezorging.objects.get(email="anna@example.org").status == S.ONBEKEND
    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [["bram@example.org"]]
    editie.refresh_from_db()
    assert editie.status == Editie.Status.VERZONDEN


def test_the_periodic_task_that_starts_and_resumes_editions_runs_every_minute(settings):
    from celery.schedules import crontab

    from werkplaats.celery import app

    schedules = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedules["nieuwsbrief.tasks.send_editions"] == crontab(minute="*")
    app.loader.import_default_modules()
    assert "nieuwsbrief.tasks.send_editions" in app.tasks


@pytest.mark.real_stack_only(reason="concurrent connections need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_several_connections_at_once_still_mail_everyone_exactly_once(smtp_sink, settings):
    settings.NIEUWSBRIEF_CONNECTIONS = 3
    settings.NIEUWSBRIEF_BATCH_SIZE = 7
    addresses = {AbonnementFactory().email for _ in range(20)}
    editie = EditieFactory()
    SectieFactory(editie=editie)
    send_everything(start(editie))

    assert sorted(envelope.rcpt_tos[0] for envelope in smtp_sink.messages) == sorted(addresses)
    assert len(set(smtp_sink.peers)) == 3 * 3  # three batches of seven over three connections
    assert set(Bezorging.objects.values_list("status", flat=True)) == {S.SENT}
