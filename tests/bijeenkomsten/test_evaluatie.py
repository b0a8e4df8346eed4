"""The evaluation after a bijeenkomst (issue 22, point 2): one mail per person present (never
to who was absent, cancelled or switched it off), one anonymous answer per attendee and
link, answers checked on the server, results for the team only."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import selectors, services, tasks
from bijeenkomsten.models import (
    Aanmelding,
    Bijeenkomst,
    EvaluatieAntwoord,
    EvaluatieInzending,
    Vraag,
)
from netwerk.models import OutboxMessage
from netwerk.services import opt_out_of_invitations
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory, with_link
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db

S = Aanmelding.Status


@pytest.fixture
def voorbij():
    start = timezone.now() - timedelta(days=2)
    bijeenkomst = BijeenkomstFactory(slug="voorbij", start=start, eind=start + timedelta(hours=2))
    team = make_coordinator()
    services.save_question(
        bijeenkomst=bijeenkomst,
        door=team,
        doel=Vraag.Doel.EVALUATIE,
        soort=Vraag.Soort.SCHAAL,
        tekst="Hoe nuttig was het?",
        verplicht=True,
        volgorde=1,
    )
    services.save_question(
        bijeenkomst=bijeenkomst,
        door=team,
        doel=Vraag.Doel.EVALUATIE,
        soort=Vraag.Soort.EEN_KEUZE,
        tekst="Kom je weer?",
        keuzes="Ja\nMisschien\nNee",
        volgorde=2,
    )
    services.save_question(
        bijeenkomst=bijeenkomst,
        door=team,
        doel=Vraag.Doel.EVALUATIE,
        soort=Vraag.Soort.LANG,
        tekst="Wat neem je mee?",
        volgorde=3,
    )
    return bijeenkomst


def _vragen(bijeenkomst):
    return {vraag.tekst: vraag for vraag in services.evaluation_questions(bijeenkomst)}


def _present(bijeenkomst, **kwargs):
    return AanmeldingFactory(bijeenkomst=bijeenkomst, aanwezig_op=bijeenkomst.start, **kwargs)


def _url(aanmelding):
    return reverse("bijeenkomsten:evaluatie", args=[aanmelding.bijeenkomst.slug, aanmelding.token])


def _answers(bijeenkomst, schaal="4", keuze="Ja", open_text="Samen leren."):
    vragen = _vragen(bijeenkomst)
    return {
        f"vraag_{vragen['Hoe nuttig was het?'].pk}": schaal,
        f"vraag_{vragen['Kom je weer?'].pk}": keuze,
        f"vraag_{vragen['Wat neem je mee?'].pk}": open_text,
    }


def _evaluation_mails():
    return OutboxMessage.objects.filter(key__endswith=":evaluatie")


# Sending


def test_the_evaluation_mails_each_person_present_once(voorbij, django_capture_on_commit_callbacks):
    present = [_present(voorbij) for _ in range(3)]
    AanmeldingFactory(bijeenkomst=voorbij)  # registered, never came
    AanmeldingFactory(bijeenkomst=voorbij, status=S.GEANNULEERD, aanwezig_op=voorbij.start)
    switched_off = _present(voorbij, persoon=PersoonFactory(wil_evaluaties=False))
    switched_off_by_address = _present(voorbij, email="uit@example.org")
    PersoonFactory(email="uit@example.org", wil_evaluaties=False)
    no_invitations = _present(voorbij, email="nooit@example.org")
    opt_out_of_invitations(email="nooit@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_evaluation(bijeenkomst_id=voorbij.pk, door=make_coordinator())
        again = services.send_evaluation(bijeenkomst_id=voorbij.pk, door=make_coordinator())
        tasks.send_evaluations()

    assert (first, again) == (3, 0)
    assert sorted(_evaluation_mails().values_list("to", flat=True)) == sorted(
        a.email for a in present
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(a.email for a in present)
    excluded = {switched_off.email, switched_off_by_address.email, no_invitations.email}
    assert not excluded & {message.to[0] for message in mail.outbox}
    assert "zonder je naam" in mail.outbox[0].body


def test_the_periodic_task_sends_once_and_only_after_the_end(voorbij):
    _present(voorbij)
    later = BijeenkomstFactory()
    _present(later)
    Vraag.objects.create(
        bijeenkomst=later, doel=Vraag.Doel.EVALUATIE, soort=Vraag.Soort.SCHAAL, tekst="Hoe?"
    )

    assert tasks.send_evaluations() == 1
    assert tasks.send_evaluations() == 0
    voorbij.refresh_from_db()
    assert voorbij.evaluatie_verstuurd_op is not None
    assert _evaluation_mails().count() == 1


def test_the_team_cannot_send_before_the_end_or_without_questions():
    coming = BijeenkomstFactory()
    Vraag.objects.create(
        bijeenkomst=coming, doel=Vraag.Doel.EVALUATIE, soort=Vraag.Soort.SCHAAL, tekst="Hoe?"
    )
    start = timezone.now() - timedelta(days=1)
    zonder_vragen = BijeenkomstFactory(start=start, eind=start + timedelta(hours=1))
    _present(zonder_vragen)

    with pytest.raises(services.EvaluatieError, match="pas weg als de bijeenkomst voorbij"):
        services.send_evaluation(bijeenkomst_id=coming.pk, door=make_coordinator())
    with pytest.raises(services.EvaluatieError, match="Stel eerst de vragen"):
        services.send_evaluation(bijeenkomst_id=zonder_vragen.pk, door=make_coordinator())
    assert not _evaluation_mails().exists()
    assert tasks.send_evaluations() == 0


def test_the_mailed_link_opens_the_form(voorbij, client, django_capture_on_commit_callbacks):
    _present(voorbij)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_evaluation(bijeenkomst_id=voorbij.pk)
    path = re.search(r"/bijeenkomsten/voorbij/evaluatie/[A-Za-z0-9_-]{20,64}/", mail.outbox[0].body)

    response = client.get(path.group(0))

    assert response.status_code == 200
    assert "Je antwoorden worden zonder je naam bewaard" in response.text
    assert "Hoe nuttig was het?" in response.text


# Filling it in


def test_an_answer_is_stored_without_the_person_and_a_second_submit_is_refused(voorbij, client):
    aanmelding = _present(voorbij, naam="Fenna Visser", email="fenna@example.org")

    first = client.post(_url(aanmelding), _answers(voorbij))
    second = client.post(_url(aanmelding), _answers(voorbij, schaal="1"))

    assert first.status_code == 302
    assert second.status_code == 409
    assert "al ingevuld" in second.text
    assert "al ingevuld" in client.get(_url(aanmelding)).text
    inzending = EvaluatieInzending.objects.get()
    assert sorted(inzending.antwoorden.values_list("waarde", flat=True)) == [
        "4",
        "Ja",
        "Samen leren.",
    ]
    aanmelding.refresh_from_db()
    assert aanmelding.evaluatie_ingevuld_op == timezone.localdate()


def test_the_stored_response_has_no_link_to_the_person(voorbij, client):
    aanmelding = _present(voorbij, naam="Fenna Visser", email="fenna@example.org")
    client.post(_url(aanmelding), _answers(voorbij))

    for model in (EvaluatieInzending, EvaluatieAntwoord):
        related = {
            field.related_model
            for field in model._meta.get_fields()
            if field.is_relation and field.related_model
        }
        assert Aanmelding not in related
        assert PersoonFactory._meta.model not in related
        assert not any(
            field.get_internal_type() in ("DateTimeField", "DateField")
            for field in model._meta.concrete_fields
        )
        # A random key: the order of the rows says nothing about the order of answering.
        assert model._meta.pk.get_internal_type() == "UUIDField"
    # The columns are the bijeenkomst, the question and the answer: nothing of Fenna.
    assert list(EvaluatieInzending.objects.values().get()) == ["id", "bijeenkomst_id"]
    rows = list(EvaluatieAntwoord.objects.values())
    assert {tuple(row) for row in rows} == {("id", "inzending_id", "vraag_id", "waarde")}
    for row in rows:
        assert "fenna" not in row["waarde"].lower()
        assert "visser" not in row["waarde"].lower()


@pytest.mark.parametrize("value", ["0", "6", "abc", ""])
def test_a_scale_value_outside_one_to_five_is_refused_in_dutch(voorbij, client, value):
    aanmelding = _present(voorbij)

    response = client.post(_url(aanmelding), _answers(voorbij, schaal=value))

    assert response.status_code == 400
    assert "Hoe nuttig was het?" in response.text
    assert "Selecteer een geldige keuze" in response.text or "verplicht" in response.text
    assert not EvaluatieInzending.objects.exists()
    assert not EvaluatieAntwoord.objects.exists()
    aanmelding.refresh_from_db()
    assert aanmelding.evaluatie_ingevuld_op is None


def test_the_service_checks_the_answers_itself(voorbij):
    aanmelding = _present(voorbij)
    vraag = _vragen(voorbij)["Hoe nuttig was het?"]

    with pytest.raises(services.RegistrationError, match="Hoe nuttig was het?"):
        services.submit_evaluation(aanmelding=aanmelding, antwoorden={vraag.pk: "6"})
    assert not EvaluatieInzending.objects.exists()


def test_a_foreign_tampered_or_closed_link_gets_a_clear_page(voorbij, client, settings):
    aanmelding = _present(voorbij)
    elders = BijeenkomstFactory(slug="elders")
    absent = AanmeldingFactory(bijeenkomst=voorbij)

    foreign = client.get(reverse("bijeenkomsten:evaluatie", args=["elders", aanmelding.token]))
    tampered = client.get(reverse("bijeenkomsten:evaluatie", args=["voorbij", "x" * 30]))
    not_there = client.get(_url(absent))
    not_over = client.get(_url(with_link(_present(elders))))
    settings.EVALUATIE_OPEN_DAYS = 1
    closed = client.get(_url(aanmelding))
    closed_post = client.post(_url(aanmelding), _answers(voorbij))

    assert (foreign.status_code, tampered.status_code, not_there.status_code) == (404, 404, 404)
    assert not_over.status_code == 404
    assert "geen evaluatie" in not_over.text
    assert closed.status_code == closed_post.status_code == 410
    assert "gesloten" in closed.text
    assert not EvaluatieInzending.objects.exists()


def test_a_cancelled_bijeenkomst_has_no_evaluation(voorbij, client):
    aanmelding = _present(voorbij)
    Bijeenkomst.objects.filter(pk=voorbij.pk).update(status=Bijeenkomst.Status.GEANNULEERD)

    assert client.get(_url(aanmelding)).status_code == 404
    assert services.send_evaluation(bijeenkomst_id=voorbij.pk) == 0


# Results


def _fill(bijeenkomst, values):
    for schaal, keuze, open_text in values:
        aanmelding = _present(bijeenkomst)
        vragen = _vragen(bijeenkomst)
        services.submit_evaluation(
            aanmelding=aanmelding,
            antwoorden={
                vragen["Hoe nuttig was het?"].pk: schaal,
                vragen["Kom je weer?"].pk: keuze,
                vragen["Wat neem je mee?"].pk: open_text,
            },
        )


def test_the_results_count_each_scale_value_and_choice(voorbij):
    _fill(
        voorbij,
        [("5", "Ja", "A"), ("4", "Ja", ""), ("4", "Nee", "B"), ("2", "", "C"), ("5", "Ja", "")],
    )

    uitslag = selectors.evaluatie_uitslag(bijeenkomst=voorbij)

    schaal, keuze = uitslag.gesloten_vragen
    assert schaal.rijen == [("1", 0), ("2", 1), ("3", 0), ("4", 2), ("5", 2)]
    assert schaal.gemiddelde == pytest.approx(4.0)
    assert keuze.rijen == [("Ja", 3), ("Misschien", 0), ("Nee", 1)]
    assert keuze.aantal == 4
    assert uitslag.aantal_inzendingen == 5
    assert sorted(a.waarde for a in selectors.open_antwoorden(bijeenkomst=voorbij)) == [
        "A",
        "B",
        "C",
    ]


def test_with_fewer_than_five_answers_no_results_are_shown(voorbij, client):
    _fill(voorbij, [("1", "Nee", "Alleen ik vond het niets")] * 4)
    client.force_login(make_coordinator())

    response = client.get(reverse("bijeenkomsten:evaluatie-uitslag", args=["voorbij"]))

    assert response.status_code == 200
    assert "Alleen ik vond het niets" not in response.text
    assert "zodra 5 mensen" in response.text


def test_the_results_page_has_a_chart_with_its_table_in_bounded_queries(voorbij, client):
    _fill(voorbij, [("5", "Ja", f"Antwoord {n}") for n in range(6)])
    client.force_login(make_coordinator())
    url = reverse("bijeenkomsten:evaluatie-uitslag", args=["voorbij"])
    client.get(url)

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _fill(voorbij, [("3", "Nee", f"Meer {n}") for n in range(40)])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(many) == len(few)
    assert response.text.count("<svg") == 2
    assert "<caption" in response.text
    assert "gemiddeld" in response.text
    assert "Pagina 1 van 2" in response.text


def test_only_the_team_sees_the_results_and_sends(voorbij, client):
    _present(voorbij)
    partner = PersoonFactory()
    client.force_login(partner)

    assert (
        client.get(reverse("bijeenkomsten:evaluatie-uitslag", args=["voorbij"])).status_code == 403
    )
    response = client.post(reverse("bijeenkomsten:evaluatie-versturen", args=["voorbij"]))
    assert response.status_code == 403
    assert not _evaluation_mails().exists()


def test_the_team_sends_with_the_button(voorbij, client):
    _present(voorbij)
    client.force_login(make_coordinator())

    response = client.post(
        reverse("bijeenkomsten:evaluatie-versturen", args=["voorbij"]), follow=True
    )

    assert "gemaild aan 1 aanwezigen" in response.text
    assert _evaluation_mails().count() == 1


# Questions page


def test_the_team_adds_evaluation_questions_on_the_questions_page(voorbij, client):
    client.force_login(make_coordinator())
    url = reverse("bijeenkomsten:vragen", args=["voorbij"]) + "?formulier=evaluatie"

    page = client.get(url)
    added = client.post(url, {"tekst": "Was de zaal goed?", "soort": "schaal", "volgorde": 4})
    wrong = client.post(
        reverse("bijeenkomsten:vragen", args=["voorbij"]),
        {"tekst": "Schaal bij aanmelden?", "soort": "schaal"},
    )

    assert page.status_code == 200
    assert "Hoe nuttig was het?" in page.text
    assert added.status_code == 302
    assert added.url.endswith("?formulier=evaluatie")
    assert Vraag.objects.get(tekst="Was de zaal goed?").doel == Vraag.Doel.EVALUATIE
    assert wrong.status_code == 400
    assert not Vraag.objects.filter(tekst="Schaal bij aanmelden?").exists()
    assert client.get(url.replace("evaluatie", "iets")).status_code == 404


# Opting out on /mijn/


def test_a_person_switches_the_evaluation_mail_off_on_mijn(client, voorbij):
    persoon = PersoonFactory()
    client.force_login(persoon)
    assert "wil_evaluaties" in client.get(reverse("netwerk:mijn")).text

    client.post(reverse("netwerk:evaluaties"), {})
    persoon.refresh_from_db()
    assert persoon.wil_evaluaties is False
    _present(voorbij, persoon=persoon, email=persoon.email)
    assert services.send_evaluation(bijeenkomst_id=voorbij.pk) == 0

    client.post(reverse("netwerk:evaluaties"), {"wil_evaluaties": "on"})
    persoon.refresh_from_db()
    assert persoon.wil_evaluaties is True


def test_the_personal_page_links_to_the_open_evaluation_only(voorbij, client):
    aanmelding = _present(voorbij)
    page = client.get(reverse("bijeenkomsten:aanmelding", args=[aanmelding.token]))
    assert _url(aanmelding) in page.text

    client.post(_url(aanmelding), _answers(voorbij))
    page = client.get(reverse("bijeenkomsten:aanmelding", args=[aanmelding.token]))
    assert _url(aanmelding) not in page.text
