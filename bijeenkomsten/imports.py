"""Reading a CSV file of attendees for an import: bytes in, valid rows and per-row errors out.

Pure: no database, no request. The caller passes in the addresses already registered for
the bijeenkomst, so the preview, the tests and the benchmark all use this one function;
`services.import_aanmeldingen()` then registers the valid rows, and checks them again.

Columns beyond the known ones whose header is the text of one of the bijeenkomst's
questions (compared as headers are) become answers to it, checked with the question's own
field (`bijeenkomsten/vragen.py`); a required question may stay empty in an import.

Row numbers are the ones a spreadsheet shows: the header is row 1, and a quoted field that
spans lines is still one row.
"""

import csv
import functools
import io
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from bijeenkomsten import vragen as vraagvelden
from bijeenkomsten.models import Aanmelding, Vraag
from netwerk.models import normalize_email_address
from werkplaats.exceptions import RuleViolation

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
FIELDS = ("naam", "email", "organisatie", "functie", "opmerkingen")
REQUIRED = ("naam", "email")
# Header names in Dutch or English, compared in lower case without spaces, dashes or
# underscores: "E-mail", "e_mail" and "EMAIL" are all "email".
HEADERS = {
    "naam": {"naam", "name", "volledigenaam", "fullname"},
    "email": {"email", "emailadres", "emailaddress", "mail", "mailadres"},
    "organisatie": {"organisatie", "organisation", "organization"},
    "functie": {"functie", "function", "jobtitle", "functietitel"},
    "opmerkingen": {"opmerkingen", "opmerking", "remarks", "remark", "notes", "note"},
}
DELIMITERS = (";", ",", "\t")
# What Excel puts at the start of a file: an .xlsx (a zip) or an old .xls.
SPREADSHEET_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
# Beside letters, the non-ASCII characters an attendee list in Windows-1252 may hold.
CP1252_PUNCTUATION = set("\xa0€‚„…‘’“”•–—«»·°©®™§")


class FileRefused(RuleViolation):
    """The file as a whole cannot be read; nothing of it is used."""


@dataclass(frozen=True)
class ImportRow:
    """One valid row, normalised: ready for the register service."""

    number: int
    naam: str
    email: str
    organisatie: str = ""
    functie: str = ""
    opmerkingen: str = ""
    # {vraag pk as text: the value as stored}: kept as JSON until the import runs.
    antwoorden: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RowError:
    number: int
    naam: str
    email: str
    messages: tuple[str, ...]


@dataclass
class ParseResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def parse(
    data: bytes,
    *,
    registered: frozenset[str] | set[str] = frozenset(),
    vragen: list[Vraag] | tuple[Vraag, ...] = (),
) -> ParseResult:
    """Validate every row of a CSV file; `registered` holds the (lower-case) addresses that
    already have an open registration, `vragen` the questions extra columns may answer.
    Raises FileRefused when the file cannot be read at all: too large, too many rows, an
    unknown encoding, no usable header."""
    if len(data) > MAX_BYTES:
        raise FileRefused(_("Het bestand is groter dan 2 MB. Splits het in kleinere bestanden."))
    text = decode(data)
    delimiter = _sniff_delimiter(text)
    # Strict: a quote left open would otherwise swallow every later row into one field,
    # and those rows would silently be missing from the preview.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    result = ParseResult()
    columns = None
    data_rows = 0
    last_line = 0
    seen: dict[str, int] = {}
    try:
        for number, record in enumerate(reader, start=1):
            last_line = reader.line_num
            if _is_empty(record):
                continue  # also before the header
            if columns is None:
                columns, width, result.ignored_columns, question_columns = _columns(record, vragen)
                continue
            data_rows += 1
            if data_rows > MAX_ROWS:
                raise FileRefused(
                    _(
                        "Het bestand heeft meer dan %(max)s rijen met gegevens. Splits het "
                        "in kleinere bestanden."
                    )
                    % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
                )
            row, messages = _validate(record, number, columns, width, seen, registered)
            row, messages = _answers(record, row, messages, question_columns)
            if messages:
                result.errors.append(
                    RowError(number=number, naam=row.naam, email=row.email, messages=messages)
                )
            else:
                result.rows.append(row)
    except csv.Error as error:
        raise FileRefused(
            _(
                "Het bestand is vanaf regel %(regel)s niet als CSV te lezen. Controleer de "
                "aanhalingstekens: een veld dat met een aanhalingsteken begint, moet er ook "
                "mee eindigen."
            )
            % {"regel": last_line + 1}
        ) from error
    if columns is None:
        raise FileRefused(_("Het bestand is leeg."))
    return result


def decode(data: bytes) -> str:
    """The text of the file: UTF-8 (with or without the BOM Excel writes), UTF-16 with a
    BOM, or Windows-1252 when that is certain; anything else is refused rather than
    imported with garbled letters."""
    if data.startswith(SPREADSHEET_SIGNATURES):
        raise FileRefused(
            _(
                "Dit is een Excel-bestand, geen CSV-bestand. Kies in Excel ‘Opslaan als’ en "
                "dan ‘CSV UTF-8 (door komma's gescheiden)’, en upload dat bestand."
            )
        )
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
            if _double_encoded(text):
                raise FileRefused(_garbled_message())
    except UnicodeDecodeError:
        text = _windows_1252(data)
    if any(unicodedata.category(char) == "Cc" and char not in "\t\r\n" for char in set(text)):
        raise FileRefused(
            _("Het bestand bevat tekens die niet in een CSV-bestand horen. Is het wel een CSV?")
        )
    return text


def _garbled_message() -> str:
    return _(
        "De letters met accenten in dit bestand zijn niet goed te lezen (bijvoorbeeld ‘Ã©’ "
        "in plaats van ‘é’). Sla het bestand in Excel op als ‘CSV UTF-8 (door komma's "
        "gescheiden)’ en probeer het opnieuw."
    )


def _double_encoded(text: str) -> bool:
    # UTF-8 that was once read as Windows-1252 and saved again ("JosÃ©"): only then does
    # the text turn into different, valid UTF-8 when its Windows-1252 bytes are read back.
    if text.isascii():
        return False
    try:
        return text.encode("cp1252").decode("utf-8") != text
    except UnicodeError:
        return False


def _windows_1252(data: bytes) -> str:
    """Not UTF-8: accept Windows-1252 only when every character it gives is a plausible
    one for names and organisations. Bytes from another code page (Mac Roman, a Central
    European Windows one) turn into symbols or into capitals inside words, and are refused."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or not _plausible(text):
        raise FileRefused(_garbled_message())
    return text


def _plausible(text: str) -> bool:
    previous = ""
    for char in text:
        if not char.isascii():
            if char in CP1252_PUNCTUATION:
                if char in "‘“" and previous.isalpha():
                    return False  # an opening quote glued to a word: Mac Roman ë, for one
            elif unicodedata.category(char) == "Lu":
                if previous.isalpha() and previous.islower():
                    return False  # "RenŽ": Mac Roman é read as Windows-1252
            elif unicodedata.category(char) != "Ll":
                return False
        previous = char
    return True


def _is_empty(record: list[str]) -> bool:
    # Excel writes a row it considers empty as separators only (";;;;").
    return not any(cell.strip("".join(DELIMITERS) + " \r\n") for cell in record)


def _sniff_delimiter(text: str) -> str:
    """The separator that splits the header into the most known column names."""
    header = next((line for line in io.StringIO(text, newline="") if not _is_empty([line])), "")
    scores = []
    for delimiter in DELIMITERS:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        known = sum(1 for cell in cells if _field_for(cell))
        scores.append((known, len(cells), delimiter))
    known, _width, delimiter = max(scores)
    return delimiter if known else ","


def _normalised_header(cell: str) -> str:
    return "".join(char for char in cell.casefold() if char.isalnum())


def _field_for(cell: str) -> str | None:
    key = _normalised_header(cell)
    return next((name for name, names in HEADERS.items() if key in names), None)


@functools.cache
def _max_lengths() -> dict[str, int]:
    return {name: Aanmelding._meta.get_field(name).max_length for name in FIELDS}


def _label(name: str) -> str:
    return str(Aanmelding._meta.get_field(name).verbose_name)


def _columns(header: list[str], vragen=()) -> tuple[dict[str, int], int, list[str], dict]:
    columns: dict[str, int] = {}
    ignored = []
    by_text = {_normalised_header(vraag.tekst): vraag for vraag in vragen}
    question_columns: dict[int, Vraag] = {}
    for index, cell in enumerate(header):
        name = _field_for(cell)
        if name is None:
            vraag = by_text.pop(_normalised_header(cell), None) if cell.strip() else None
            if vraag is not None:
                question_columns[index] = vraag
            elif cell.strip():
                ignored.append(cell.strip())
        elif name in columns:
            raise FileRefused(
                _("De kolom ‘%(kolom)s’ staat twee keer in de kopregel.") % {"kolom": cell.strip()}
            )
        else:
            columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise FileRefused(
            _(
                "De kopregel mist de kolom %(kolommen)s. De eerste rij moet de namen van de "
                "kolommen geven: naam, e-mail, organisatie, functie, opmerkingen (of in het "
                "Engels: name, email, organisation, job title, remarks)."
            )
            % {"kolommen": ", ".join(f"‘{_label(name)}’" for name in missing)}
        )
    return columns, len(header), ignored, question_columns


def _answers(record, row: ImportRow, messages: tuple, question_columns: dict):
    """The row's answers to the questions its extra columns ask, checked by their field."""
    if not question_columns:
        return row, messages
    antwoorden = {}
    problems = []
    for index, vraag in question_columns.items():
        raw = record[index].strip() if index < len(record) else ""
        try:
            value = vraagvelden.veld(vraag, verplicht=False).clean(
                vraagvelden.uit_waarde(vraag, raw)
            )
        except ValidationError as error:
            problems.append(f"{vraag.tekst}: {' '.join(error.messages)}")
            continue
        stored = vraagvelden.naar_waarde(vraag, value)
        if stored:
            antwoorden[str(vraag.pk)] = stored
    row = ImportRow(**{**row.__dict__, "antwoorden": antwoorden})
    return row, (*messages, *problems)


def _validate(record, number, columns, width, seen, registered):
    messages = []
    values = {
        name: record[index].strip() if index < len(record) else ""
        for name, index in columns.items()
    }
    for name in ("naam", "organisatie", "functie"):
        values[name] = " ".join(values.get(name, "").split())
    values.setdefault("opmerkingen", "")
    email = normalize_email_address(values["email"])
    row = ImportRow(number=number, **{**values, "email": email})
    if len(record) < width:
        messages.append(
            _("te weinig kolommen: %(aantal)s in plaats van %(verwacht)s")
            % {"aantal": len(record), "verwacht": width}
        )
        return row, tuple(messages)
    if any(cell.strip() for cell in record[width:]):
        messages.append(
            _(
                "meer kolommen dan de kopregel; staat er een scheidingsteken in een veld "
                "zonder aanhalingstekens?"
            )
        )
    if not row.naam:
        messages.append(_("de naam ontbreekt"))
    if not email:
        messages.append(_("het e-mailadres ontbreekt"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            messages.append(_("‘%(adres)s’ is geen geldig e-mailadres") % {"adres": email})
        if email in seen:
            messages.append(
                _("%(adres)s staat ook in rij %(rij)s") % {"adres": email, "rij": seen[email]}
            )
        else:
            seen[email] = number
        if email in registered:
            messages.append(_("%(adres)s is al aangemeld voor deze bijeenkomst") % {"adres": email})
    for name, maximum in _max_lengths().items():
        length = len(getattr(row, name))
        if length > maximum:
            messages.append(
                _("%(veld)s is te lang: %(lengte)s tekens, hooguit %(max)s")
                % {"veld": _label(name), "lengte": length, "max": maximum}
            )
    return row, tuple(messages)
