"""Nobody learns from the portal's answers whether an address has an account (finding 3).

Password reset, sign-up and log-in answer a known address exactly as an unknown one; the
owner of a known address gets a mail instead. Log-in hashes a password as often for an
unknown address as for a known one, so its timing tells nothing either; so does sign-up
(issue 18, M1), and a password reset leaves the mail to a task for every address (L4).
The work is counted, not timed: hashes, queries, templates rendered, mails and tasks queued.
"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail as django_mail
from django.db import connection
from django.test import TestCase
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netwerk.models import OutboxMessage, Persoon
from tests.netwerk.factories import PASSWORD, PersoonFactory

pytestmark = pytest.mark.django_db

KNOWN = "bekend@example.org"
UNKNOWN = "onbekend@example.org"


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting how often a password is hashed."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def known():
    return PersoonFactory(email=KNOWN, naam="Bea Bekend")


def answer(response) -> tuple:
    """What a visitor can see of a response: status, where it leads, the form's errors."""
    form = response.context["form"] if response.context and "form" in response.context else None
    return (
        response.status_code,
        response.headers.get("Location"),
        dict(form.errors) if form is not None else None,
    )


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, known):
    with TestCase.captureOnCommitCallbacks(execute=True):
        for_known = client.post(reverse("account_reset_password"), {"email": KNOWN})
        for_unknown = client.post(reverse("account_reset_password"), {"email": UNKNOWN})

    assert answer(for_known) == answer(for_unknown)
    assert for_known.status_code == 302
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [KNOWN]


def sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {"email": email, "naam": "Iemand Anders", "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_with_a_known_address_answers_like_a_new_one_and_mails_its_owner(
    client, known, django_assert_num_queries
):
    for_new = sign_up(client, UNKNOWN)
    client.logout()
    for_known = sign_up(client, "Bekend@Example.org")

    assert answer(for_known) == answer(for_new)
    assert for_known.status_code == 302
    assert Persoon.objects.filter(email=KNOWN).get().naam == "Bea Bekend"
    assert Persoon.objects.count() == 2
    mail = OutboxMessage.objects.get(to=KNOWN)
    assert "al een account" in mail.subject
    assert "/account/password/reset/" in mail.body_text
    assert "/account/password/reset/" in mail.body_html


def test_log_in_answers_the_same_for_an_unknown_address_and_a_wrong_password(client, known):
    wrong_password = client.post(
        reverse("account_login"), {"login": KNOWN, "password": "Niet-het-wachtwoord-1"}
    )
    unknown_address = client.post(
        reverse("account_login"), {"login": UNKNOWN, "password": "Niet-het-wachtwoord-1"}
    )

    assert answer(wrong_password) == answer(unknown_address)
    assert wrong_password.status_code == 200


def hashes_for_log_in(client, settings, login, password) -> int:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    client.post(reverse("account_login"), {"login": login, "password": password})
    client.logout()
    return CountingHasher.calls


def test_log_in_hashes_as_often_for_an_unknown_address_as_for_a_known_one(client, settings, known):
    PersoonFactory(email="onbevestigd@example.org", verified=False)
    PersoonFactory(email="inactief@example.org", is_active=False)

    counts = {
        (login, password): hashes_for_log_in(client, settings, login, password)
        for login, password in [
            (UNKNOWN, "Niet-het-wachtwoord-1"),
            (KNOWN, "Niet-het-wachtwoord-1"),
            (KNOWN, PASSWORD),
            ("onbevestigd@example.org", "Niet-het-wachtwoord-1"),
            ("inactief@example.org", "Niet-het-wachtwoord-1"),
        ]
    }

    assert set(counts.values()) == {1}, counts


def work_of_request(client, url, data) -> dict:
    """What a request does while it runs: queries, templates rendered (a mail's too), mails
    queued and work left for after the commit (the tasks it queues)."""
    templates = []

    def rendered(sender, template, **kwargs):
        templates.append(template.name)

    mails_before = OutboxMessage.objects.count()
    template_rendered.connect(rendered)
    try:
        with (
            CaptureQueriesContext(connection) as queries,
            TestCase.captureOnCommitCallbacks() as after_commit,
        ):
            response = client.post(url, data)
    finally:
        template_rendered.disconnect(rendered)
    client.logout()
    return {
        "status": response.status_code,
        "queries": len(queries),
        "templates": templates,
        "mails queued": OutboxMessage.objects.count() - mails_before,
        "after commit": len(after_commit),
    }


def test_password_reset_does_the_same_work_in_the_request_for_known_and_unknown_addresses(
    client, known
):
    url = reverse("account_reset_password")
    client.post(url, {"email": "warm@example.org"})  # first-request caches out of the way

    for_known = work_of_request(client, url, {"email": KNOWN})
    for_unknown = work_of_request(client, url, {"email": UNKNOWN})

    assert for_known == for_unknown
    assert for_known["mails queued"] == 0
    assert not any("account/email/" in name for name in for_known["templates"])


def test_the_password_reset_task_mails_a_known_address_and_nobody_else(client, known):
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": UNKNOWN})
        client.post(reverse("account_reset_password"), {"email": "Bekend@Example.org"})

    message = OutboxMessage.objects.get()
    assert message.to == KNOWN
    # The link is in the delivered mail; the sent row keeps none (netwerk.outbox).
    assert "/account/password/reset/key/" in django_mail.outbox[-1].body


def hashes_for_sign_up(client, settings, email) -> tuple[int, int]:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    mails_before = OutboxMessage.objects.count()
    response = sign_up(client, email)
    client.logout()
    assert response.status_code == 302
    return CountingHasher.calls, OutboxMessage.objects.count() - mails_before


def test_sign_up_hashes_and_mails_as_often_for_a_known_address_as_for_a_new_one(
    client, settings, known
):
    PersoonFactory(email="ook-bekend@example.org")
    PersoonFactory(email="onbevestigd@example.org", verified=False)

    # Each address once: allauth mails one address at most once per cooldown, alike.
    counts = {
        email: hashes_for_sign_up(client, settings, email)
        for email in [UNKNOWN, KNOWN, "Ook-Bekend@Example.org", "onbevestigd@example.org"]
    }

    assert set(counts.values()) == {(1, 1)}, counts


def test_a_sign_up_naming_an_organisatie_mails_its_members_only_once_the_address_is_verified(
    client, settings, known
):
    """Else a sign-up with a new address queued one mail more per member than one with a
    known address (and anyone could mail an organisatie's members from a stranger's address)."""
    import re

    from django.core import mail as sent

    from tests.netwerk.factories import OrganisatieFactory, make_lidmaatschap

    organisatie = OrganisatieFactory(naam="Buurtwerk Arnhem")
    make_lidmaatschap(PersoonFactory(email="lid@example.org"), organisatie)
    data = {"naam": "Nina Nieuw", "password1": PASSWORD, "password2": PASSWORD}
    data["organisatie_zoek"] = organisatie.naam

    counts = {}
    for email in [UNKNOWN, KNOWN]:
        before = OutboxMessage.objects.count()
        with TestCase.captureOnCommitCallbacks(execute=True):
            client.post(reverse("account_signup"), {**data, "email": email})
        client.logout()
        counts[email] = OutboxMessage.objects.count() - before
    assert counts == {UNKNOWN: 1, KNOWN: 1}
    assert not OutboxMessage.objects.filter(to="lid@example.org").exists()

    link = re.search(r"https?://[^/\s]+(/\S+)", sent.outbox[0].body).group(1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(link)
    assert OutboxMessage.objects.filter(to="lid@example.org").count() == 1
