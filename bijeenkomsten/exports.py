"""Lists of attendees as CSV or XLSX, for the venue and the coördinatoren.

Every text cell a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage
return at the start) gets a leading apostrophe, in both formats: a name like
`=HYPERLINK(…)` typed into the registration form stays text. Rows are read with an
iterator and written as they come, so a list of thousands stays small in memory.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from bijeenkomsten.models import Aanmelding, Vraag

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"  # what Excel in a Dutch locale reads as columns
CSV_CHUNK_ROWS = 200
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMN_WIDTHS = (28, 32, 28, 22, 24, 24, 16, 18, 24, 18, 30, 12)


def neutralise(value: str) -> str:
    """Text a spreadsheet shows as text, never evaluates."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def header(vragen: Iterable[Vraag] = ()) -> list[str]:
    """The columns; after the fixed ones, one per question of the registration form (its
    text: the import reads such a column back into answers)."""
    return [
        _("Naam"),
        _("E-mailadres"),
        _("Organisatie"),
        _("Functie"),
        _("Dieetwensen"),
        _("Toegankelijkheid"),
        _("Status"),
        _("Aanwezig"),
        _("Boven capaciteit"),
        _("Aangemeld op"),
        _("Bron"),
        _("Plaats op de wachtlijst"),
        _("Deelsessies"),
        *(vraag.tekst for vraag in vragen),
    ]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def rows(aanmeldingen: Iterable[Aanmelding], vragen: Iterable[Vraag] = ()) -> Iterator[list[str]]:
    """One row per registration; `positie` (the place on the wachtlijst) is the annotation
    of `selectors.voor_export()`, as are the answers (`antwoord_<pk>`), so a long list takes no
    query per row. An answer of several choices is one cell, the choices separated by
    "; " (which the import splits again)."""
    vragen = list(vragen)
    for aanmelding in aanmeldingen:
        positie = getattr(aanmelding, "positie", None)
        boven = ""
        if aanmelding.boven_capaciteit:
            boven = _("ja: %(reden)s") % {"reden": aanmelding.boven_capaciteit_reden}
        # Control characters carry nothing readable and XLSX refuses them; they go before
        # the formula check, or "\x01=…" would become a formula once they are gone.
        yield [
            neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
            for value in (
                aanmelding.naam,
                aanmelding.email,
                aanmelding.organisatie,
                aanmelding.functie,
                aanmelding.dieetwensen,
                aanmelding.toegankelijkheid,
                str(aanmelding.get_status_display()),
                _local(aanmelding.aanwezig_op),
                boven,
                _local(aanmelding.aangemeld_op),
                str(aanmelding.get_bron_display()),
                str(positie) if positie is not None else "",
                _sessions(aanmelding),
                *(_answer(aanmelding, vraag) for vraag in vragen),
            )
        ]


def _answer(aanmelding: Aanmelding, vraag: Vraag) -> str:
    return "; ".join((getattr(aanmelding, f"antwoord_{vraag.pk}", None) or "").splitlines())


def _sessions(aanmelding: Aanmelding) -> str:
    """The deelsessies chosen (`open_sessiekeuzes` of `selectors.voor_export()`), each
    with its status when that is not a held place."""
    return "; ".join(
        keuze.deelsessie.titel
        + ("" if keuze.status == keuze.Status.BEVESTIGD else f" ({keuze.get_status_display()})")
        for keuze in getattr(aanmelding, "open_sessiekeuzes", [])
    )


class _Echo:
    """A file-like object whose write() hands the line back: csv.writer for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(aanmeldingen: Iterable[Aanmelding], vragen: Iterable[Vraag] = ()) -> Iterator[str]:
    """The CSV file in pieces, with the BOM Excel needs to read UTF-8 accents."""
    vragen = list(vragen)
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    chunk = ["\ufeff", writer.writerow([neutralise(value) for value in header(vragen)])]
    for row in rows(aanmeldingen, vragen):
        chunk.append(writer.writerow(row))
        if len(chunk) >= CSV_CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def xlsx_file(aanmeldingen: Iterable[Aanmelding], *, title: str, vragen: Iterable[Vraag] = ()):
    """The list of attendees as a workbook in a temporary file (see `workbook_file`)."""
    vragen = list(vragen)
    return workbook_file([(title, header(vragen), rows(aanmeldingen, vragen), COLUMN_WIDTHS)])


def workbook_file(sheets):
    """A workbook of (title, header, rows, column widths) sheets in a temporary file
    (openpyxl's write-only mode keeps rows out of memory), positioned at its start; the
    caller closes it. The header is neutralised here (a question's text is a header);
    the other text cells are the callers' to neutralise."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, columns, sheet_rows, widths in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        cells = []
        for value in columns:
            cell = WriteOnlyCell(sheet, value=neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in sheet_rows:
            sheet.append(row)
    output = tempfile.TemporaryFile()  # noqa: SIM115 -- the response closes it once sent
    workbook.save(output)
    output.seek(0)
    return output


def _sheet_title(title: str) -> str:
    # At most 31 characters, none of []:*?/\ — Excel refuses the file otherwise.
    cleaned = "".join(char for char in title if char not in "[]:*?/\\").strip()
    return cleaned[:31] or "Aanmeldingen"
