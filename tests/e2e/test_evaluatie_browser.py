"""Issue 22, the evaluation in a real browser: an attendee fills it in with the keyboard
alone through their personal link, and the form, the "al ingevuld" page, the team's results
and the evaluation tab of the questions page pass the page check (axe at desktop and 320 px,
no sideways scrolling)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bijeenkomsten import services
from bijeenkomsten.models import EvaluatieAntwoord, EvaluatieInzending, Vraag
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.e2e.keyboard import fill_in, press_on, skip_to_content, tab_to
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def voorbij():
    start = timezone.now() - timedelta(days=2)
    bijeenkomst = BijeenkomstFactory(
        titel="Tribunebijeenkomst armoede",
        slug="tribune",
        start=start,
        eind=start + timedelta(hours=2),
    )
    team = make_coordinator()
    for volgorde, (soort, tekst, keuzes) in enumerate(
        [
            (Vraag.Soort.SCHAAL, "Hoe nuttig was het?", ""),
            (Vraag.Soort.EEN_KEUZE, "Kom je weer?", "Ja\nMisschien\nNee"),
            (Vraag.Soort.LANG, "Wat neem je mee?", ""),
        ]
    ):
        services.save_question(
            bijeenkomst=bijeenkomst,
            door=team,
            doel=Vraag.Doel.EVALUATIE,
            soort=soort,
            tekst=tekst,
            keuzes=keuzes,
            volgorde=volgorde,
        )
    return bijeenkomst


def test_an_attendee_fills_in_the_evaluation_with_the_keyboard(page, live_server, voorbij):
    aanmelding = AanmeldingFactory(bijeenkomst=voorbij, aanwezig_op=voorbij.start)
    url = live_server.url + reverse("bijeenkomsten:evaluatie", args=["tribune", aanmelding.token])

    page.goto(url)
    expect(page.locator("main")).to_contain_text("Je antwoorden worden zonder je naam bewaard")
    assert_no_axe_violations(page)
    skip_to_content(page)
    tab_to(page, "1", role="radio", exact=True)
    for _ in range(3):  # arrows move within a group of radio buttons: 1 → 4
        page.keyboard.press("ArrowRight")
    tab_to(page, "Ja", role="radio", exact=True)
    page.keyboard.press("Space")
    fill_in(page, "Wat neem je mee?", "De taal van de brief.", role="textbox")
    press_on(page, "Evaluatie versturen", role="button")

    expect(page.locator("main")).to_contain_text("al ingevuld")
    assert_no_axe_violations(page)
    assert sorted(EvaluatieAntwoord.objects.values_list("waarde", flat=True)) == [
        "4",
        "De taal van de brief.",
        "Ja",
    ]


def test_a_wrong_scale_value_shows_its_error_linked_to_the_question(page, live_server, voorbij):
    Vraag.objects.filter(soort=Vraag.Soort.SCHAAL).update(verplicht=True)
    aanmelding = AanmeldingFactory(bijeenkomst=voorbij, aanwezig_op=voorbij.start)
    page.goto(
        live_server.url + reverse("bijeenkomsten:evaluatie", args=["tribune", aanmelding.token])
    )
    page.get_by_role("button", name="Evaluatie versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("Hoe nuttig was het?")
    assert_no_axe_violations(page)
    assert not EvaluatieInzending.objects.exists()


def test_the_results_and_the_questions_tab_pass_the_page_check(page, live_server, voorbij):
    vragen = {vraag.tekst: vraag.pk for vraag in services.evaluation_questions(voorbij)}
    for number in range(6):
        aanmelding = AanmeldingFactory(bijeenkomst=voorbij, aanwezig_op=voorbij.start)
        services.submit_evaluation(
            aanmelding=aanmelding,
            antwoorden={
                vragen["Hoe nuttig was het?"]: str(1 + number % 5),
                vragen["Kom je weer?"]: "Ja",
                vragen["Wat neem je mee?"]: f"Inzicht {number}",
            },
        )
    log_in(page, live_server, make_coordinator())

    page.goto(live_server.url + reverse("bijeenkomsten:evaluatie-uitslag", args=["tribune"]))
    expect(page.locator("svg").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Inzicht 3")
    assert_no_axe_violations(page)
    page.goto(
        live_server.url + reverse("bijeenkomsten:vragen", args=["tribune"]) + "?formulier=evaluatie"
    )
    expect(page.locator("main")).to_contain_text("Hoe nuttig was het?")
    assert_no_axe_violations(page)
