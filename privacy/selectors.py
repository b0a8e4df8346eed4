"""Everything the portal holds about one person, gathered from each app's own selector."""

import json

from django.core.serializers.json import DjangoJSONEncoder

from bijeenkomsten import selectors as bijeenkomst_selectors
from leerateliers import selectors as leeratelier_selectors
from netwerk import selectors as netwerk_selectors
from nieuwsbrief import selectors as nieuwsbrief_selectors
from themas import selectors as thema_selectors


def gegevens_van(persoon) -> dict:
    """One dict per app, of plain values (what the page shows and the download holds).
    A fixed number of queries, however much a person has."""
    return {
        "netwerk": netwerk_selectors.gegevens_van(persoon),
        "leerateliers": leeratelier_selectors.gegevens_van(persoon),
        "themas": thema_selectors.gegevens_van(persoon),
        "bijeenkomsten": bijeenkomst_selectors.gegevens_van(persoon),
        "nieuwsbrief": nieuwsbrief_selectors.gegevens_van(persoon),
    }


def gegevens_als_json(persoon) -> str:
    return json.dumps(gegevens_van(persoon), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
