"""One search for the whole portal: what a visitor may see, found by the words in it.

Every kind of result (`BRONNEN`) names the rows a visitor may see (the app's own published or
visible queryset: never a concept, never a person whose profile is hidden) and its text
columns. On PostgreSQL the search reads the `zoekvector` PostgreSQL keeps for each row
(werkplaats.zoekindex): Dutch stemming, title over summary over body, ranked, with the
matching words highlighted in a snippet; a short query that finds nothing is tried again
on the titles by trigram similarity, so a typo still finds something. On SQLite (the
embedded default) each word must occur in one of the text columns, titles first.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce, Concat, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from bijeenkomsten.models import Bijeenkomst
from kennisbank.models import Kennisproduct
from kennisbank.selectors import zichtbare_personen
from leerateliers.models import Leeratelier, LerendePraktijk
from netwerk.models import Organisatie
from themas.models import Thema, Update
from werkplaats.search import search_term
from werkplaats.zoekindex import CONFIG

MAX_WORDS = 8
# Snippets are made from the start of a text only: ts_headline reads all it is given.
SNIPPET_SOURCE_LENGTH = 4_000
SNIPPET_LENGTH = 30
# Below this many characters, a query that finds nothing is tried as a typo.
TYPO_QUERY_LENGTH = 20
TYPO_SIMILARITY = 0.5
# Markers PostgreSQL puts around a match; escaped text cannot contain them.
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class Bron:
    """One kind of result: its visible rows, its title and snippet columns, its link."""

    soort: str
    label: str
    rows: callable
    titel: str
    tekst: tuple[str, ...]

    def url(self, row) -> str:
        if self.soort == "praktijk":
            return f"{row.leeratelier.get_absolute_url()}#praktijk-{row.pk}"
        return row.get_absolute_url()


BRONNEN = {
    bron.soort: bron
    for bron in [
        Bron(
            "kennisproduct",
            _("Kennisbank"),
            lambda: Kennisproduct.objects.gepubliceerd(),
            "titel",
            ("samenvatting", "tekst", "bestand_tekst"),
        ),
        Bron(
            "leeratelier",
            _("Leerateliers"),
            lambda: Leeratelier.objects.zichtbaar(),
            "naam",
            ("samenvatting", "sociale_kwestie", "beschrijving"),
        ),
        Bron(
            "praktijk",
            _("Lerende praktijken"),
            lambda: LerendePraktijk.objects.exclude(
                leeratelier__status=Leeratelier.Status.SAMENGEVOEGD
            ).select_related("leeratelier"),
            "titel",
            ("beschrijving",),
        ),
        Bron(
            "thema",
            _("Thema's"),
            lambda: Thema.objects.all(),
            "naam",
            ("ondertitel", "inleiding", "wat_gaan_we_doen"),
        ),
        Bron(
            "update",
            _("Updates"),
            lambda: Update.objects.gepubliceerd(),
            "titel",
            ("samenvatting", "tekst"),
        ),
        Bron(
            "bijeenkomst",
            _("Bijeenkomsten"),
            lambda: Bijeenkomst.objects.zichtbaar(),
            "titel",
            ("beschrijving", "locatie_naam"),
        ),
        Bron(
            "organisatie",
            _("Organisaties"),
            lambda: Organisatie.objects.goedgekeurd(),
            "naam",
            ("plaats", "beschrijving"),
        ),
        Bron(
            "persoon",
            _("Mensen"),
            zichtbare_personen,
            "naam",
            ("functie", "bio"),
        ),
    ]
}


@dataclass
class Resultaat:
    soort: str
    titel: str
    url: str
    fragment: SafeString


def woorden(q: str) -> list[str]:
    """The words of a query, without what PostgreSQL's query syntax would read as operators."""
    schoon = "".join(char if char.isalnum() else " " for char in search_term(q))
    return schoon.split()[:MAX_WORDS]


def gebruikt_postgres() -> bool:
    return connection.vendor == "postgresql"


def tsquery(words: list[str]) -> SearchQuery:
    # Each word as a prefix: "samenwerk" finds "samenwerken". The words are letters and
    # digits only (woorden()), so the raw query cannot be malformed.
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=CONFIG)


def matches(bron: Bron, words: list[str]) -> QuerySet:
    """The visible rows of `bron` that match every word, best first. On PostgreSQL the text
    columns are not read for them (a PDF's text can be 200,000 characters): ts_headline
    makes the snippets apart, for the rows shown only. SQLite's snippets are cut from the
    rows' own text."""
    rows = bron.rows()
    if gebruikt_postgres():
        query = tsquery(words)
        return (
            rows.defer(*bron.tekst, "zoekvector")
            .filter(zoekvector=query)
            .annotate(rang=SearchRank(F("zoekvector"), query))
            .order_by("-rang", "pk")
        )
    velden = (bron.titel, *bron.tekst)
    for word in words:
        rows = rows.filter(reduce(or_, (Q(**{f"{veld}__icontains": word}) for veld in velden)))
    in_titel = reduce(or_, (Q(**{f"{bron.titel}__icontains": word}) for word in words))
    return rows.annotate(
        rang=Case(When(in_titel, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("-rang", bron.titel, "pk")


def typo_mogelijk(q: str) -> bool:
    """Whether a query that found nothing is worth trying as a typo (PostgreSQL only)."""
    return gebruikt_postgres() and len(q) <= TYPO_QUERY_LENGTH


def typo_matches(bron: Bron, q: str) -> QuerySet:
    """Rows whose title is like the query (PostgreSQL's trigram similarity)."""
    return (
        bron.rows()
        .filter(**{f"{bron.titel}__trigram_word_similar": q})
        .annotate(rang=TrigramWordSimilarity(q, bron.titel))
        .filter(rang__gte=TYPO_SIMILARITY)
        .order_by("-rang", "pk")
    )


def resultaten(bron: Bron, rows: list, words: list[str]) -> list[Resultaat]:
    """The shown rows with their snippets: made for these rows only, not for every match."""
    fragments = _fragments(bron, rows, words)
    return [
        Resultaat(
            soort=bron.soort,
            titel=getattr(row, bron.titel),
            url=bron.url(row),
            fragment=fragments.get(row.pk, mark_safe("")),  # nosec B703 B308: empty
        )
        for row in rows
    ]


def _fragments(bron: Bron, rows: list, words: list[str]) -> dict[int, SafeString]:
    if not rows:
        return {}
    if gebruikt_postgres() and words:
        query = tsquery(words)
        source = Concat(
            *[
                piece
                for veld in bron.tekst
                for piece in (Left(Coalesce(F(veld), Value("")), SNIPPET_SOURCE_LENGTH), Value(" "))
            ],
            output_field=TextField(),
        )
        headlines = (
            type(rows[0])
            ._default_manager.filter(pk__in=[row.pk for row in rows])
            .annotate(
                fragment=SearchHeadline(
                    source,
                    query,
                    config=CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=SNIPPET_LENGTH,
                    min_words=SNIPPET_LENGTH // 2,
                )
            )
            .values_list("pk", "fragment")
        )
        return {pk: _highlighted(fragment or "") for pk, fragment in headlines}
    return {row.pk: _plain_fragment(bron, row, words) for row in rows}


def _highlighted(fragment: str) -> SafeString:
    # The text is escaped first; only the markers PostgreSQL added become <mark>.
    text = escape(fragment.replace(_START, "\x00s").replace(_STOP, "\x00e"))
    return mark_safe(  # nosec B703 B308: escaped above, only our own tags added
        text.replace("\x00s", "<mark>").replace("\x00e", "</mark>")
    )


def _plain_fragment(bron: Bron, row, words: list[str]) -> SafeString:
    text = " ".join(str(getattr(row, veld) or "") for veld in bron.tekst)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    first = pattern.search(text)
    start = max(first.start() - 60, 0) if first else 0
    snippet = Truncator(text[start:]).words(SNIPPET_LENGTH)
    # Escaped piece by piece; only the matches are wrapped in <mark>.
    parts, position = [], 0
    for match in pattern.finditer(snippet):
        parts += [escape(snippet[position : match.start()]), f"<mark>{escape(match[0])}</mark>"]
        position = match.end()
    parts.append(escape(snippet[position:]))
    return mark_safe("".join(parts))  # nosec B703 B308: every piece escaped, <mark> ours
