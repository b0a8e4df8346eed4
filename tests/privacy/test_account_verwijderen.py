"""Deleting my account: nothing that names me stays, places pass to the wachtlijst, counts
and attendance stay, and only I can do it, with my password and second factor."""

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling, Uitnodiging
from leerateliers.models import Deelname
from netwerk.models import Abonnement, GeenUitnodiging, OutboxMessage, Persoon
from nieuwsbrief.models import Bezorging
from privacy import services
from tests.netwerk.factories import PASSWORD, PersoonFactory
from tests.privacy.conftest import EMAIL, NAAM, totp_code
from themas.models import Update, Volging

pytestmark = pytest.mark.django_db

URL = "/mijn/account-verwijderen/"
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def rows_naming(text: str) -> list[str]:
    """Every row of every table, in any text, character or JSON column, that holds `text`."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            hits = (
                model._default_manager.annotate(_tekst=Cast(field.attname, models.TextField()))
                .filter(_tekst__icontains=text)
                .values_list("pk", flat=True)
            )
            found += [f"{model._meta.label}.{field.name} #{pk}" for pk in hits]
    return found


def delete(client, persoon, **data):
    client.force_login(persoon)
    return client.post(URL, {"password": PASSWORD, **data})


def test_the_url_is_named():
    assert reverse("privacy:account-verwijderen") == URL


def test_after_deleting_nothing_in_any_table_names_me(client, wereld, totp_secret):
    # Control: before, the search finds me in many places.
    assert len(rows_naming(EMAIL)) > 10
    assert rows_naming(NAAM)
    response = delete(client, wereld.persoon, code=totp_code(totp_secret))
    assert response.status_code == 302
    assert rows_naming(EMAIL) == []
    assert rows_naming(NAAM) == []


def test_deleting_logs_me_out_and_I_cannot_log_in_again(client, wereld):
    response = delete(client, wereld.persoon)
    assert response["Location"] == reverse("home")
    assert SESSION_KEY not in client.session
    assert not client.login(email=EMAIL, password=PASSWORD)
    persoon = Persoon.objects.get(pk=wereld.persoon.pk)
    assert not persoon.is_active
    assert not persoon.has_usable_password()


def test_my_place_passes_to_the_wachtlijst_with_the_usual_offer_mail(client, wereld):
    mail.outbox.clear()
    delete(client, wereld.persoon)
    wereld.wachtende.refresh_from_db()
    assert wereld.wachtende.status == Aanmelding.Status.AANGEBODEN
    offers = OutboxMessage.objects.filter(to="wim@example.nl", key__endswith=":aangeboden")
    assert offers.count() == 1
    # No mail goes to the address of a deleted account, not even the cancellation.
    assert not OutboxMessage.objects.filter(to__iexact=EMAIL).exists()


def test_counts_and_attendance_stay(client, wereld):
    before = Aanmelding.objects.count()
    aanwezig = Aanmelding.objects.filter(aanwezig_op__isnull=False).count()
    deelnames = Deelname.objects.count()
    delete(client, wereld.persoon)
    assert Aanmelding.objects.count() == before
    assert Aanmelding.objects.filter(aanwezig_op__isnull=False).count() == aanwezig
    voorbij = Aanmelding.objects.get(pk=wereld.voorbije_aanmelding.pk)
    assert voorbij.aanwezig_op is not None
    assert voorbij.status == Aanmelding.Status.BEVESTIGD
    assert voorbij.persoon is None
    # Ended, not deleted: the ateliers' history keeps its numbers.
    assert Deelname.objects.count() == deelnames
    assert not Deelname.objects.open().filter(persoon=wereld.persoon).exists()
    # Her open registrations for coming bijeenkomsten are cancelled, the past one is not.
    assert Aanmelding.objects.filter(
        bijeenkomst=wereld.volle_bijeenkomst, status=Aanmelding.Status.GEANNULEERD
    ).exists()


def test_follows_subscription_and_trekker_roles_end_updates_stay_under_voormalig_lid(
    client, wereld
):
    delete(client, wereld.persoon)
    assert not Volging.objects.filter(persoon=wereld.persoon).exists()
    assert not Abonnement.objects.filter(email=EMAIL).exists()
    assert not wereld.persoon.getrokken_themas.exists()
    update = Update.objects.get(titel=wereld.update_titel)
    assert update.auteur.naam == "voormalig lid"
    page = client.get(update.get_absolute_url()).content.decode()
    assert "door voormalig lid" in page
    # The edition's delivery record stays (its figures), without the address.
    assert Bezorging.objects.filter(status=Bezorging.Status.FAILED).count() == 1


def test_the_address_stays_unreachable_for_invitations_without_being_stored(client, wereld):
    delete(client, wereld.persoon)
    row = GeenUitnodiging.objects.get()
    assert row.email == ""
    assert row.email_hash
    from netwerk.selectors import adressen_zonder_uitnodiging

    assert adressen_zonder_uitnodiging([EMAIL]) == {EMAIL}
    uitnodiging = Uitnodiging.objects.get()
    assert uitnodiging.email.endswith("@verwijderd.invalid")


def test_the_coordinators_log_keeps_its_entries_without_my_name(client, wereld):
    before = Handeling.objects.count()
    delete(client, wereld.persoon)
    assert Handeling.objects.count() == before
    assert Handeling.objects.filter(omschrijving__icontains="geanonimiseerd").exists()


def test_sent_mails_to_me_stay_as_rows_without_content(client, wereld):
    sent = OutboxMessage.objects.filter(to=EMAIL, status=OutboxMessage.Status.SENT).count()
    assert sent > 0
    delete(client, wereld.persoon)
    emptied = OutboxMessage.objects.filter(to__startswith="ontvanger-")
    assert emptied.count() == sent
    assert set(emptied.values_list("body_text", "body_html")) == {("", "")}


def test_a_wrong_password_changes_nothing(client, wereld):
    before = Aanmelding.objects.open().count()
    response = delete(client, wereld.persoon, password="niet-het-wachtwoord")
    assert response.status_code == 400
    assert "Dit wachtwoord klopt niet." in response.content.decode()
    assert Persoon.objects.get(pk=wereld.persoon.pk).email == EMAIL
    assert Aanmelding.objects.open().count() == before
    assert SESSION_KEY in client.session


def test_with_a_second_factor_on_a_missing_or_wrong_code_changes_nothing(
    client, wereld, totp_secret
):
    response = delete(client, wereld.persoon)
    assert response.status_code == 400
    assert "Vul de code uit je authenticator-app in." in response.content.decode()
    response = delete(
        client, wereld.persoon, code="000000" if totp_code(totp_secret) != "000000" else "111111"
    )
    assert response.status_code == 400
    assert "Deze code klopt niet." in response.content.decode()
    assert Persoon.objects.get(pk=wereld.persoon.pk).is_active
    response = delete(client, wereld.persoon, code=totp_code(totp_secret))
    assert response.status_code == 302
    assert not Persoon.objects.get(pk=wereld.persoon.pk).is_active


def test_the_form_asks_for_the_code_only_with_a_second_factor_on(client, wereld):
    client.force_login(wereld.persoon)
    html = client.get(URL).content.decode()
    assert 'name="password"' in html
    assert 'name="code"' not in html


def test_another_person_deletes_only_themselves_and_not_with_my_password(client, wereld):
    ander = PersoonFactory(naam="Otto Ander", email="otto@example.nl")
    client.force_login(ander)
    client.post(URL, {"password": "verkeerd"})
    assert Persoon.objects.get(pk=ander.pk).is_active
    client.post(URL, {"password": PASSWORD})
    assert not Persoon.objects.get(pk=ander.pk).is_active
    assert Persoon.objects.get(pk=wereld.persoon.pk).is_active
    assert Persoon.objects.get(pk=wereld.persoon.pk).email == EMAIL


def test_deleting_needs_a_log_in(client, wereld):
    response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert Persoon.objects.get(pk=wereld.persoon.pk).is_active


def test_an_account_is_deleted_once(wereld):
    services.delete_account(persoon=wereld.persoon)
    with pytest.raises(services.AccountError):
        services.delete_account(persoon=wereld.persoon)


def test_a_contact_address_of_a_bijeenkomst_that_was_mine_is_cleared(client, wereld):
    delete(client, wereld.persoon)
    assert not Bijeenkomst.objects.filter(contact_email__iexact=EMAIL).exists()


def test_an_invitation_after_deleting_does_not_reach_the_address_that_opted_out(client, wereld):
    from bijeenkomsten import services as bijeenkomst_services
    from bijeenkomsten.selectors import Audience
    from tests.bijeenkomsten.factories import BijeenkomstFactory

    delete(client, wereld.persoon)
    nieuw = BijeenkomstFactory(titel="Najaarssymposium")
    result = bijeenkomst_services.invite(
        bijeenkomst=nieuw,
        door=wereld.coordinator,
        audience=Audience(adressen=f"{EMAIL}\nnieuw@example.org"),
    )
    assert result.uitgenodigd == 1
    assert list(nieuw.uitnodigingen.values_list("email", flat=True)) == ["nieuw@example.org"]


def test_the_hash_in_sql_is_the_hash_in_python():
    from django.db.models import Value

    from netwerk.models import address_hash
    from werkplaats.db_functions import Sha256Hex

    PersoonFactory(email="hash@example.org")
    in_sql = Persoon.objects.annotate(h=Sha256Hex(Value("ëlla@example.org"))).values_list(
        "h", flat=True
    )[0]
    assert in_sql == address_hash("ëlla@example.org")


def test_guessing_the_password_is_limited_like_allauths_reauthentication(client, wereld):
    for _attempt in range(10):
        delete(client, wereld.persoon, password="gok")
    response = delete(client, wereld.persoon)
    assert response.status_code == 400
    assert "Te veel pogingen." in response.content.decode()
    assert Persoon.objects.get(pk=wereld.persoon.pk).is_active
