"""Mail everyone registered (or one status group): written, previewed with the count and
sent once, whoever presses send how often."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bericht, Handeling
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory, link_token, linked
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


@pytest.fixture
def coordinator():
    return make_coordinator(naam="Coby Coördinator")


@pytest.fixture
def bijeenkomst():
    """Two bevestigd, one waiting, one offered, one cancelled."""
    bijeenkomst = BijeenkomstFactory(slug="symposium", titel="Symposium armoede")
    for naam, status, extra in [
        ("Anna", S.BEVESTIGD, {}),
        ("Bram", S.BEVESTIGD, {"boven_capaciteit": True, "boven_capaciteit_reden": "Spreker"}),
        ("Cor", S.WACHTLIJST, {"wachtlijst_volgorde": 1}),
        ("Dirk", S.GEANNULEERD, {}),
    ]:
        AanmeldingFactory(
            bijeenkomst=bijeenkomst,
            naam=naam,
            email=f"{naam.lower()}@example.org",
            status=status,
            **extra,
        )
    return bijeenkomst


def write(bijeenkomst, coordinator, doelgroep=Bericht.Doelgroep.OPEN, **changes):
    return services.save_bericht(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        onderwerp=changes.get("onderwerp", "Praktische informatie"),
        tekst=changes.get("tekst", "Neem je laptop mee.\n\nZie https://example.org/route"),
        doelgroep=doelgroep,
    )


def recipients():
    return sorted(OutboxMessage.objects.values_list("to", flat=True))


@pytest.mark.parametrize(
    ("doelgroep", "expected"),
    [
        (Bericht.Doelgroep.OPEN, ["anna@example.org", "bram@example.org", "cor@example.org"]),
        (Bericht.Doelgroep.BEVESTIGD, ["anna@example.org", "bram@example.org"]),
        (Bericht.Doelgroep.WACHTLIJST, ["cor@example.org"]),
    ],
)
def test_a_message_goes_to_everyone_open_or_to_one_status_group(
    bijeenkomst, coordinator, doelgroep, expected
):
    bericht = services.send_bericht(
        bericht=write(bijeenkomst, coordinator, doelgroep), door=coordinator
    )

    assert recipients() == expected
    assert bericht.aantal == len(expected)
    assert bericht.verstuurd_op is not None


def test_each_message_has_the_text_and_the_personal_link_of_the_registration(
    bijeenkomst, coordinator
):
    bericht = services.send_bericht(bericht=write(bijeenkomst, coordinator), door=coordinator)

    anna = Aanmelding.objects.get(email="anna@example.org")
    message = OutboxMessage.objects.get(key=f"bericht:{bericht.pk}:{anna.pk}")
    assert message.subject == "Praktische informatie"
    assert message.body_text.startswith("Hallo Anna,\n\nNeem je laptop mee.")
    token = link_token(message.body_text)
    assert linked(token) == anna
    assert f'href="http://127.0.0.1:8000/aanmelding/{token}/"' in message.body_html
    assert '<a href="https://example.org/route"' in message.body_html


def test_html_in_the_text_is_shown_as_text(bijeenkomst, coordinator):
    services.send_bericht(
        bericht=write(bijeenkomst, coordinator, tekst="<script>alert(1)</script> & meer"),
        door=coordinator,
    )

    html = OutboxMessage.objects.first().body_html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; meer" in html


def test_sending_twice_mails_nobody_twice_and_the_second_press_is_refused(bijeenkomst, coordinator):
    bericht = write(bijeenkomst, coordinator)
    services.send_bericht(bericht=bericht, door=coordinator)

    with pytest.raises(services.RuleViolation, match="al verstuurd"):
        services.send_bericht(bericht=bericht, door=make_coordinator())

    assert OutboxMessage.objects.count() == 3
    handeling = Handeling.objects.get()
    assert (handeling.soort, handeling.door) == (Handeling.Soort.BERICHT, coordinator)
    assert (
        handeling.omschrijving
        == "“Praktische informatie” aan 3 (iedereen met een lopende aanmelding)"
    )


def test_a_sent_message_cannot_change_any_more(bijeenkomst, coordinator):
    bericht = services.send_bericht(bericht=write(bijeenkomst, coordinator), door=coordinator)

    with pytest.raises(services.RuleViolation, match="al verstuurd"):
        services.save_bericht(
            bijeenkomst=bijeenkomst,
            door=coordinator,
            bericht=bericht,
            onderwerp="Anders",
            tekst="Anders",
            doelgroep=Bericht.Doelgroep.OPEN,
        )

    bericht.refresh_from_db()
    assert bericht.onderwerp == "Praktische informatie"


def test_a_group_without_anybody_is_refused_and_stays_a_draft(bijeenkomst, coordinator):
    bericht = write(bijeenkomst, coordinator, Bericht.Doelgroep.AANGEBODEN)

    with pytest.raises(services.RuleViolation, match="niemand"):
        services.send_bericht(bericht=bericht, door=coordinator)

    bericht.refresh_from_db()
    assert bericht.verstuurd_op is None
    assert not OutboxMessage.objects.exists()
    assert not Handeling.objects.exists()


def test_write_preview_with_the_count_and_send_through_the_pages(client, bijeenkomst, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("bijeenkomsten:bericht-nieuw", args=["symposium"]),
        {"doelgroep": "bevestigd", "onderwerp": "Route", "tekst": "Neem de trein."},
    )
    bericht = Bericht.objects.get()
    assert response.url == reverse("bijeenkomsten:bericht", args=["symposium", bericht.pk])
    preview = client.get(response.url)
    assert "Versturen aan 2 personen" in preview.text
    assert "Neem de trein." in preview.text
    assert not OutboxMessage.objects.exists()

    send = reverse("bijeenkomsten:bericht-versturen", args=["symposium", bericht.pk])
    first = client.post(send, follow=True)
    second = client.post(send, follow=True)

    assert "Het bericht is verstuurd aan 2 personen." in first.text
    assert "Dit bericht is al verstuurd" in second.text
    assert recipients() == ["anna@example.org", "bram@example.org"]
    assert Handeling.objects.count() == 1
    overview = client.get(reverse("bijeenkomsten:berichten", args=["symposium"]))
    assert "Route" in overview.text


def test_a_draft_can_be_changed_before_it_is_sent(client, bijeenkomst, coordinator):
    client.force_login(coordinator)
    bericht = write(bijeenkomst, coordinator)
    url = reverse("bijeenkomsten:bericht-wijzigen", args=["symposium", bericht.pk])

    form = client.get(url)
    client.post(url, {"doelgroep": "wachtlijst", "onderwerp": "Nieuw", "tekst": "Nieuw."})

    assert 'value="Praktische informatie"' in form.text
    bericht.refresh_from_db()
    assert (bericht.onderwerp, bericht.doelgroep) == ("Nieuw", "wachtlijst")
    assert Bericht.objects.count() == 1


def test_a_missing_subject_is_shown_again_with_the_error(client, bijeenkomst, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("bijeenkomsten:bericht-nieuw", args=["symposium"]),
        {"doelgroep": "open", "onderwerp": "", "tekst": "Iets"},
    )

    assert response.status_code == 400
    assert re.search(r'aria-describedby="id_onderwerp_error', response.text)
    assert not Bericht.objects.exists()


def test_a_message_of_another_bijeenkomst_is_not_found_here(client, bijeenkomst, coordinator):
    client.force_login(coordinator)
    elders = write(BijeenkomstFactory(), coordinator)

    page = client.get(reverse("bijeenkomsten:bericht", args=["symposium", elders.pk]))
    send = client.post(reverse("bijeenkomsten:bericht-versturen", args=["symposium", elders.pk]))

    assert page.status_code == send.status_code == 404
    assert not OutboxMessage.objects.exists()


def test_the_messages_page_takes_as_many_queries_for_2_as_for_40_messages(client, coordinator):
    client.force_login(coordinator)
    counts = []
    for slug, size in [("weinig", 2), ("veel", 40)]:
        bijeenkomst = BijeenkomstFactory(slug=slug)
        for n in range(size):
            write(bijeenkomst, make_coordinator(), onderwerp=f"Bericht {n}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("bijeenkomsten:berichten", args=[slug]))
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
