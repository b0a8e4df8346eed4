"""Invitations: whom an audience reaches, one invitation per address, the personal link,
"geen uitnodigingen meer" and the reminder rounds."""

import re
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import selectors, services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling, Uitnodiging
from bijeenkomsten.selectors import Audience, parse_addresses, split_pasted
from leerateliers.models import Deelname
from netwerk import outbox
from netwerk import services as netwerk_services
from netwerk.models import Abonnement, GeenUitnodiging, OutboxMessage
from tests.bijeenkomsten.factories import (
    AanmeldingFactory,
    BijeenkomstFactory,
    link_token,
    linked,
    with_link,
)
from tests.leerateliers.factories import DeelnameFactory, LeeratelierFactory
from tests.netwerk.factories import (
    AbonnementFactory,
    OrganisatieFactory,
    PersoonFactory,
    make_coordinator,
)
from tests.themas.factories import ThemaFactory
from themas.models import Volging

pytestmark = pytest.mark.django_db

ARENA, TRIBUNE = Deelname.Rol.ARENA, Deelname.Rol.TRIBUNE


def emails(resolved):
    return [invitee.email for invitee in resolved.invitees]


def resolve(bijeenkomst, **choices):
    return selectors.resolve_audience(bijeenkomst=bijeenkomst, audience=Audience(**choices))


def invite(bijeenkomst, coordinator, **choices):
    return services.invite(bijeenkomst=bijeenkomst, door=coordinator, audience=Audience(**choices))


def link(message, name):
    return re.search(rf"http\S+/uitnodiging/[^/\s]+/{name}", message.body_text).group(0)


@pytest.fixture
def coordinator():
    return make_coordinator(naam="Coby Coördinator")


@pytest.fixture
def atelier():
    """An atelier with two arena deelnemers, one tribune, one arena request and one who
    left; the bijeenkomst it is linked to."""
    atelier = LeeratelierFactory(naam="Armoede")
    for email, rol, status in [
        ("ada@example.org", ARENA, Deelname.Status.ACTIEF),
        ("ben@example.org", ARENA, Deelname.Status.ACTIEF),
        ("tim@example.org", TRIBUNE, Deelname.Status.ACTIEF),
        ("vraag@example.org", ARENA, Deelname.Status.AANGEVRAAGD),
        ("weg@example.org", ARENA, Deelname.Status.BEEINDIGD),
    ]:
        DeelnameFactory(
            leeratelier=atelier, persoon=PersoonFactory(email=email), rol=rol, status=status
        )
    return atelier


# Pasted addresses


def test_pasted_addresses_may_be_one_per_line_or_separated_by_commas_or_semicolons():
    text = (
        'a@example.org\r\nb@example.org, c@example.org;d@example.org\n\n"Jansen, Jan" '
        "<jan@example.nl>"
    )

    assert split_pasted(text) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
        "d@example.org",
        '"Jansen, Jan" <jan@example.nl>',
    ]


def test_invalid_pasted_addresses_are_listed_with_the_reason_and_duplicates_count_once():
    valid, invalid = parse_addresses(
        "Anna de Vries <Anna@Example.org>\n"
        "anna@example.org\n"
        "mailto:piet@example.nl\n"
        "geen-adres\n"
        "kees@\n"
        f"{'x' * 250}@example.org\n"
        "twee@example.org drie@example.org"
    )

    assert [(invitee.email, invitee.naam) for invitee in valid] == [
        ("anna@example.org", "Anna de Vries"),
        ("piet@example.nl", ""),
    ]
    assert invalid == [
        ("geen-adres", "geen geldig e-mailadres"),
        ("kees@", "geen geldig e-mailadres"),
        (f"{'x' * 250}@example.org", "langer dan 254 tekens"),
        ("twee@example.org drie@example.org", "geen geldig e-mailadres"),
    ]


# Whom an audience reaches


def test_the_arena_of_an_atelier_is_its_active_arena_deelnemers_only(atelier):
    bijeenkomst = BijeenkomstFactory()

    arena = resolve(bijeenkomst, leeratelier_ids=(atelier.pk,), rollen=(ARENA,))
    both = resolve(bijeenkomst, leeratelier_ids=(atelier.pk,), rollen=(ARENA, TRIBUNE))

    assert emails(arena) == ["ada@example.org", "ben@example.org"]
    assert emails(both) == ["ada@example.org", "ben@example.org", "tim@example.org"]


def test_followers_of_a_thema_are_reached_unless_they_chose_no_mail():
    thema = ThemaFactory()
    for email, frequentie in [
        ("volger@example.org", Volging.Frequentie.PER_UPDATE),
        ("wekelijks@example.org", Volging.Frequentie.WEKELIJKS),
        ("stil@example.org", Volging.Frequentie.GEEN),
    ]:
        Volging.objects.create(
            persoon=PersoonFactory(email=email), thema=thema, frequentie=frequentie
        )
    Volging.objects.create(persoon=PersoonFactory(email="ander@example.org"), thema=ThemaFactory())

    resolved = resolve(BijeenkomstFactory(), thema_ids=(thema.pk,))

    assert emails(resolved) == ["volger@example.org", "wekelijks@example.org"]


def test_all_active_people_of_an_organisatie_are_reached():
    organisatie = OrganisatieFactory()
    PersoonFactory(email="een@example.org", organisatie=organisatie)
    PersoonFactory(email="twee@example.org", organisatie=organisatie)
    PersoonFactory(email="oud@example.org", organisatie=organisatie, is_active=False)
    PersoonFactory(email="elders@example.org", organisatie=OrganisatieFactory())

    resolved = resolve(BijeenkomstFactory(), organisatie_ids=(organisatie.pk,))

    assert emails(resolved) == ["een@example.org", "twee@example.org"]


def test_sources_combine_each_address_once_and_a_pasted_account_is_linked(atelier):
    ada = atelier.deelnames.get(persoon__email="ada@example.org").persoon
    account = PersoonFactory(email="heeft.account@example.org", naam="Hannie Account")

    resolved = resolve(
        BijeenkomstFactory(),
        leeratelier_ids=(atelier.pk,),
        rollen=(ARENA,),
        adressen="ADA@example.org\nHeeft.Account@example.org\nlos@example.nl",
    )

    by_email = {invitee.email: invitee for invitee in resolved.invitees}
    assert sorted(by_email) == [
        "ada@example.org",
        "ben@example.org",
        "heeft.account@example.org",
        "los@example.nl",
    ]
    assert by_email["ada@example.org"].persoon_id == ada.pk
    assert (
        by_email["heeft.account@example.org"].persoon_id,
        by_email["heeft.account@example.org"].naam,
    ) == (
        account.pk,
        "Hannie Account",
    )
    assert by_email["los@example.nl"].persoon_id is None


def test_the_registered_the_invited_and_those_who_want_no_invitations_are_left_out_and_counted(
    coordinator,
):
    bijeenkomst = BijeenkomstFactory()
    AanmeldingFactory(bijeenkomst=bijeenkomst, email="aangemeld@example.org")
    AanmeldingFactory(
        bijeenkomst=bijeenkomst,
        email="geannuleerd@example.org",
        status=Aanmelding.Status.GEANNULEERD,
    )
    invite(bijeenkomst, coordinator, adressen="uitgenodigd@example.org")
    netwerk_services.opt_out_of_invitations(email="Wil.Niet@example.org")

    resolved = resolve(
        bijeenkomst,
        adressen="aangemeld@example.org, Uitgenodigd@example.org, wil.niet@example.org, "
        "geannuleerd@example.org, nieuw@example.org",
    )

    assert emails(resolved) == ["geannuleerd@example.org", "nieuw@example.org"]
    assert resolved.excluded == {"aangemeld": 1, "uitgenodigd": 1, "geen-uitnodigingen": 1}
    assert [str(label) for label, _count in resolved.excluded_labels()] == [
        "al aangemeld",
        "al uitgenodigd",
        "wil geen uitnodigingen",
    ]


# Sending


def test_inviting_makes_one_invitation_and_one_mail_per_address_and_logs_the_count(
    coordinator, atelier
):
    bijeenkomst = BijeenkomstFactory(titel="Symposium armoede")

    result = invite(bijeenkomst, coordinator, leeratelier_ids=(atelier.pk,), rollen=(ARENA,))

    assert result.uitgenodigd == 2
    uitnodigingen = list(bijeenkomst.uitnodigingen.order_by("email"))
    assert [u.email for u in uitnodigingen] == ["ada@example.org", "ben@example.org"]
    assert all(u.uitgenodigd_door == coordinator and u.persoon_id for u in uitnodigingen)
    keys = set(OutboxMessage.objects.values_list("key", flat=True))
    assert keys == {f"uitnodiging:{u.pk}" for u in uitnodigingen}
    handeling = Handeling.objects.get()
    assert (handeling.soort, handeling.door) == (Handeling.Soort.UITGENODIGD, coordinator)
    assert handeling.omschrijving == "2 uitgenodigd: arena van Armoede"


def test_each_invitation_mail_has_its_own_link_and_the_one_click_opt_out_headers(coordinator):
    bijeenkomst = BijeenkomstFactory(titel="Symposium armoede")
    PersoonFactory(email="bekend@example.org", naam="Bea Bekend")

    invite(bijeenkomst, coordinator, adressen="bekend@example.org\nlos@example.nl")

    for uitnodiging in bijeenkomst.uitnodigingen.all():
        message = OutboxMessage.objects.get(key=f"uitnodiging:{uitnodiging.pk}")
        assert message.to == uitnodiging.email
        assert message.subject == "Uitnodiging: Symposium armoede"
        token = link_token(message.body_text, "uitnodiging")
        assert linked(token) == uitnodiging
        page = f"/uitnodiging/{token}/"
        opt_out = f"{settings.SITE_URL}{page}geen-uitnodigingen/"
        assert page in message.body_text
        assert page in message.body_html
        assert opt_out in message.body_text
        assert message.headers == {
            "List-Unsubscribe": f"<{opt_out}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        assert services.TOKEN_PLACEHOLDER not in message.body_text + message.body_html
    known = OutboxMessage.objects.get(to="bekend@example.org")
    assert known.body_text.startswith("Hallo Bea Bekend,")
    assert OutboxMessage.objects.get(to="los@example.nl").body_text.startswith("Hallo,")


def test_a_name_in_the_html_invitation_is_escaped(coordinator):
    bijeenkomst = BijeenkomstFactory()

    invite(bijeenkomst, coordinator, adressen='"<b>Bold</b> & Co" <bold@example.org>')

    message = OutboxMessage.objects.get()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in message.body_html
    assert "<b>Bold</b>" not in message.body_html


def test_sending_the_same_invitation_twice_mails_each_address_once(coordinator, atelier):
    bijeenkomst = BijeenkomstFactory()
    invite(bijeenkomst, coordinator, leeratelier_ids=(atelier.pk,), rollen=(ARENA,))

    with pytest.raises(services.RuleViolation, match="niemand"):
        invite(bijeenkomst, coordinator, leeratelier_ids=(atelier.pk,), rollen=(ARENA,))
    again = invite(bijeenkomst, coordinator, leeratelier_ids=(atelier.pk,), rollen=(ARENA, TRIBUNE))

    assert again.uitgenodigd == 1
    assert again.audience.excluded == {"uitgenodigd": 2}
    assert bijeenkomst.uitnodigingen.count() == 3
    assert OutboxMessage.objects.count() == 3
    assert Handeling.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"status": Bijeenkomst.Status.GEANNULEERD}, "geannuleerd"),
        ({"status": Bijeenkomst.Status.CONCEPT}, "Publiceer de bijeenkomst eerst"),
        ({"aanmelden_tot": timezone.now() - timedelta(hours=1)}, "gesloten"),
    ],
)
def test_nobody_is_invited_to_a_cancelled_concept_or_closed_bijeenkomst(
    coordinator, changes, reason
):
    bijeenkomst = BijeenkomstFactory(**changes)

    with pytest.raises(services.RuleViolation, match=reason):
        invite(bijeenkomst, coordinator, adressen="iemand@example.org")

    assert not Uitnodiging.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not Handeling.objects.exists()


# The invitation's link


@pytest.fixture
def uitnodiging(coordinator):
    bijeenkomst = BijeenkomstFactory(slug="symposium", titel="Symposium armoede")
    invite(bijeenkomst, coordinator, adressen="Ina Genodigd <ina@example.org>")
    OutboxMessage.objects.all().delete()
    return with_link(Uitnodiging.objects.get())


def test_the_invitation_page_shows_the_bijeenkomst_and_the_invited_address_not_editable(
    client, uitnodiging
):
    response = client.get(reverse("bijeenkomsten:uitnodiging", args=[uitnodiging.token]))

    assert response.status_code == 200
    assert "Symposium armoede" in response.text
    assert re.search(
        r'<input[^>]*name="email"[^>]*value="ina@example.org"[^>]*disabled', response.text
    )
    assert 'value="Ina Genodigd"' in response.text


def test_the_invitation_link_registers_at_once_without_the_guest_confirmation(client, uitnodiging):
    response = client.post(
        reverse("bijeenkomsten:uitnodiging", args=[uitnodiging.token]),
        {"naam": "Ina Genodigd", "email": "ander@example.org", "dieetwensen": "Vegetarisch"},
    )

    aanmelding = Aanmelding.objects.get()
    assert response.status_code == 302
    assert linked(response.url.split("/")[-2]) == aanmelding
    assert (aanmelding.email, aanmelding.status, aanmelding.dieetwensen) == (
        "ina@example.org",
        Aanmelding.Status.BEVESTIGD,
        "Vegetarisch",
    )
    uitnodiging.refresh_from_db()
    assert uitnodiging.aanmelding == aanmelding
    # The confirmation of the registration, not a mail asking to confirm the address.
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == [
        f"aanmelding:{aanmelding.pk}:bevestigd"
    ]


def test_an_invited_account_registers_as_that_account(client, coordinator):
    persoon = PersoonFactory(email="lid@example.org")
    bijeenkomst = BijeenkomstFactory()
    invite(bijeenkomst, coordinator, adressen="LID@example.org")
    uitnodiging = with_link(Uitnodiging.objects.get())

    client.post(reverse("bijeenkomsten:uitnodiging", args=[uitnodiging.token]), {"naam": "Lid"})

    assert Aanmelding.objects.get().persoon == persoon


def test_registering_twice_through_the_link_shows_the_existing_registration(client, uitnodiging):
    url = reverse("bijeenkomsten:uitnodiging", args=[uitnodiging.token])
    client.post(url, {"naam": "Ina"})

    response = client.post(url, {"naam": "Ina"})

    # The invitation's link proves the address: it leads to the registration's own page.
    assert linked(response.url.split("/")[-2]) == Aanmelding.objects.get()
    assert Aanmelding.objects.count() == 1
    assert "Je bent aangemeld" in client.get(url).text


def test_an_empty_name_is_shown_again_with_the_error_and_changes_nothing(client, uitnodiging):
    response = client.post(
        reverse("bijeenkomsten:uitnodiging", args=[uitnodiging.token]), {"naam": ""}
    )

    assert response.status_code == 400
    assert 'aria-describedby="id_naam_error' in response.text
    assert not Aanmelding.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("token", ["x" * 43, "kort", "a/b/c"])
def test_an_unknown_invitation_link_gets_a_dutch_404_page(client, token):
    for method in (client.get, client.post):
        response = method(f"/uitnodiging/{token}/")

        assert response.status_code == 404
        assert "Uitnodiging niet gevonden" in response.text


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"status": Bijeenkomst.Status.GEANNULEERD}, "Deze bijeenkomst is geannuleerd."),
        ({"aanmelden_tot": timezone.now() - timedelta(hours=1)}, "is gesloten"),
    ],
)
def test_the_link_of_a_cancelled_or_closed_bijeenkomst_gives_its_refusal(
    client, uitnodiging, changes, reason
):
    Bijeenkomst.objects.filter(pk=uitnodiging.bijeenkomst_id).update(**changes)
    url = reverse("bijeenkomsten:uitnodiging", args=[uitnodiging.token])

    page = client.get(url)
    response = client.post(url, {"naam": "Ina"}, follow=True)

    assert reason in page.text
    assert 'name="naam"' not in page.text
    assert reason in response.text
    assert not Aanmelding.objects.exists()
    assert not OutboxMessage.objects.exists()


# Geen uitnodigingen meer


def test_geen_uitnodigingen_by_get_only_shows_one_button(client, uitnodiging):
    response = client.get(reverse("bijeenkomsten:geen-uitnodigingen", args=[uitnodiging.token]))

    assert response.status_code == 200
    assert response.text.count('<button type="submit">Geen uitnodigingen meer</button>') == 1
    assert "ina@example.org" in response.text
    assert not GeenUitnodiging.objects.exists()


def test_geen_uitnodigingen_by_post_needs_no_csrf_and_no_later_invitation_reaches_it(
    uitnodiging, coordinator
):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("bijeenkomsten:geen-uitnodigingen", args=[uitnodiging.token])

    first = client.post(url, {"List-Unsubscribe": "One-Click"})
    second = client.post(url)

    assert first.status_code == second.status_code == 302
    assert list(GeenUitnodiging.objects.values_list("email", flat=True)) == ["ina@example.org"]
    assert "geen uitnodigingen meer" in client.get(url).text
    other = BijeenkomstFactory()
    result = invite(other, coordinator, adressen="INA@example.org, nog.iemand@example.org")
    assert emails(result.audience) == ["nog.iemand@example.org"]
    assert not other.uitnodigingen.filter(email="ina@example.org").exists()


def test_only_the_opt_out_url_is_exempt_from_csrf(uitnodiging):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("bijeenkomsten:uitnodiging", args=[uitnodiging.token]), {"naam": "Ina"}
    )

    assert response.status_code == 403
    assert not Aanmelding.objects.exists()


def test_opting_out_is_idempotent_in_any_case():
    first = netwerk_services.opt_out_of_invitations(email="Kees@Example.org")
    second = netwerk_services.opt_out_of_invitations(email="kees@example.org ")

    assert first == second
    assert GeenUitnodiging.objects.count() == 1


# Reminding who did not answer


@pytest.fixture
def invited(coordinator):
    bijeenkomst = BijeenkomstFactory(slug="symposium")
    invite(
        bijeenkomst,
        coordinator,
        adressen="komt@example.org, wacht@example.org, stil@example.org, nee@example.org, "
        "afgemeld@example.org",
    )
    services.register(bijeenkomst=bijeenkomst, email="komt@example.org", naam="Komt")
    geannuleerd = services.register(
        bijeenkomst=bijeenkomst, email="afgemeld@example.org", naam="Afgemeld"
    )
    services.cancel(aanmelding=geannuleerd)
    netwerk_services.opt_out_of_invitations(email="nee@example.org")
    return bijeenkomst


def reminded(bijeenkomst, ronde):
    return sorted(
        OutboxMessage.objects.filter(key__endswith=f":herinnering:{ronde}").values_list(
            "to", flat=True
        )
    )


def test_a_reminder_goes_only_to_the_invited_who_did_not_answer_once_per_round(
    invited, coordinator
):
    assert services.remind_invited(bijeenkomst=invited, door=coordinator, ronde=1) == 2
    with pytest.raises(services.RuleViolation, match="ronde 1"):
        services.remind_invited(bijeenkomst=invited, door=coordinator, ronde=1)

    assert reminded(invited, 1) == ["stil@example.org", "wacht@example.org"]
    services.register(bijeenkomst=invited, email="wacht@example.org", naam="Wacht")
    assert services.remind_invited(bijeenkomst=invited, door=coordinator, ronde=2) == 1
    assert reminded(invited, 2) == ["stil@example.org"]
    log = list(
        Handeling.objects.filter(soort=Handeling.Soort.UITNODIGING_HERINNERD)
        .order_by("pk")
        .values_list("omschrijving", flat=True)
    )
    assert log == [
        "2 uitgenodigden herinnerd (ronde 1)",
        "1 uitgenodigden herinnerd (ronde 2)",
    ]
    message = OutboxMessage.objects.filter(key__endswith=":herinnering:2").get()
    assert message.subject.startswith("Herinnering: je bent uitgenodigd")
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_round_that_does_not_exist_yet_is_refused(invited, coordinator):
    with pytest.raises(services.RuleViolation, match="bestaat niet"):
        services.remind_invited(bijeenkomst=invited, door=coordinator, ronde=2)

    assert not OutboxMessage.objects.filter(key__contains="herinnering").exists()


def test_pressing_remind_twice_on_the_same_page_reminds_nobody_twice(client, invited, coordinator):
    client.force_login(coordinator)
    url = reverse("bijeenkomsten:uitnodigingen-herinneren", args=["symposium"])
    page = client.get(reverse("bijeenkomsten:uitnodigingen", args=["symposium"]))
    assert 'name="ronde" value="1"' in page.text

    client.post(url, {"ronde": "1"})
    response = client.post(url, {"ronde": "1"}, follow=True)

    assert "niemand (meer) om te herinneren" in response.text
    assert reminded(invited, 1) == ["stil@example.org", "wacht@example.org"]
    assert Handeling.objects.filter(soort=Handeling.Soort.UITNODIGING_HERINNERD).count() == 1


# The coördinator's pages


def test_the_preview_shows_the_count_exclusions_invalid_lines_and_carries_the_choices(
    client, coordinator, atelier
):
    client.force_login(coordinator)
    bijeenkomst = BijeenkomstFactory(slug="symposium")
    AanmeldingFactory(bijeenkomst=bijeenkomst, email="ben@example.org")

    response = client.post(
        reverse("bijeenkomsten:uitnodigen", args=["symposium"]),
        {
            "leerateliers": [atelier.pk],
            "rollen": [ARENA],
            "adressen": "los@example.nl\nkapot@",
        },
    )

    assert response.status_code == 200
    text = response.text
    assert "<strong>2</strong> adressen krijgen een uitnodiging." in text
    assert "1 al aangemeld" in text
    assert "kapot@" in text
    assert "geen geldig e-mailadres" in text
    assert "ada@example.org" in text
    assert "los@example.nl" in text
    assert f'<input type="hidden" name="leerateliers" value="{atelier.pk}"' in text
    assert 'formaction="/bijeenkomsten/symposium/uitnodigen/versturen/"' in text
    assert "Verstuur 2 uitnodigingen" in text
    assert not Uitnodiging.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_preview_is_paginated_and_its_page_buttons_keep_the_choices(client, coordinator):
    client.force_login(coordinator)
    BijeenkomstFactory(slug="symposium")
    adressen = "\n".join(f"adres{n:03}@example.org" for n in range(120))
    url = reverse("bijeenkomsten:uitnodigen", args=["symposium"])

    first = client.post(url, {"adressen": adressen})
    third = client.post(url, {"adressen": adressen, "pagina": "3"})

    assert "Pagina 1 van 3" in first.text
    assert "<td>adres000@example.org</td>" in first.text
    assert "<td>adres050@example.org</td>" not in first.text
    assert 'name="pagina" value="2"' in first.text
    assert "<td>adres100@example.org</td>" in third.text
    assert "<td>adres000@example.org</td>" not in third.text


def test_sending_from_the_preview_recomputes_the_audience_and_reports_what_was_left_out(
    client, coordinator, atelier
):
    client.force_login(coordinator)
    bijeenkomst = BijeenkomstFactory(slug="symposium")
    netwerk_services.opt_out_of_invitations(email="ben@example.org")

    response = client.post(
        reverse("bijeenkomsten:uitnodigen-versturen", args=["symposium"]),
        {"leerateliers": [atelier.pk], "rollen": [ARENA], "adressen": "fout"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/bijeenkomsten/symposium/uitnodigingen/"
    assert (
        "1 uitnodiging verstuurd. 1 adres overgeslagen (1 wil geen uitnodigingen). "
        "1 geplakt adres was ongeldig." in response.text
    )
    assert list(bijeenkomst.uitnodigingen.values_list("email", flat=True)) == ["ada@example.org"]
    assert "nog niet gereageerd" in response.text


def test_choosing_nobody_is_shown_again_with_an_error(client, coordinator, atelier):
    client.force_login(coordinator)
    BijeenkomstFactory(slug="symposium")
    url = reverse("bijeenkomsten:uitnodigen", args=["symposium"])

    nothing = client.post(url, {})
    no_rol = client.post(url, {"leerateliers": [atelier.pk]})

    assert nothing.status_code == no_rol.status_code == 400
    assert "Kies wie je wilt uitnodigen" in nothing.text
    assert "Kies arena, tribune of allebei." in no_rol.text
    assert 'aria-describedby="id_rollen_error' in no_rol.text


def test_the_form_preselects_the_ateliers_of_the_bijeenkomst(client, coordinator, atelier):
    client.force_login(coordinator)
    bijeenkomst = BijeenkomstFactory(slug="symposium")
    bijeenkomst.leerateliers.add(atelier)

    response = client.get(reverse("bijeenkomsten:uitnodigen", args=["symposium"]))

    assert re.search(rf'value="{atelier.pk}"[^>]*checked', response.text)


def queries_for(client, url, method="get", data=None):
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return len(context)


def test_the_preview_and_the_overview_take_as_many_queries_for_5_as_for_300_people(
    client, coordinator
):
    client.force_login(coordinator)
    klein = BijeenkomstFactory(slug="klein")
    groot = BijeenkomstFactory(slug="groot")
    for bijeenkomst, size in [(klein, 5), (groot, 300)]:
        organisatie = OrganisatieFactory()
        PersoonFactory.create_batch(size, organisatie=organisatie, verified=False)
        invite(bijeenkomst, coordinator, organisatie_ids=(organisatie.pk,))
        AanmeldingFactory.create_batch(3, bijeenkomst=bijeenkomst)
        bijeenkomst.organisatie_id = organisatie.pk

    counts = {
        name: (
            queries_for(
                client,
                reverse("bijeenkomsten:uitnodigen", args=[name]),
                "post",
                {"organisaties": [bijeenkomst.organisatie_id], "adressen": "x@example.org"},
            ),
            queries_for(client, reverse("bijeenkomsten:uitnodigingen", args=[name])),
        )
        for name, bijeenkomst in [("klein", klein), ("groot", groot)]
    }

    assert counts["klein"] == counts["groot"]


def test_the_invitation_arrives_over_smtp_with_the_one_click_opt_out_headers(
    smtp_sink, coordinator
):
    invite(BijeenkomstFactory(), coordinator, adressen="ina@example.org")
    queued = OutboxMessage.objects.get()

    outbox.deliver_batch(message_ids=[queued.pk])

    received = message_from_bytes(smtp_sink.messages[0].content)
    token = link_token(received["List-Unsubscribe"], "uitnodiging")
    assert linked(token) == Uitnodiging.objects.get()
    assert received["List-Unsubscribe"].strip() == (
        f"<{settings.SITE_URL}/uitnodiging/{token}/geen-uitnodigingen/>"
    )
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_confirmed_nieuwsbrief_subscribers_are_reached_all_or_only_those_interested():
    atelier, thema, ander = LeeratelierFactory(), ThemaFactory(), LeeratelierFactory()
    bijeenkomst = BijeenkomstFactory()
    bijeenkomst.leerateliers.add(atelier)
    bijeenkomst.themas.add(thema)
    AbonnementFactory(email="atelier@example.org", leerateliers=[atelier])
    AbonnementFactory(email="thema@example.org", themas=[thema])
    AbonnementFactory(email="ander@example.org", leerateliers=[ander])
    AbonnementFactory(
        email="gepauzeerd@example.org",
        status=Abonnement.Status.GEPAUZEERD,
        gepauzeerd_op=timezone.now(),
    )
    GeenUitnodiging.objects.create(email="thema@example.org")

    interested = resolve(bijeenkomst, abonnees=selectors.ABONNEES_GEINTERESSEERD)
    everyone = resolve(bijeenkomst, abonnees=selectors.ABONNEES_ALLE)

    assert emails(interested) == ["atelier@example.org"]
    assert interested.excluded == {"geen-uitnodigingen": 1}
    assert emails(everyone) == ["ander@example.org", "atelier@example.org"]
    assert "nieuwsbriefabonnees" in selectors.describe_audience(
        Audience(abonnees=selectors.ABONNEES_ALLE)
    )


def test_a_coordinator_invites_the_interested_subscribers_from_the_page(client, coordinator):
    atelier = LeeratelierFactory()
    bijeenkomst = BijeenkomstFactory()
    bijeenkomst.leerateliers.add(atelier)
    AbonnementFactory(email="lezer@example.org", leerateliers=[atelier])
    client.force_login(coordinator)

    client.post(
        reverse("bijeenkomsten:uitnodigen-versturen", args=[bijeenkomst.slug]),
        {"abonnees": selectors.ABONNEES_GEINTERESSEERD, "rollen": [ARENA]},
    )

    assert list(bijeenkomst.uitnodigingen.values_list("email", flat=True)) == ["lezer@example.org"]
