import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from netwerk.models import OutboxMessage, Persoon
from tests.netwerk.factories import PASSWORD, PersoonFactory

# Mail is delivered after commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


def link_in(message) -> str:
    """The first link back to the portal in a mail's text part, as a path."""
    url = re.search(r"https?://[^\s]+", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def sign_up(client, email="nieuw@example.org", naam="Nina Nieuw"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "naam": naam, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_sends_a_verification_mail_through_the_outbox_and_then_allows_log_in(client):
    response = sign_up(client)

    assert response.status_code == 302
    persoon = Persoon.objects.get(email="nieuw@example.org")
    assert persoon.naam == "Nina Nieuw"
    assert OutboxMessage.objects.filter(to="nieuw@example.org", status="sent").count() == 1
    assert len(mail.outbox) == 1
    verification = mail.outbox[0]
    assert verification.subject == "[Werkplaats] Bevestig je e-mailadres"
    assert verification.alternatives[0][1] == "text/html"

    # Mandatory verification: no log-in before the address is confirmed.
    client.logout()
    refused = client.post(
        reverse("account_login"), {"login": "nieuw@example.org", "password": PASSWORD}
    )
    assert refused.status_code == 302
    assert refused.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirmation_page = link_in(verification)
    assert client.get(confirmation_page).status_code == 200
    client.post(confirmation_page)
    assert EmailAddress.objects.get(email="nieuw@example.org").verified

    client.logout()
    logged_in = client.post(
        reverse("account_login"), {"login": "nieuw@example.org", "password": PASSWORD}
    )
    assert logged_in.status_code == 302
    assert client.session["_auth_user_id"] == str(persoon.pk)


def test_log_in_ignores_the_case_of_the_email_address(client):
    persoon = PersoonFactory(email="anna.jansen@example.org")

    response = client.post(
        reverse("account_login"), {"login": "Anna.JANSEN@Example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(persoon.pk)


def test_a_second_account_with_the_same_address_in_other_case_is_not_made_and_its_owner_is_mailed(
    client,
):
    PersoonFactory(email="anna.jansen@example.org")

    response = sign_up(client, email="ANNA.Jansen@example.org")

    # The answer is that of any sign-up (finding 3: no account enumeration).
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert Persoon.objects.count() == 1
    assert [message.to for message in mail.outbox] == [["anna.jansen@example.org"]]
    assert mail.outbox[0].subject == "[Werkplaats] Je hebt al een account"


def test_a_mixed_case_sign_up_is_stored_in_lower_case(client):
    sign_up(client, email="Bert.de.Vries@Example.NL")

    assert Persoon.objects.get().email == "bert.de.vries@example.nl"


def test_the_database_refuses_the_same_address_in_other_case():
    from django.db import IntegrityError

    PersoonFactory(email="cas@example.org")
    with pytest.raises(IntegrityError):
        Persoon.objects.create(email="CAS@example.org", naam="Cas")


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    persoon = PersoonFactory(email="reset@example.org")

    client.post(reverse("account_reset_password"), {"email": "Reset@example.org"})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Werkplaats] Nieuw wachtwoord instellen"
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"password1": "Een-ander-wachtwoord-7", "password2": "Een-ander-wachtwoord-7"},
    )
    assert done.status_code == 302
    persoon.refresh_from_db()
    assert persoon.check_password("Een-ander-wachtwoord-7")


def test_password_reset_for_an_unknown_address_answers_as_for_a_known_one_and_mails_nobody(
    client,
):
    response = client.post(reverse("account_reset_password"), {"email": "onbekend@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert mail.outbox == []


def test_account_pages_read_in_dutch(client):
    response = client.get(reverse("account_login"))

    content = response.content.decode()
    assert '<html lang="nl">' in content
    assert "Inloggen" in content
    assert "Wachtwoord" in content


def current_totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_anyone_can_turn_on_two_factor_and_then_log_in_needs_the_code(client):
    from allauth.mfa.models import Authenticator

    persoon = PersoonFactory(email="tweestaps@example.org")
    client.post(reverse("account_login"), {"login": persoon.email, "password": PASSWORD})
    asked_again = client.get(reverse("mfa_activate_totp"))
    # A security change asks for the password once more.
    assert asked_again.url.startswith(reverse("account_reauthenticate"))
    client.post(asked_again.url, {"password": PASSWORD})

    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200
    secret = activate.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    assert Authenticator.objects.filter(user=persoon, type=Authenticator.Type.TOTP).exists()

    client.post(reverse("account_logout"))
    first_step = client.post(
        reverse("account_login"), {"login": persoon.email, "password": PASSWORD}
    )
    assert first_step.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert client.session["_auth_user_id"] == str(persoon.pk)


def test_changing_the_e_mail_address_sends_a_verification_mail_to_the_new_one(client):
    persoon = PersoonFactory(email="oud@example.org")
    client.force_login(persoon)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "nieuw@example.nl"}
    )

    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=persoon, email="nieuw@example.nl", verified=False)
    assert [message.to for message in mail.outbox] == [["nieuw@example.nl"]]
    assert OutboxMessage.objects.get(to="nieuw@example.nl").status == "sent"
