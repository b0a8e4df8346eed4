"""Horizontal bar charts drawn on the server as SVG (no script): the geometry here, the
markup in templates/includes/_grafiek.html, for every app that draws one (the reach report,
the results of an evaluation). Each chart stands beside a table with its numbers.

A value may come with the text to show for it (`tekst`): the reach report shows a count
under 5 as "< 5" and draws no bar for it, so the picture tells no more than the table."""

from dataclasses import dataclass

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
    id: str
    titel: str
    kolom: str
    balken: list
    hoogte: int
    breedte: int = LABEL_WIDTH + BAR_AREA + 50
    label_breedte: int = LABEL_WIDTH


def grafiek(*, id: str, titel: str, kolom: str, rijen: list) -> Grafiek:
    """`rijen`: (label, value) or (label, value, text); a value of 0 draws no bar, and the
    text (the value itself when not given) is written after the bar."""
    rijen = rijen[:MAX_BARS]
    grootste = max((rij[1] for rij in rijen), default=0) or 1
    balken = [
        Balk(
            label=str(rij[0])[:28],
            waarde=str(rij[2] if len(rij) > 2 else rij[1]),
            y=index * (BAR_HEIGHT + GAP),
            breedte=round(BAR_AREA * rij[1] / grootste),
        )
        for index, rij in enumerate(rijen)
    ]
    return Grafiek(
        id=id,
        titel=str(titel),
        kolom=str(kolom),
        balken=balken,
        hoogte=max(len(balken), 1) * (BAR_HEIGHT + GAP),
    )
