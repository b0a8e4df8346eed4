"""Checking an uploaded file by what it contains, not by its name, and handing it out.

The one upload path of the portal for documents: a kennisproduct's file, a verslag's slides
and the materials of a programme item all go through `check_bestand`, are kept outside
MEDIA_ROOT (the "kennisbank" storage), and come back only through `download_response`.

A kennisproduct may carry a PDF or an Office Open XML file (DOCX, PPTX, XLSX). The type is
read from the bytes: a PDF starts with `%PDF-` and must open with pypdf; an OOXML file is a
zip with `[Content_Types].xml` and the main part of its kind. What could run on a reader's
machine is refused (JavaScript or launch actions in a PDF, macros in an Office file), and
so is a zip that unpacks to far more than it weighs (a zip bomb). The name's suffix must
agree with the content, so nobody is surprised by what they open. The text of a PDF, a
DOCX and a PPTX (and the cell texts of an XLSX) is extracted here, once, for the search.
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from werkplaats.exceptions import RuleViolation

# What the search keeps of a PDF's text; enough for any report, bounded for the index.
MAX_TEXT_LENGTH = 200_000
MAX_PDF_PAGES = 2_000
# An OOXML file unpacks to a few times its size; a hundredfold is no document.
MAX_ZIP_RATIO = 100
MAX_ZIP_UNPACKED = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "pptx": "ppt/presentation.xml",
    "xlsx": "xl/workbook.xml",
}
# Where the words of each kind are: the body, then headers and footers, of a document; the
# slides (and their notes) of a presentation in their order; the shared strings of a workbook.
_OOXML_TEXT_PARTS = {
    "docx": re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml"),
    "pptx": re.compile(r"ppt/(slides/slide|notesSlides/notesSlide)(\d+)\.xml"),
    "xlsx": re.compile(r"xl/sharedStrings\.xml"),
}
# The elements that hold text (w:t, a:t, and a spreadsheet's t) and those that end a line.
_OOXML_TEXT_TAGS = {"t"}
_OOXML_LINE_TAGS = {"p", "si", "tr"}
# Keys of PDF dictionaries that run something when the file is opened or clicked.
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles"}
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute"}


def download_response(field_file, *, filename: str, soort: str, private: bool) -> FileResponse:
    """A checked file under a name the caller makes (never a path from the request), of the
    type its check found (`soort`), always as an attachment and never sniffed into something
    else; `private` for one not everyone may see, which no cache keeps."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.{soort}",
        content_type=CONTENT_TYPES.get(soort, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


class BestandGeweigerd(RuleViolation):
    """The file is not one the kennisbank takes; the message says why."""


@dataclass(frozen=True)
class GecontroleerdBestand:
    type: str
    grootte: int
    tekst: str


def check_bestand(upload) -> GecontroleerdBestand:
    """The checked type, size and (for a PDF) text of `upload`, or BestandGeweigerd."""
    maximum = settings.KENNISBANK_MAX_BESTAND
    if upload.size > maximum:
        raise BestandGeweigerd(
            _("Het bestand is te groot: hoogstens %(max)s MB, dit is %(size)s MB.")
            % {"max": round(maximum / 1024 / 1024), "size": round(upload.size / 1024 / 1024, 1)}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        soort, tekst = "pdf", _check_pdf(upload)
    elif head.startswith(b"PK\x03\x04"):
        soort, tekst = _check_ooxml(upload)
    else:
        raise BestandGeweigerd(
            _("Dit bestand is geen PDF, DOCX, PPTX of XLSX. Sla het op in een van die vormen.")
        )
    suffix = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
    if suffix != soort:
        raise BestandGeweigerd(
            _("Het bestand heet .%(suffix)s, maar het is een %(type)s-bestand.")
            % {"suffix": suffix or "…", "type": soort.upper()}
        )
    upload.seek(0)
    return GecontroleerdBestand(type=soort, grootte=upload.size, tekst=tekst)


def _check_pdf(upload) -> str:
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise BestandGeweigerd(_("De PDF is met een wachtwoord beveiligd."))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise BestandGeweigerd(
                _("De PDF heeft meer dan %(max)s pagina's.") % {"max": MAX_PDF_PAGES}
            )
        if _pdf_is_active(reader):
            raise BestandGeweigerd(
                _(
                    "De PDF bevat JavaScript, een ingesloten bestand of een opdracht die bij "
                    "het openen iets uitvoert. Sla hem opnieuw op als gewone PDF."
                )
            )
        return _pdf_text(reader)
    except BestandGeweigerd:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise BestandGeweigerd(
            _("De PDF kan niet worden gelezen; hij lijkt beschadigd.")
        ) from error


def _pdf_objects(reader):
    """Every indirect object of the file, the ones inside object streams included."""
    for generation, objects in reader.xref.items():
        for number in objects:
            yield reader.get_object(IndirectObject(number, generation, reader))
    for number in reader.xref_objStm:
        yield reader.get_object(IndirectObject(number, 0, reader))


def _pdf_is_active(reader) -> bool:
    for obj in _pdf_objects(reader):
        for dictionary in _dictionaries(obj):
            if _PDF_ACTIVE_KEYS & set(dictionary.keys()):
                return True
            if dictionary.get("/S") in _PDF_ACTIVE_ACTIONS:
                return True
    return False


def _dictionaries(obj):
    """`obj` and the dictionaries directly inside it (arrays of them, a stream's own)."""
    if isinstance(obj, DictionaryObject):
        yield obj
        for value in obj.values():
            if isinstance(value, DictionaryObject):
                yield value
    elif isinstance(obj, ArrayObject):
        for value in obj:
            if isinstance(value, DictionaryObject):
                yield value


def _pdf_text(reader) -> str:
    parts, length = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        if length >= MAX_TEXT_LENGTH:
            break
    return "\n".join(parts)[:MAX_TEXT_LENGTH].replace("\x00", "")


def _check_ooxml(upload) -> str:
    try:
        archive = zipfile.ZipFile(upload)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise BestandGeweigerd(
            _("Het bestand kan niet worden gelezen; het lijkt beschadigd.")
        ) from error
    names = {entry.filename for entry in entries}
    unpacked = sum(entry.file_size for entry in entries)
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or unpacked > MAX_ZIP_UNPACKED
        or unpacked > MAX_ZIP_RATIO * max(upload.size, 1)
    ):
        raise BestandGeweigerd(
            _("Het bestand pakt uit tot veel meer dan het weegt; zo'n bestand nemen we niet aan.")
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise BestandGeweigerd(_("Het bestand is met een wachtwoord beveiligd."))
    soort = next((soort for soort, part in _OOXML_MAIN_PART.items() if part in names), None)
    if "[Content_Types].xml" not in names or soort is None:
        raise BestandGeweigerd(
            _("Dit bestand is geen PDF, DOCX, PPTX of XLSX. Sla het op in een van die vormen.")
        )
    content_types = archive.read("[Content_Types].xml")
    if any(name.lower().endswith("vbaproject.bin") for name in names) or (
        b"macroEnabled" in content_types
    ):
        raise BestandGeweigerd(
            _("Het bestand bevat macro's. Sla het op zonder macro's (.docx, .pptx of .xlsx).")
        )
    return soort, _ooxml_text(archive, soort)


def _ooxml_text(archive: zipfile.ZipFile, soort: str) -> str:
    """The words of the file's text parts, a line per paragraph, bounded like a PDF's."""
    pattern = _OOXML_TEXT_PARTS[soort]
    parts = [name for name in archive.namelist() if pattern.fullmatch(name)]
    parts.sort(key=_part_order)
    lines, length = [], 0
    try:
        for name in parts:
            with archive.open(name) as part:
                line = []
                for _event, element in iterparse(part, events=("end",), forbid_dtd=True):
                    tag = element.tag.rsplit("}", 1)[-1]
                    if tag in _OOXML_TEXT_TAGS and element.text:
                        line.append(element.text)
                        length += len(element.text)
                    elif tag in _OOXML_LINE_TAGS and line:
                        lines.append("".join(line))
                        line = []
                    # Each element is done with once it has ended: memory stays flat.
                    element.clear()
                    if length >= MAX_TEXT_LENGTH:
                        break
                if line:
                    lines.append("".join(line))
            if length >= MAX_TEXT_LENGTH:
                break
    except (DefusedXmlException, SyntaxError, zipfile.BadZipFile, OSError) as error:
        # ElementTree's ParseError is a SyntaxError; a DTD or entity is refused as such.
        raise BestandGeweigerd(
            _("Het bestand kan niet worden gelezen; het lijkt beschadigd.")
        ) from error
    return "\n".join(lines)[:MAX_TEXT_LENGTH].replace("\x00", "")


def _part_order(name: str) -> tuple:
    """The document body before its headers; slide 2 before slide 10."""
    number = re.search(r"(\d+)\.xml$", name)
    return (
        not name.endswith("document.xml"),
        "notesSlide" in name,
        int(number.group(1)) if number else 0,
        name,
    )
