"""An invitation can carry a personal message from its sender (issue 18, point 8): plain
text, at most 1000 characters, kept on each Uitnodiging, shown in the text mail as written
and in the HTML mail escaped."""

import pytest
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.models import Uitnodiging
from bijeenkomsten.selectors import Audience
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import make_coordinator
from tests.snapshot import snapshot

pytestmark = pytest.mark.django_db

MESSAGE = 'Leuk als je komt, <b>Ada</b> & "Ben"!\n\nGroet, Coby'


@pytest.fixture
def coordinator():
    return make_coordinator(naam="Coby Coördinator")


def test_the_personal_message_is_in_the_text_mail_and_escaped_in_the_html_mail(coordinator):
    bijeenkomst = BijeenkomstFactory()

    services.invite(
        bijeenkomst=bijeenkomst,
        door=coordinator,
        audience=Audience(adressen="Ada <ada@example.org>, ben@example.org"),
        persoonlijk_bericht=f"  {MESSAGE}  ",
    )

    assert set(Uitnodiging.objects.values_list("persoonlijk_bericht", flat=True)) == {MESSAGE}
    mails = OutboxMessage.objects.filter(key__startswith="uitnodiging:")
    assert mails.count() == 2
    for mail in mails:
        assert "Een persoonlijk bericht van Coby Coördinator:" in mail.body_text
        assert MESSAGE in mail.body_text
        assert "<b>Ada</b>" not in mail.body_html
        assert "&lt;b&gt;Ada&lt;/b&gt; &amp; &quot;Ben&quot;!" in mail.body_html
        assert "Groet, Coby" in mail.body_html


def test_an_invitation_without_a_message_says_nothing_about_one(coordinator):
    services.invite(
        bijeenkomst=BijeenkomstFactory(),
        door=coordinator,
        audience=Audience(adressen="ada@example.org"),
    )

    mail = OutboxMessage.objects.get(key__startswith="uitnodiging:")
    assert "persoonlijk bericht" not in mail.body_text
    assert Uitnodiging.objects.get().persoonlijk_bericht == ""


def test_a_message_over_the_limit_is_refused_and_nobody_is_invited(coordinator):
    bijeenkomst = BijeenkomstFactory()
    before = snapshot()

    with pytest.raises(services.RuleViolation, match="hoogstens 1000 tekens"):
        services.invite(
            bijeenkomst=bijeenkomst,
            door=coordinator,
            audience=Audience(adressen="ada@example.org"),
            persoonlijk_bericht="x" * 1001,
        )

    assert snapshot() == before


def test_the_page_shows_the_message_in_the_preview_and_sends_it(client, coordinator):
    bijeenkomst = BijeenkomstFactory(slug="symposium")
    client.force_login(coordinator)
    data = {"adressen": "ada@example.org", "persoonlijk_bericht": "Tot dan!\nCoby"}

    form = client.get(reverse("bijeenkomsten:uitnodigen", args=["symposium"]))
    preview = client.post(reverse("bijeenkomsten:uitnodigen", args=["symposium"]), data)
    sent = client.post(reverse("bijeenkomsten:uitnodigen-versturen", args=["symposium"]), data)

    assert 'name="persoonlijk_bericht"' in form.text
    assert "Je persoonlijke bericht in de uitnodiging" in preview.text
    assert "<p>Tot dan!<br>Coby</p>" in preview.text
    assert 'name="persoonlijk_bericht"' in preview.text  # travels with the send button
    assert sent.status_code == 302
    assert bijeenkomst.uitnodigingen.get().persoonlijk_bericht == "Tot dan!\nCoby"


def test_the_page_refuses_a_message_over_the_limit_in_dutch(client, coordinator):
    BijeenkomstFactory(slug="symposium")
    client.force_login(coordinator)

    response = client.post(
        reverse("bijeenkomsten:uitnodigen", args=["symposium"]),
        {"adressen": "ada@example.org", "persoonlijk_bericht": "x" * 1001},
    )

    assert response.status_code == 400
    assert "Het persoonlijke bericht is te lang: hoogstens 1000 tekens." in response.text
