"""The reach report as XLSX: the same tables as the page, small numbers suppressed the same
way, written by the project's one XLSX writer (bijeenkomsten.exports)."""

from django.utils.translation import gettext as _

from bereik.selectors import Periode, suppressed
from bijeenkomsten.exports import XLSX_CONTENT_TYPE, neutralise, workbook_file

__all__ = ["XLSX_CONTENT_TYPE", "xlsx"]


def _cell(value):
    # Suppressed counts are text ("< 5"); others stay numbers a spreadsheet can add up.
    text = suppressed(value)
    return value if text == str(value) else text


def xlsx(report: dict, *, periode: Periode):
    periode_text = f"{periode.van:%Y-%m-%d} – {periode.tot:%Y-%m-%d}"
    sheets = [
        (
            _("Totalen"),
            [_("Periode"), periode_text],
            ([neutralise(str(label)), _cell(value)] for label, value in report["totalen"]),
            (52, 16),
        )
    ]
    for tabel in [*report["tabellen"], report["bijeenkomsten"]]:
        sheets.append(
            (
                str(tabel.titel),
                ["", *[str(kolom) for kolom in tabel.kolommen]],
                (
                    [neutralise(str(label)), *[_cell(value) for value in counts]]
                    for label, counts in tabel.rijen
                ),
                (44, *[16] * len(tabel.kolommen)),
            )
        )
    return workbook_file(sheets)
