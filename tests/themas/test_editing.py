"""Thematrekkers edit their thema page: texts, invalshoeken, the plans and contact people."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.netwerk.factories import PersoonFactory, make_coordinator
from tests.snapshot import changed_tables, snapshot
from tests.themas.factories import ThemaFactory
from themas import services
from themas.models import Contactpersoon, Invalshoek, Thema, ThemaWijziging

pytestmark = pytest.mark.django_db


@pytest.fixture
def thematrekker():
    return PersoonFactory(naam="Thijs Thema", email="thijs@example.org")


@pytest.fixture
def thema(thematrekker):
    return ThemaFactory(naam="Samenwerken", slug="samenwerken", thematrekkers=[thematrekker])


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a request leaves for after its commit (the cache version bumps among it)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def edit_url(thema):
    return reverse("themas:thema-bewerken", kwargs={"slug": thema.slug})


def form_data(actie="opslaan", invalshoeken=(), contacten=(), **overrides):
    """The whole edit form as a browser posts it, with the formsets' management fields."""
    data = {
        "ondertitel": "Verbinden van werelden",
        "inleiding": "Samen **sterker** in de wijk.",
        "wat_gaan_we_doen": "Vragen ophalen\nTools ontwikkelen",
        "actie": actie,
        "invalshoek-TOTAL_FORMS": str(len(invalshoeken)),
        "invalshoek-INITIAL_FORMS": str(sum(1 for row in invalshoeken if row.get("id"))),
        "contact-TOTAL_FORMS": str(len(contacten)),
        "contact-INITIAL_FORMS": str(sum(1 for row in contacten if row.get("id"))),
        **overrides,
    }
    for prefix, rows in (("invalshoek", invalshoeken), ("contact", contacten)):
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


TWO_INVALSHOEKEN = [
    {"titel": "Sociaal-artistiek", "tekst": "Kunst en **zorg**.", "ORDER": "1"},
    {"titel": "Formeel en informeel", "tekst": "Inwoners en organisaties.", "ORDER": "2"},
]
CONTACT = {
    "naam": "Wies Verbinder",
    "rol": "sociaal-artistiek verbinder",
    "email": "wies@example.org",
    "onderwerp": "sociaal-artistiek samenwerken",
    "toestemming": "on",
    "ORDER": "1",
}


# --- who may edit -------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_log_in_and_nothing_changes(client, thema):
    before = snapshot()
    response = client.post(edit_url(thema), form_data())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not changed_tables(before, snapshot())


@pytest.mark.parametrize("who", ["partner", "thematrekker of another thema"])
def test_someone_who_does_not_lead_the_thema_gets_403_and_nothing_changes(client, thema, who):
    persoon = PersoonFactory()
    if who != "partner":
        ThemaFactory(thematrekkers=[persoon])
    client.force_login(persoon)
    assert client.get(edit_url(thema)).status_code == 403
    before = snapshot()
    assert client.post(edit_url(thema), form_data(inleiding="Gekaapt")).status_code == 403
    assert not changed_tables(before, snapshot())
    assert Thema.objects.get(pk=thema.pk).inleiding == ""


def test_a_coordinator_may_edit_every_thema(client, thema):
    client.force_login(make_coordinator())
    assert client.get(edit_url(thema)).status_code == 200
    assert client.post(edit_url(thema), form_data()).status_code == 302


# --- what editing does --------------------------------------------------------------------


def test_the_thematrekker_saves_texts_invalshoeken_and_a_contact_with_history(
    client, thema, thematrekker
):
    client.force_login(thematrekker)
    response = client.post(
        edit_url(thema), form_data(invalshoeken=TWO_INVALSHOEKEN, contacten=[CONTACT])
    )

    assert response.status_code == 302
    thema.refresh_from_db()
    assert thema.inleiding_html == "<p>Samen <strong>sterker</strong> in de wijk.</p>"
    assert thema.activiteiten == ["Vragen ophalen", "Tools ontwikkelen"]
    assert [(i.titel, i.tekst_html) for i in thema.invalshoeken.all()] == [
        ("Sociaal-artistiek", "<p>Kunst en <strong>zorg</strong>.</p>"),
        ("Formeel en informeel", "<p>Inwoners en organisaties.</p>"),
    ]
    contact = thema.contactpersonen.get()
    assert contact.toestemming
    assert contact.toestemming_door == thematrekker
    assert contact.toestemming_op is not None
    wijziging = ThemaWijziging.objects.get()
    assert wijziging.door == thematrekker
    changed = {(regel["onderdeel"], regel["veld"]) for regel in wijziging.wijzigingen}
    assert ("", "inleiding") in changed
    assert ("Invalshoek: Sociaal-artistiek", "tekst") in changed
    assert ("Contactpersoon: Wies Verbinder", "e-mailadres") in changed

    page = client.get(edit_url(thema))
    assert "Geschiedenis" in page.text
    assert "Thijs Thema" in page.text


def test_reordering_and_removing_invalshoeken_is_recorded(thema, thematrekker):
    services.edit_thema(
        thema=thema,
        door=thematrekker,
        ondertitel="",
        inleiding="",
        wat_gaan_we_doen="",
        invalshoeken=[services.InvalshoekInvoer(titel=f"Hoek {n}", tekst="") for n in (1, 2, 3)],
    )
    eerste, tweede, derde = thema.invalshoeken.all()
    client = Client()
    client.force_login(thematrekker)
    rows = [
        {"id": eerste.pk, "titel": "Hoek 1", "tekst": "", "ORDER": "2"},
        {"id": tweede.pk, "titel": "Hoek 2", "tekst": "", "ORDER": "3", "DELETE": "on"},
        {"id": derde.pk, "titel": "Hoek 3", "tekst": "", "ORDER": "1"},
    ]
    assert client.post(edit_url(thema), form_data(invalshoeken=rows)).status_code == 302

    assert list(thema.invalshoeken.values_list("titel", flat=True)) == ["Hoek 3", "Hoek 1"]
    laatste = ThemaWijziging.objects.first()
    assert any(r["onderdeel"] == "Invalshoek: Hoek 2" for r in laatste.wijzigingen)


def test_an_invalshoek_of_another_thema_cannot_be_changed_through_this_one(
    client, thema, thematrekker
):
    ander = ThemaFactory()
    vreemd = Invalshoek.objects.create(thema=ander, titel="Van een ander", tekst="")
    client.force_login(thematrekker)
    rows = [{"id": vreemd.pk, "titel": "Overgenomen", "tekst": "", "ORDER": "1"}]

    response = client.post(edit_url(thema), form_data(invalshoeken=rows))

    assert response.status_code == 400
    assert Invalshoek.objects.get(pk=vreemd.pk).titel == "Van een ander"
    assert not ThemaWijziging.objects.exists()


def test_the_preview_shows_the_rendered_text_and_saves_nothing(client, thema, thematrekker):
    client.force_login(thematrekker)
    before = snapshot()

    response = client.post(
        edit_url(thema), form_data(actie="voorbeeld", invalshoeken=TWO_INVALSHOEKEN)
    )

    assert response.status_code == 200
    assert "<strong>sterker</strong>" in response.text
    assert "Kunst en <strong>zorg</strong>." in response.text
    assert "Dit is nog niet opgeslagen." in response.text
    assert not changed_tables(before, snapshot())


def test_markdown_is_sanitised_no_script_ever_reaches_the_page(client, thema, thematrekker):
    client.force_login(thematrekker)
    evil = "<script>alert(1)</script> [x](javascript:alert(1))"
    rows = [{"titel": "Hoek", "tekst": evil, "ORDER": "1"}]

    preview = client.post(
        edit_url(thema), form_data(actie="voorbeeld", inleiding=evil, invalshoeken=rows)
    )
    client.post(edit_url(thema), form_data(inleiding=evil, invalshoeken=rows))
    page = Client().get(thema.get_absolute_url())

    for response in (preview, page):
        assert "<script>" not in response.text
        assert 'href="javascript' not in response.text
    thema.refresh_from_db()
    assert "<script>" not in thema.inleiding_html


def test_a_visitor_sees_the_new_text_at_once(client, thema, thematrekker, on_commit):
    visitor = Client()
    assert "Nieuwe inleiding" not in visitor.get(thema.get_absolute_url()).text
    assert "Nieuwe inleiding" not in visitor.get(thema.get_absolute_url()).text  # now cached

    client.force_login(thematrekker)
    on_commit(client.post, edit_url(thema), form_data(inleiding="Nieuwe inleiding"))

    assert "Nieuwe inleiding" in visitor.get(thema.get_absolute_url()).text


# --- consent ------------------------------------------------------------------------------


def test_a_contact_is_shown_only_with_consent(client, thema, thematrekker):
    zonder = {**CONTACT, "naam": "Zonder Toestemming", "email": "zonder@example.org"}
    del zonder["toestemming"]
    client.force_login(thematrekker)
    client.post(edit_url(thema), form_data(contacten=[CONTACT, zonder]))

    page = Client().get(thema.get_absolute_url()).text

    assert "Wies Verbinder" in page
    assert "mailto:wies@example.org" in page
    assert "sociaal-artistiek verbinder" in page
    assert "Zonder Toestemming" not in page
    assert "zonder@example.org" not in page
    assert Contactpersoon.objects.get(naam="Zonder Toestemming").toestemming_door is None


def test_a_portal_person_with_a_hidden_profile_is_not_shown_even_with_consent(thema, thematrekker):
    verborgen = PersoonFactory(naam="Vera Verborgen", profiel_zichtbaar=False)
    zichtbaar = PersoonFactory(naam="Zara Zichtbaar", profiel_zichtbaar=True)
    services.edit_thema(
        thema=thema,
        door=thematrekker,
        ondertitel="",
        inleiding="",
        wat_gaan_we_doen="",
        contactpersonen=[
            services.ContactInvoer(persoon=verborgen, rol="onderzoeker", toestemming=True),
            services.ContactInvoer(persoon=zichtbaar, rol="onderzoeker", toestemming=True),
        ],
    )

    page = Client().get(thema.get_absolute_url()).text

    assert "Zara Zichtbaar" in page
    assert zichtbaar.email in page
    assert "Vera Verborgen" not in page
    assert verborgen.email not in page


def test_a_contact_needs_a_portal_person_or_a_name(client, thema, thematrekker):
    client.force_login(thematrekker)
    naamloos = {**CONTACT, "naam": ""}
    response = client.post(edit_url(thema), form_data(contacten=[naamloos]))
    assert response.status_code == 400
    assert "Kies een persoon van het portaal of vul een naam in." in response.text
    assert not Contactpersoon.objects.exists()


# --- the public page ----------------------------------------------------------------------


def test_the_thema_page_reads_invalshoeken_and_contacts_in_fixed_queries(
    client, thema, thematrekker, django_assert_max_num_queries
):
    def fill(count):
        services.edit_thema(
            thema=thema,
            door=thematrekker,
            ondertitel="",
            inleiding="",
            wat_gaan_we_doen="",
            invalshoeken=[
                services.InvalshoekInvoer(titel=f"Hoek {n}", tekst="") for n in range(count)
            ],
            contactpersonen=[
                services.ContactInvoer(
                    persoon=PersoonFactory(profiel_zichtbaar=True), toestemming=True
                )
                for n in range(count)
            ],
        )

    fill(1)
    client.force_login(thematrekker)
    with django_assert_max_num_queries(40) as few:
        client.get(thema.get_absolute_url())
    Invalshoek.objects.all().delete()
    Contactpersoon.objects.all().delete()
    fill(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(thema.get_absolute_url())
    assert response.text.count("Hoek ") >= 8


def test_the_edit_link_is_shown_to_the_thematrekker_only(client, thema, thematrekker):
    url = edit_url(thema)
    assert url not in Client().get(thema.get_absolute_url()).text
    other = Client()
    other.force_login(PersoonFactory())
    assert url not in other.get(thema.get_absolute_url()).text
    client.force_login(thematrekker)
    assert url in client.get(thema.get_absolute_url()).text
    assert url in client.get(reverse("netwerk:mijn")).text
