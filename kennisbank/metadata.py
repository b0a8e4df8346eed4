"""A kennisproduct described for other software: schema.org JSON-LD on its page, and a
citation in BibTeX and RIS for reference managers (Zotero, EndNote, Mendeley). Dublin Core
for harvesters is in `oai.py`; all of them name the same authors (`auteursnamen`) and the
same publisher.

Only what the page itself shows goes out: portal authors with a visible profile (the
product's `auteurs` are prefetched through `selectors.zichtbare_personen`), never an e-mail
address, never the file of a product that is not published.
"""

import re

from django.urls import reverse

from kennisbank.models import Kennisproduct
from werkplaats.bestanden import CONTENT_TYPES
from werkplaats.mail_links import absolute_url

PUBLISHER = "Werkplaats Sociaal Domein Arnhem Nijmegen"

# schema.org's type for each soort (https://schema.org/CreativeWork and its subtypes).
SCHEMA_TYPES = {
    Kennisproduct.Soort.PUBLICATIE: "ScholarlyArticle",
    Kennisproduct.Soort.ONDERZOEKSRAPPORT: "Report",
    Kennisproduct.Soort.HANDREIKING: "HowTo",
    Kennisproduct.Soort.DRAAIBOEK: "HowTo",
    Kennisproduct.Soort.PODCAST: "PodcastEpisode",
    Kennisproduct.Soort.VIDEO: "VideoObject",
    Kennisproduct.Soort.PRESENTATIE: "PresentationDigitalDocument",
}
# RIS reference types (the RIS format's TY tag) and BibTeX entry types.
RIS_TYPES = {
    Kennisproduct.Soort.PUBLICATIE: "GEN",
    Kennisproduct.Soort.ONDERZOEKSRAPPORT: "RPRT",
    Kennisproduct.Soort.PODCAST: "SOUND",
    Kennisproduct.Soort.VIDEO: "VIDEO",
    Kennisproduct.Soort.PRESENTATIE: "SLIDE",
}
BIBTEX_TYPES = {Kennisproduct.Soort.ONDERZOEKSRAPPORT: "techreport"}
LICENCE_URLS = {
    Kennisproduct.Licentie.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Kennisproduct.Licentie.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Kennisproduct.Licentie.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Kennisproduct.Licentie.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Kennisproduct.Licentie.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


def auteursnamen(product: Kennisproduct) -> list[str]:
    """Authors with a visible profile (prefetched that way), then the free-text names."""
    return [persoon.naam for persoon in product.auteurs.all()] + product.overige_auteurs_lijst


def _date(product: Kennisproduct) -> str:
    return product.datum.isoformat() if product.datum else str(product.jaar)


def _doi(product: Kennisproduct) -> str:
    value = product.identifier.strip()
    return value if value.startswith("10.") else ""


def _content_url(product: Kennisproduct) -> str:
    if product.bestand and product.is_gepubliceerd:
        return absolute_url(reverse("kennisbank:download", kwargs={"slug": product.slug}))
    return product.link


def json_ld(product: Kennisproduct) -> dict:
    url = absolute_url(product.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(product.soort, "CreativeWork"),
        "@id": url,
        "url": url,
        "name": product.titel,
        "description": product.samenvatting,
        "inLanguage": product.taal,
        "datePublished": _date(product),
        "author": [{"@type": "Person", "name": naam} for naam in auteursnamen(product)],
        "publisher": {"@type": "Organization", "name": PUBLISHER},
        "keywords": [voorwaarde.naam for voorwaarde in product.voorwaarden.all()],
        "about": [
            {
                "@type": "Thing",
                "name": atelier.naam,
                "url": absolute_url(atelier.get_absolute_url()),
            }
            for atelier in product.leerateliers.all()
        ],
    }
    contributors = [
        {"@type": "Organization", "name": organisatie.naam}
        for organisatie in product.organisaties.all()
    ]
    if contributors:
        data["contributor"] = contributors
    if product.licentie in LICENCE_URLS:
        data["license"] = LICENCE_URLS[product.licentie]
    if content_url := _content_url(product):
        data["contentUrl" if product.bestand else "sameAs"] = content_url
    if product.bestand_type:
        data["encodingFormat"] = CONTENT_TYPES[product.bestand_type]
    if product.identifier_url:
        data["identifier"] = product.identifier_url
    return {key: value for key, value in data.items() if value not in ("", [], None)}


# --- BibTeX --------------------------------------------------------------------------------

_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
_BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\^{}"}


def _bibtex_value(value: str) -> str:
    """`value` inside braces, its special characters escaped, on one line."""
    escaped = _BIBTEX_SPECIAL.sub(
        lambda match: _BIBTEX_REPLACEMENTS.get(match.group(1), "\\" + match.group(1)),
        " ".join(value.split()),
    )
    return "{" + escaped + "}"


def citation_key(product: Kennisproduct) -> str:
    """First author's family name (or the werkplaats), the year, the title's first word."""
    names = auteursnamen(product)
    family = names[0].split()[-1] if names else "werkplaats"
    first_word = product.slug.split("-")[0]
    return re.sub(r"[^A-Za-z0-9]", "", f"{family}{product.jaar}{first_word}") or "kennisproduct"


def bibtex(product: Kennisproduct) -> str:
    entry_type = BIBTEX_TYPES.get(product.soort, "misc")
    fields = [("title", product.titel)]
    if names := auteursnamen(product):
        fields.append(("author", " and ".join(names)))
    fields.append(("year", str(product.jaar)))
    if product.datum:
        fields.append(("month", str(product.datum.month)))
    fields.append(("institution" if entry_type == "techreport" else "publisher", PUBLISHER))
    if doi := _doi(product):
        fields.append(("doi", doi))
    fields.append(("url", product.identifier_url or absolute_url(product.get_absolute_url())))
    fields.append(("abstract", product.samenvatting))
    fields.append(("language", product.taal))
    if keywords := [voorwaarde.naam for voorwaarde in product.voorwaarden.all()]:
        fields.append(("keywords", ", ".join(keywords)))
    if entry_type == "misc":
        fields.append(("howpublished", product.get_soort_display()))
    lines = [f"@{entry_type}{{{citation_key(product)},"]
    lines += [f"  {name} = {_bibtex_value(value)}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- RIS -----------------------------------------------------------------------------------


def ris(product: Kennisproduct) -> str:
    """The RIS record: one `TAG  - value` per line, CRLF line ends, `ER` last."""
    tags = [("TY", RIS_TYPES.get(product.soort, "GEN")), ("TI", product.titel)]
    tags += [("AU", naam) for naam in auteursnamen(product)]
    tags.append(("PY", str(product.jaar)))
    if product.datum:
        tags.append(("DA", product.datum.strftime("%Y/%m/%d")))
    tags += [
        ("AB", product.samenvatting),
        ("PB", PUBLISHER),
        ("LA", product.taal),
        ("UR", absolute_url(product.get_absolute_url())),
    ]
    if doi := _doi(product):
        tags.append(("DO", doi))
    tags += [("KW", voorwaarde.naam) for voorwaarde in product.voorwaarden.all()]
    tags.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in tags)
