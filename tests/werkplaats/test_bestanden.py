"""A file is taken by what it contains: a clean PDF or OOXML file, of the kind its name
says, small enough, with nothing that runs. Anything else gets a Dutch reason."""

import io
import zipfile

import pytest

from tests.kennisbank.factories import ooxml_bytes, pdf_bytes, upload
from werkplaats.bestanden import BestandGeweigerd, check_bestand


def test_a_pdf_is_taken_with_its_text_for_the_search():
    checked = check_bestand(upload("rapport.pdf", pdf_bytes("Energiearmoede in Arnhem")))
    assert checked.type == "pdf"
    assert "Energiearmoede in Arnhem" in checked.tekst


@pytest.mark.parametrize("kind", ["docx", "pptx", "xlsx"])
def test_office_open_xml_files_are_taken_by_their_main_part(kind):
    assert check_bestand(upload(f"toolbox.{kind}", ooxml_bytes(kind))).type == kind


def test_the_words_of_a_docx_are_taken_for_the_search_a_line_per_paragraph():
    checked = check_bestand(
        upload("draaiboek.docx", ooxml_bytes("docx", text="Draaiboek wijkavond\nEen & twee"))
    )
    assert checked.tekst == "Draaiboek wijkavond\nEen & twee"


def test_the_slides_of_a_pptx_are_read_in_their_numbered_order():
    checked = check_bestand(
        upload("toolbox.pptx", ooxml_bytes("pptx", text="Verkennen\nVormgeven\nVerdiepen"))
    )
    assert checked.tekst.splitlines() == ["Verkennen", "Vormgeven", "Verdiepen"]


def test_the_cell_texts_of_an_xlsx_are_taken_for_the_search():
    checked = check_bestand(upload("cijfers.xlsx", ooxml_bytes("xlsx", text="Energiearmoede")))
    assert checked.tekst == "Energiearmoede"


def test_an_office_file_whose_xml_declares_entities_is_refused():
    """A DTD in a part is how an XML bomb ('billion laughs') starts: never expanded."""
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><d><t>&b;</t></d>',
        )
    with pytest.raises(BestandGeweigerd, match="beschadigd"):
        check_bestand(upload("draaiboek.docx", bomb.getvalue()))


def test_a_pdf_that_runs_javascript_is_refused():
    with pytest.raises(BestandGeweigerd, match="JavaScript"):
        check_bestand(upload("rapport.pdf", pdf_bytes(javascript="app.alert(1)")))


def test_an_office_file_with_macros_is_refused():
    with pytest.raises(BestandGeweigerd, match="macro"):
        check_bestand(upload("draaiboek.docx", ooxml_bytes("docx", macro=True)))


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = ooxml_bytes("docx", padding=60 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(BestandGeweigerd, match="pakt uit"):
        check_bestand(upload("draaiboek.docx", bomb))


def test_a_name_that_lies_about_the_content_is_refused():
    with pytest.raises(BestandGeweigerd, match=r"heet \.docx, maar het is een PDF"):
        check_bestand(upload("draaiboek.docx", pdf_bytes()))


@pytest.mark.parametrize(
    "data",
    [b"MZ\x90\x00 a windows program", b"<html><script>alert(1)</script></html>", b""],
    ids=["program", "html", "empty"],
)
def test_anything_else_is_refused_whatever_its_name(data):
    with pytest.raises(BestandGeweigerd, match="geen PDF, DOCX, PPTX of XLSX"):
        check_bestand(upload("rapport.pdf", data))


def test_a_damaged_pdf_is_refused_with_a_reason():
    with pytest.raises(BestandGeweigerd, match="beschadigd"):
        check_bestand(upload("rapport.pdf", b"%PDF-1.4\n" + b"\xff" * 200))


def test_a_file_over_the_limit_is_refused(settings):
    settings.KENNISBANK_MAX_BESTAND = 15 * 1024 * 1024
    groot = pdf_bytes() + b"\n%" + b"0" * (20 * 1024 * 1024)
    with pytest.raises(BestandGeweigerd, match="te groot: hoogstens 15 MB"):
        check_bestand(upload("rapport.pdf", groot))
