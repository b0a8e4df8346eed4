"""Horizontal bar charts drawn on the server as SVG (no script): the geometry here, the
markup in templates/bereik/includes/_grafiek.html. A suppressed count gets no bar, only its
"< 5" label, so the picture tells no more than the table beside it."""

from dataclasses import dataclass

from bereik.selectors import SUPPRESS_BELOW, Tabel, suppressed

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 180
BAR_AREA = 200
MAX_BARS = 25


@dataclass(frozen=True)
class Balk:
    label: str
    waarde: str
    y: int
    breedte: int


@dataclass(frozen=True)
class Grafiek:
    titel: str
    kolom: str
    balken: list
    hoogte: int
    breedte: int = LABEL_WIDTH + BAR_AREA + 50
    label_breedte: int = LABEL_WIDTH


def grafiek(tabel: Tabel, kolom: int = 0) -> Grafiek:
    rijen = tabel.rijen[:MAX_BARS]
    shown = [counts[kolom] if counts[kolom] >= SUPPRESS_BELOW else 0 for _label, counts in rijen]
    grootste = max(shown, default=0) or 1
    balken = [
        Balk(
            label=str(label)[:28],
            waarde=suppressed(counts[kolom]),
            y=index * (BAR_HEIGHT + GAP),
            breedte=round(BAR_AREA * value / grootste),
        )
        for index, ((label, counts), value) in enumerate(zip(rijen, shown, strict=True))
    ]
    return Grafiek(
        titel=str(tabel.titel),
        kolom=str(tabel.kolommen[kolom]),
        balken=balken,
        hoogte=max(len(balken), 1) * (BAR_HEIGHT + GAP),
    )
