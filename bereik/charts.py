"""The reach report's charts: one column of a table as bars (werkplaats.charts). A
suppressed count gets no bar, only its "< 5" label, so the picture tells no more than the
table beside it."""

from bereik.selectors import SUPPRESS_BELOW, Tabel, suppressed
from werkplaats import charts


def grafiek(tabel: Tabel, kolom: int = 0) -> charts.Grafiek:
    return charts.grafiek(
        id=tabel.slug,
        titel=tabel.titel,
        kolom=tabel.kolommen[kolom],
        rijen=[
            (
                label,
                counts[kolom] if counts[kolom] >= SUPPRESS_BELOW else 0,
                suppressed(counts[kolom]),
            )
            for label, counts in tabel.rijen
        ],
    )
