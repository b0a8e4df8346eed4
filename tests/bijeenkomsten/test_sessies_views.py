"""The programme on the bijeenkomst page and in its calendar, the choice of a deelsessie
per ronde in the registration forms, and changing it through the personal link."""

from datetime import timedelta

import pytest
from django.urls import reverse

from bijeenkomsten import services
from bijeenkomsten.ics import calendar_for
from bijeenkomsten.models import Aanmelding, ProgrammaOnderdeel, SessieKeuze, Spreker
from bijeenkomsten.permissions import can_edit_programme
from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde, with_link
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db
K = SessieKeuze.Status


def _detail(bijeenkomst):
    return reverse("bijeenkomsten:detail", args=[bijeenkomst.slug])


def _more_rondes(bijeenkomst, n):
    for number in range(n):
        ronde = ProgrammaOnderdeel.objects.create(
            bijeenkomst=bijeenkomst,
            soort=ProgrammaOnderdeel.Soort.RONDE,
            titel=f"Extra ronde {number}",
            start=bijeenkomst.start + timedelta(hours=2),
            eind=bijeenkomst.start + timedelta(hours=3),
        )
        for letter in "XY":
            sessie = ProgrammaOnderdeel.objects.create(
                bijeenkomst=bijeenkomst,
                ronde=ronde,
                soort=ProgrammaOnderdeel.Soort.DEELSESSIE,
                titel=f"Sessie {letter}{number}",
                start=ronde.start,
                eind=ronde.eind,
                capaciteit=5,
            )
            Spreker.objects.create(onderdeel=sessie, naam=f"Spreker {letter}{number}")


def test_the_page_shows_the_programme_with_rooms_speakers_and_places(client):
    bijeenkomst = BijeenkomstFactory()
    _ronde, (a, _b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 3, 3))
    Spreker.objects.create(onderdeel=a, naam="Dr. Vrije Naam", bio="Lector wijkgericht werken")
    services.register(bijeenkomst=bijeenkomst, email="x@example.org", naam="X", sessies=[a])

    html = client.get(_detail(bijeenkomst)).content.decode()

    assert "Opening" in html
    assert "Workshop A" in html
    assert "Zaal A" in html
    assert "Dr. Vrije Naam" in html
    assert "Lector wijkgericht werken" in html
    assert "Vol" in html


def test_a_portal_speaker_is_named_only_while_their_profile_is_visible(client):
    bijeenkomst = BijeenkomstFactory()
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst)
    zichtbaar = PersoonFactory(naam="Zichtbare Spreker", profiel_zichtbaar=True)
    verborgen = PersoonFactory(naam="Verborgen Spreker", profiel_zichtbaar=False)
    Spreker.objects.create(onderdeel=a, persoon=zichtbaar)
    Spreker.objects.create(onderdeel=b, persoon=verborgen)

    html = client.get(_detail(bijeenkomst)).content.decode()

    assert "Zichtbare Spreker" in html
    assert "Verborgen Spreker" not in html


def test_the_page_reads_the_programme_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    bijeenkomst = BijeenkomstFactory()
    programma_met_ronde(bijeenkomst)
    client.get(_detail(bijeenkomst))
    with django_assert_max_num_queries(30) as small:
        client.get(_detail(bijeenkomst))
    _more_rondes(bijeenkomst, 4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(_detail(bijeenkomst))


def test_the_calendar_description_carries_the_programme():
    bijeenkomst = BijeenkomstFactory()
    programma_met_ronde(bijeenkomst)
    text = calendar_for([bijeenkomst]).decode().replace("\r\n ", "")
    assert "Programma" in text
    assert "Ronde 1" in text
    assert "Workshop B (Zaal B)" in text


def test_a_logged_in_registration_needs_a_deelsessie_per_ronde(client):
    bijeenkomst = BijeenkomstFactory()
    ronde, (a, _b, _c) = programma_met_ronde(bijeenkomst)
    persoon = PersoonFactory()
    client.force_login(persoon)
    url = reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug])

    refused = client.post(url, {"naam": persoon.naam})
    assert refused.status_code == 400
    assert "Kies een deelsessie in deze ronde." in refused.content.decode()
    assert not Aanmelding.objects.exists()

    client.post(url, {"naam": persoon.naam, f"sessie_{ronde.pk}": a.pk})
    keuze = SessieKeuze.objects.get(aanmelding__persoon=persoon)
    assert keuze.deelsessie == a
    assert keuze.status == K.BEVESTIGD


def test_a_deelsessie_of_another_ronde_is_refused_with_a_dutch_error(client):
    bijeenkomst = BijeenkomstFactory()
    ronde, _sessies = programma_met_ronde(bijeenkomst)
    _other_ronde, (elsewhere, *_rest) = programma_met_ronde(BijeenkomstFactory())
    client.force_login(PersoonFactory())
    response = client.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]),
        {"naam": "Iemand", f"sessie_{ronde.pk}": elsewhere.pk},
    )
    assert response.status_code == 400
    assert "Kies een van de deelsessies van deze ronde." in response.content.decode()
    assert not Aanmelding.objects.exists()


def test_a_guest_chooses_the_deelsessie_when_confirming_the_address(client):
    bijeenkomst = BijeenkomstFactory()
    ronde, (_a, b, _c) = programma_met_ronde(bijeenkomst)
    token = services.request_guest_registration(
        bijeenkomst=bijeenkomst, gegevens={"email": "gast@example.org", "naam": "Gast"}
    )
    url = reverse("bijeenkomsten:gast-bevestigen", args=[bijeenkomst.slug, token])
    assert "Workshop B" in client.get(url).content.decode()

    client.post(url, {f"sessie_{ronde.pk}": b.pk})

    assert SessieKeuze.objects.get(aanmelding__email="gast@example.org").deelsessie == b


def test_the_personal_link_shows_the_choice_and_changes_it(client):
    bijeenkomst = BijeenkomstFactory()
    ronde, (a, b, _c) = programma_met_ronde(bijeenkomst)
    aanmelding = with_link(
        services.register(bijeenkomst=bijeenkomst, email="p@example.org", naam="P", sessies=[a])
    )
    page = client.get(reverse("bijeenkomsten:aanmelding", args=[aanmelding.token]))
    assert "Je deelsessies" in page.content.decode()
    assert "Workshop A" in page.content.decode()

    client.post(
        reverse("bijeenkomsten:sessie-wijzigen", args=[aanmelding.token, ronde.pk]),
        {f"ronde{ronde.pk}-sessie_{ronde.pk}": b.pk},
    )

    assert SessieKeuze.objects.get(aanmelding=aanmelding, status=K.BEVESTIGD).deelsessie == b


def test_a_change_to_a_ronde_of_another_bijeenkomst_is_not_found(client):
    bijeenkomst = BijeenkomstFactory()
    _ronde, (a, *_rest) = programma_met_ronde(bijeenkomst)
    other_ronde, (elsewhere, *_others) = programma_met_ronde(BijeenkomstFactory())
    aanmelding = with_link(
        services.register(bijeenkomst=bijeenkomst, email="p@example.org", naam="P", sessies=[a])
    )
    response = client.post(
        reverse("bijeenkomsten:sessie-wijzigen", args=[aanmelding.token, other_ronde.pk]),
        {f"ronde{other_ronde.pk}-sessie_{other_ronde.pk}": elsewhere.pk},
    )
    assert response.status_code == 404
    assert SessieKeuze.objects.get(aanmelding=aanmelding).deelsessie == a


def test_someone_elses_session_choice_cannot_be_claimed_or_withdrawn(client):
    bijeenkomst = BijeenkomstFactory()
    _ronde, (a, *_rest) = programma_met_ronde(bijeenkomst, capaciteiten=(1,))
    mine = with_link(services.register(bijeenkomst=bijeenkomst, email="m@example.org", naam="M"))
    theirs = services.register(
        bijeenkomst=bijeenkomst, email="t@example.org", naam="T", sessies=[a]
    )
    keuze = theirs.sessiekeuzes.get()
    for name in ("sessie-claimen", "sessie-intrekken"):
        response = client.post(reverse(f"bijeenkomsten:{name}", args=[mine.token, keuze.pk]))
        assert response.status_code == 404
    keuze.refresh_from_db()
    assert keuze.status == K.BEVESTIGD


def test_the_programme_is_edited_by_whoever_may_edit_the_bijeenkomst():
    bijeenkomst = BijeenkomstFactory()
    assert can_edit_programme(make_coordinator(), bijeenkomst)
    assert not can_edit_programme(PersoonFactory(), bijeenkomst)


@pytest.fixture
def dag_met_deelnemers():
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    _ronde, (a, b, _c) = programma_met_ronde(bijeenkomst, capaciteiten=(1, 5, 5))
    anna = services.register(
        bijeenkomst=bijeenkomst, email="anna@example.org", naam="Anna in A", sessies=[a]
    )
    bert = services.register(
        bijeenkomst=bijeenkomst, email="bert@example.org", naam="Bert in B", sessies=[b]
    )
    wacht = services.register(
        bijeenkomst=bijeenkomst, email="wim@example.org", naam="Wim wacht op A", sessies=[a]
    )
    return bijeenkomst, a, b, (anna, bert, wacht)


def test_the_door_list_filters_by_deelsessie(client, dag_met_deelnemers):
    bijeenkomst, a, b, _people = dag_met_deelnemers
    client.force_login(make_coordinator())
    url = reverse("bijeenkomsten:aanwezigheid", args=[bijeenkomst.slug])

    everyone = client.get(url).content.decode()
    only_a = client.get(url, {"sessie": a.pk}).content.decode()
    nonsense = client.get(url, {"sessie": "geen-getal"})

    assert "Anna in A" in everyone
    assert "Bert in B" in everyone
    assert "Anna in A" in only_a
    assert "Bert in B" not in only_a
    assert "Wim wacht op A" not in only_a, "waiting for a session is no place in it"
    assert nonsense.status_code == 200
    assert "Bert in B" in nonsense.content.decode()


def test_the_door_list_asks_as_many_queries_however_many_attendees_have_sessions(
    client, dag_met_deelnemers, django_assert_max_num_queries
):
    bijeenkomst, a, b, _people = dag_met_deelnemers
    client.force_login(make_coordinator())
    url = reverse("bijeenkomsten:aanwezigheid", args=[bijeenkomst.slug])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(10):
        services.register(
            bijeenkomst=bijeenkomst, email=f"extra{n}@example.org", naam=f"Extra {n}", sessies=[b]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_door_list_of_sessions_stays_closed_to_partners(client, dag_met_deelnemers):
    bijeenkomst, a, _b, _people = dag_met_deelnemers
    client.force_login(PersoonFactory())
    url = reverse("bijeenkomsten:aanwezigheid", args=[bijeenkomst.slug])
    assert client.get(url, {"sessie": a.pk}).status_code == 403


def test_the_coordinators_list_and_export_show_the_deelsessies(client, dag_met_deelnemers):
    bijeenkomst, _a, _b, _people = dag_met_deelnemers
    client.force_login(make_coordinator())

    lijst = client.get(reverse("bijeenkomsten:aanmeldingen", args=[bijeenkomst.slug]))
    export = client.get(
        reverse("bijeenkomsten:export", args=[bijeenkomst.slug]),
        {"keuze": "open", "formaat": "csv"},
    )

    assert "Workshop A" in lijst.content.decode()
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Deelsessies" in text
    assert "Workshop B" in text
    assert "Workshop A (op de wachtlijst)" in text


def test_mijn_shows_the_chosen_deelsessies(client):
    bijeenkomst = BijeenkomstFactory()
    _ronde, (a, *_rest) = programma_met_ronde(bijeenkomst)
    persoon = PersoonFactory()
    services.register(
        bijeenkomst=bijeenkomst,
        email=persoon.email,
        naam=persoon.naam,
        persoon=persoon,
        sessies=[a],
    )
    client.force_login(persoon)
    assert "Workshop A" in client.get(reverse("netwerk:mijn")).content.decode()
