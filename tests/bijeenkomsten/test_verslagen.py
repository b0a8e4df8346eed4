"""The verslag after a bijeenkomst (who writes it, attendance from the check-in, published
only once it is over, drafts for its writers only) and the bewijs van deelname."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bijeenkomsten import bewijs, services
from bijeenkomsten.models import Aanmelding, SessieKeuze, Verslag
from bijeenkomsten.permissions import can_write_verslag
from tests.bijeenkomsten.factories import (
    AanmeldingFactory,
    BijeenkomstFactory,
    programma_met_ronde,
)
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def voorbij():
    start = timezone.now() - timedelta(days=3)
    return BijeenkomstFactory(slug="voorbij", start=start, eind=start + timedelta(hours=2))


def _present(bijeenkomst, **kwargs):
    return AanmeldingFactory(bijeenkomst=bijeenkomst, aanwezig_op=timezone.now(), **kwargs)


def _post(client, bijeenkomst, **data):
    return client.post(
        reverse("bijeenkomsten:verslag-schrijven", args=[bijeenkomst.slug]),
        {"geleerde_lessen": "", **data},
    )


def test_the_attendance_of_a_verslag_comes_from_the_check_in(voorbij):
    gemeente = OrganisatieFactory(soort="gemeente")
    wijkteam = OrganisatieFactory(soort="wijkteam")
    for organisatie in (gemeente, gemeente, wijkteam):
        _present(voorbij, persoon=PersoonFactory(organisatie=organisatie))
    AanmeldingFactory(bijeenkomst=voorbij)  # no-show
    AanmeldingFactory(
        bijeenkomst=voorbij, status=Aanmelding.Status.WACHTLIJST, wachtlijst_volgorde=1
    )
    verslag = services.save_verslag(
        bijeenkomst=voorbij, door=make_coordinator(), geleerde_lessen="**Samen** leren"
    )
    assert (verslag.aantal_aangemeld, verslag.aantal_aanwezig, verslag.aantal_niet_verschenen) == (
        4,
        3,
        1,
    )
    assert verslag.organisaties_per_soort == {"gemeente": 1, "wijkteam": 1}
    assert "<strong>Samen</strong>" in verslag.geleerde_lessen_html


def test_the_verslag_counts_registered_and_present_per_deelsessie(client, voorbij):
    ronde, (workshop_a, workshop_b, workshop_c) = programma_met_ronde(voorbij)
    keuzes = [(workshop_a, True), (workshop_a, True), (workshop_a, False), (workshop_b, False)]
    for sessie, aanwezig in keuzes:
        aanmelding = _present(voorbij) if aanwezig else AanmeldingFactory(bijeenkomst=voorbij)
        SessieKeuze.objects.create(
            aanmelding=aanmelding,
            deelsessie=sessie,
            ronde=ronde,
            status=SessieKeuze.Status.BEVESTIGD,
            gekozen_op=voorbij.start,
        )
    # Neither who left a session nor who only waited for one counts for it.
    for status in (SessieKeuze.Status.GEANNULEERD, SessieKeuze.Status.WACHTLIJST):
        SessieKeuze.objects.create(
            aanmelding=_present(voorbij),
            deelsessie=workshop_c,
            ronde=ronde,
            status=status,
            wachtlijst_volgorde=1 if status == SessieKeuze.Status.WACHTLIJST else None,
            gekozen_op=voorbij.start,
        )

    verslag = services.save_verslag(
        bijeenkomst=voorbij, door=make_coordinator(), geleerde_lessen="", publiceren=True
    )

    assert verslag.aanwezigheid_per_sessie == [
        {"ronde": "Ronde 1", "titel": "Workshop A", "aangemeld": 3, "aanwezig": 2},
        {"ronde": "Ronde 1", "titel": "Workshop B", "aangemeld": 1, "aanwezig": 0},
        {"ronde": "Ronde 1", "titel": "Workshop C", "aangemeld": 0, "aanwezig": 0},
    ]
    page = client.get(voorbij.get_absolute_url()).text
    assert "Aanwezigheid per deelsessie" in page
    assert "Workshop A" in page


def test_a_verslag_cannot_be_published_before_the_bijeenkomst_is_over():
    komend = BijeenkomstFactory()
    with pytest.raises(services.VerslagError):
        services.save_verslag(
            bijeenkomst=komend, door=make_coordinator(), geleerde_lessen="x", publiceren=True
        )
    assert not Verslag.objects.exists()


def test_a_trekker_of_a_linked_leeratelier_may_write_the_verslag_and_others_may_not(voorbij):
    trekker, ander = PersoonFactory(), PersoonFactory()
    atelier = LeeratelierFactory()
    atelier.trekkers.add(trekker)
    voorbij.leerateliers.add(atelier)
    assert can_write_verslag(trekker, voorbij)
    assert can_write_verslag(make_coordinator(), voorbij)
    assert not can_write_verslag(ander, voorbij)


def test_a_draft_verslag_is_shown_only_to_its_writers_and_a_published_one_to_everyone(
    client, voorbij, django_capture_on_commit_callbacks
):
    coordinator = make_coordinator()
    services.save_verslag(bijeenkomst=voorbij, door=coordinator, geleerde_lessen="Geheime les")
    assert "Geheime les" not in client.get(voorbij.get_absolute_url()).content.decode()
    client.force_login(PersoonFactory())
    assert "Geheime les" not in client.get(voorbij.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    assert "Geheime les" in client.get(voorbij.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.save_verslag(
            bijeenkomst=voorbij, door=coordinator, geleerde_lessen="Geheime les", publiceren=True
        )
    client.logout()
    assert "Geheime les" in client.get(voorbij.get_absolute_url()).content.decode()


def test_writing_the_verslag_through_the_form_publishes_it(client, voorbij):
    client.force_login(make_coordinator())
    response = _post(client, voorbij, geleerde_lessen="# Les\n\nGoed", publiceren="on")
    assert response.status_code == 302
    assert Verslag.objects.get().is_gepubliceerd


def test_someone_who_may_not_write_the_verslag_gets_403_and_nothing_changes(client, voorbij):
    client.force_login(PersoonFactory())
    assert (
        client.get(reverse("bijeenkomsten:verslag-schrijven", args=[voorbij.slug])).status_code
        == 403
    )
    assert _post(client, voorbij, geleerde_lessen="x").status_code == 403
    assert not Verslag.objects.exists()


def test_a_verslag_of_an_unknown_bijeenkomst_is_404(client):
    client.force_login(make_coordinator())
    assert (
        client.get(reverse("bijeenkomsten:verslag-schrijven", args=["nergens"])).status_code == 404
    )


def test_a_file_that_is_no_pdf_or_pptx_is_refused_with_a_dutch_error(client, voorbij):
    client.force_login(make_coordinator())
    upload = SimpleUploadedFile("dia.pdf", b"<script>alert(1)</script>", "application/pdf")
    response = _post(client, voorbij, geleerde_lessen="x", bestand=upload)
    assert response.status_code == 400
    assert "geen PDF" in response.content.decode()
    assert not Verslag.objects.exists()


def test_publishing_before_the_end_through_the_form_shows_the_rule(client):
    komend = BijeenkomstFactory()
    client.force_login(make_coordinator())
    response = _post(client, komend, geleerde_lessen="x", publiceren="on")
    assert response.status_code == 400
    assert "voorbij" in response.content.decode()
    assert not Verslag.objects.exists()


# Bewijs van deelname


def test_a_present_attendee_downloads_a_certificate_with_name_date_and_a_verification_url(
    client, voorbij
):
    persoon = PersoonFactory(naam="Anna de Vries")
    aanmelding = _present(voorbij, persoon=persoon, naam=persoon.naam, email=persoon.email)
    client.force_login(persoon)
    response = client.get(reverse("bijeenkomsten:eigen-bewijs", args=[aanmelding.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Anna de Vries" in text
    assert voorbij.titel in text
    assert "2 uur" in text
    code = bewijs.code_for(aanmelding)
    assert code in text.replace("\n", "")
    client.logout()
    check = client.get(reverse("bijeenkomsten:bewijs-controle", args=[code]))
    assert check.status_code == 200
    page = check.content.decode()
    assert "echt" in page
    assert voorbij.titel in page
    assert "Anna" not in page


def test_the_personal_link_gives_the_certificate_without_an_account(client, voorbij):
    aanmelding = _present(voorbij)
    response = client.get(reverse("bijeenkomsten:aanmelding-bewijs", args=[aanmelding.token]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_no_certificate_for_who_was_not_present_or_before_the_end_or_for_someone_else(
    client, voorbij
):
    absent = AanmeldingFactory(bijeenkomst=voorbij)
    assert (
        client.get(reverse("bijeenkomsten:aanmelding-bewijs", args=[absent.token])).status_code
        == 404
    )
    komend = _present(BijeenkomstFactory())
    assert (
        client.get(reverse("bijeenkomsten:aanmelding-bewijs", args=[komend.token])).status_code
        == 404
    )
    other = _present(voorbij)
    client.force_login(PersoonFactory())
    assert client.get(reverse("bijeenkomsten:eigen-bewijs", args=[other.pk])).status_code == 404


def test_a_made_up_or_altered_verification_code_is_not_genuine(client, voorbij):
    aanmelding = _present(voorbij)
    code = bewijs.code_for(aanmelding)
    other_pk = str(aanmelding.pk + 1) + code[len(str(aanmelding.pk)) :]
    for fake in ("123:abc", other_pk, "x" * 60):
        response = client.get(reverse("bijeenkomsten:bewijs-controle", args=[fake]))
        assert response.status_code == 404
        assert "niet bekend" in response.content.decode()


def test_slides_as_a_pdf_are_kept_and_downloaded_by_who_may_read_the_verslag(client, voorbij):
    pdf = bewijs.certificate_pdf(_present(voorbij), verification_url="https://example.org/x")
    client.force_login(make_coordinator())
    upload = SimpleUploadedFile("dias.pdf", pdf, "application/pdf")
    assert _post(client, voorbij, geleerde_lessen="x", bestand=upload).status_code == 302
    verslag = Verslag.objects.get()
    assert verslag.bestand.name.startswith("verslagen/")
    url = reverse("bijeenkomsten:verslag-bestand", args=[voorbij.slug])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.logout()
    assert client.get(url).status_code == 404  # a draft's slides are the writers' only


def test_no_certificate_for_a_cancelled_bijeenkomst(client, voorbij):
    aanmelding = _present(voorbij)
    voorbij.status = voorbij.Status.GEANNULEERD
    voorbij.save()
    assert (
        client.get(reverse("bijeenkomsten:aanmelding-bewijs", args=[aanmelding.token])).status_code
        == 404
    )
    response = client.get(
        reverse("bijeenkomsten:bewijs-controle", args=[bewijs.code_for(aanmelding)])
    )
    assert response.status_code == 404
