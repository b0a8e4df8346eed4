"""Mails go out in the recipient's language (issue 18, point 7): a person's follow the
language stored on them, a guest's the language they registered in; a mail for many is
rendered once per language, not once per recipient."""

import re
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from bijeenkomsten import services
from bijeenkomsten.imports import ImportRow
from bijeenkomsten.models import Aanmelding
from bijeenkomsten.selectors import Audience
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db

# The one query that reads the languages of the recipients of a mailing.
LANGUAGE_LOOKUP = 'SELECT "netwerk_persoon"."email" AS "email", "netwerk_persoon"."taal" AS'


def mail_to(address, key_end):
    return OutboxMessage.objects.get(to=address, key__endswith=key_end)


def when(language, moment, pattern="l j F Y, H:i"):
    """A date as a mail in `language` writes it."""
    with translation.override(language):
        return date_format(localtime(moment), pattern)


def register(bijeenkomst, email, naam, persoon=None):
    return services.register(bijeenkomst=bijeenkomst, email=email, naam=naam, persoon=persoon)


def test_a_batch_of_confirmations_reaches_each_person_in_their_own_language():
    bijeenkomst = BijeenkomstFactory(titel="Masterclass energie")
    PersoonFactory(email="emma@example.org", naam="Emma Engels", taal="en")
    PersoonFactory(email="daan@example.org", naam="Daan Dekker", taal="nl")

    services.import_aanmeldingen(
        bijeenkomst=bijeenkomst,
        door=make_coordinator(),
        rows=[
            ImportRow(number=1, naam="Emma Engels", email="emma@example.org"),
            ImportRow(number=2, naam="Daan Dekker", email="daan@example.org"),
        ],
    )

    english = mail_to("emma@example.org", ":bevestigd")
    assert english.subject == "Your registration for Masterclass energie is confirmed"
    assert english.body_text.startswith("Hello Emma Engels,")
    assert f"When: {when('en', bijeenkomst.start)} to" in english.body_text
    assert "You have a place." in english.body_html
    assert 'lang="en"' in english.body_html
    dutch = mail_to("daan@example.org", ":bevestigd")
    assert dutch.subject == "Je aanmelding voor Masterclass energie is bevestigd"
    assert dutch.body_text.startswith("Hallo Daan Dekker,")
    assert f"Wanneer: {when('nl', bijeenkomst.start)} tot" in dutch.body_text


def test_the_wachtlijst_place_and_the_offer_reach_an_english_person_in_english():
    bijeenkomst = BijeenkomstFactory(titel="Landelijk symposium", capaciteit=1)
    anna = register(bijeenkomst, "anna@example.org", "Anna")
    emma = PersoonFactory(email="emma@example.org", naam="Emma", taal="en")
    register(bijeenkomst, emma.email, "Emma", persoon=emma)

    waiting = mail_to(emma.email, ":wachtlijst")
    assert waiting.subject == "You are on the waiting list for Landelijk symposium"
    assert "You are on the waiting list, in position 1." in waiting.body_text

    services.cancel(aanmelding=anna)

    offer = mail_to(emma.email, ":aangeboden")
    assert offer.subject == "A place is free for you at Landelijk symposium"
    deadline = Aanmelding.objects.get(email=emma.email).aanbod_tot
    assert f"Claim your place by {when('en', deadline)} at the latest." in offer.body_text
    assert mail_to("anna@example.org", ":geannuleerd").subject == (
        "Je aanmelding voor Landelijk symposium is geannuleerd"
    )


def test_a_person_who_switches_to_english_gets_the_next_mail_in_english():
    bijeenkomst = BijeenkomstFactory(titel="Werksessie", capaciteit=1)
    daan = PersoonFactory(email="daan@example.org", naam="Daan")
    aanmelding = register(bijeenkomst, daan.email, "Daan", persoon=daan)
    assert mail_to(daan.email, ":bevestigd").subject.startswith("Je aanmelding")
    daan.taal = "en"
    daan.save(update_fields=["taal"])

    services.cancel(aanmelding=aanmelding)

    assert mail_to(daan.email, ":geannuleerd").subject == (
        "Your registration for Werksessie has been cancelled"
    )


def test_an_invitation_to_many_is_rendered_once_per_language_with_one_language_lookup():
    bijeenkomst = BijeenkomstFactory(titel="Werkconferentie")
    PersoonFactory(email="emma@example.org", naam="Emma Engels", taal="en")
    PersoonFactory(email="daan@example.org", naam="Daan Dekker")
    pasted = ["Emma Engels <emma@example.org>", "Daan Dekker <daan@example.org>"]
    pasted += [f"Gast {number} <gast{number}@example.nl>" for number in range(500)]
    renders = Counter()

    def count(sender, template, **kwargs):
        renders[template.name] += 1

    template_rendered.connect(count)
    try:
        with CaptureQueriesContext(connection) as queries:
            result = services.invite(
                bijeenkomst=bijeenkomst,
                door=make_coordinator(),
                audience=Audience(adressen="\n".join(pasted)),
            )
    finally:
        template_rendered.disconnect(count)

    assert result.uitgenodigd == 502
    english = OutboxMessage.objects.get(to="emma@example.org", key__startswith="uitnodiging:")
    assert english.subject == "Invitation: Werkconferentie"
    assert english.body_text.startswith("Hello Emma Engels,")
    assert f"When: {when('en', bijeenkomst.start)} to" in english.body_text
    assert "Receive no more invitations" in english.body_html
    for address in ("daan@example.org", "gast499@example.nl"):
        dutch = OutboxMessage.objects.get(to=address, key__startswith="uitnodiging:")
        assert dutch.subject == "Uitnodiging: Werkconferentie"
        assert f"Wanneer: {when('nl', bijeenkomst.start)} tot" in dutch.body_text
    # Two languages among 502 recipients: each part rendered twice, the languages read once.
    assert {
        name: number
        for name, number in renders.items()
        if name.startswith("bijeenkomsten/mail/uitnodiging")
    } == {
        "bijeenkomsten/mail/uitnodiging_subject.txt": 2,
        "bijeenkomsten/mail/uitnodiging.txt": 2,
        "bijeenkomsten/mail/uitnodiging.html": 2,
    }
    lookups = [query for query in queries if query["sql"].startswith(LANGUAGE_LOOKUP)]
    assert len(lookups) == 1


def test_a_guest_who_registered_in_english_gets_every_mail_of_it_in_english(client):
    bijeenkomst = BijeenkomstFactory(titel="Buurtavond", capaciteit=1)
    daan = register(bijeenkomst, "daan@example.nl", "Daan")
    # The language switch sets this cookie; the portal reads nothing else.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    client.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]),
        {"naam": "Grace Guest", "email": "grace@example.nl"},
    )

    request = OutboxMessage.objects.get(key__startswith="gast-aanmelding:")
    assert request.subject == "Confirm your registration for Buurtavond"
    assert "The link is valid for 2 days." in request.body_text
    # The link is opened later in a browser that speaks Dutch.
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    link = re.search(r"/bijeenkomsten/\S+/bevestigen/\S+/", request.body_text).group(0)
    client.post(link)
    assert Aanmelding.objects.get(email="grace@example.nl").taal == "en"
    assert mail_to("grace@example.nl", ":wachtlijst").subject == (
        "You are on the waiting list for Buurtavond"
    )

    services.cancel(aanmelding=daan)

    offer = mail_to("grace@example.nl", ":aangeboden")
    assert offer.subject == "A place is free for you at Buurtavond"
    assert offer.body_text.startswith("Hello Grace Guest,")
    assert mail_to("daan@example.nl", ":geannuleerd").subject.startswith("Je aanmelding")
