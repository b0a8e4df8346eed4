"""OAI-PMH 2.0 for the kennisbank, so the HBO Kennisbank or any harvester collects what the
werkplaats publishes (https://www.openarchives.org/OAI/openarchivesprotocol.html).

Records are the published kennisproducten in Dublin Core (`oai_dc`); a product that was
published and later withdrawn is a deleted record (`deletedRecord` is "transient": a
product may be published again). Sets are the leerateliers (`leeratelier:<slug>`) and
thema's (`thema:<slug>`). Lists come in pages of PAGE_SIZE with a signed resumption token
that holds the request and the last primary key, so a harvest is stable while products are
added.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, SubElement, tostring  # nosec B405: we only write

from django.conf import settings
from django.core import signing
from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kennisbank.metadata import PUBLISHER, auteursnamen
from kennisbank.models import Kennisproduct
from kennisbank.selectors import zichtbare_personen
from leerateliers.models import Leeratelier, Voorwaarde
from netwerk.models import Organisatie
from themas.models import Thema
from werkplaats.bestanden import CONTENT_TYPES

PAGE_SIZE = 100
TOKEN_SALT = "kennisbank.oai"
TOKEN_MAX_AGE = 24 * 60 * 60
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
DC_TYPES = {
    Kennisproduct.Soort.PUBLICATIE: "Text",
    Kennisproduct.Soort.HANDREIKING: "Text",
    Kennisproduct.Soort.ONDERZOEKSRAPPORT: "Text",
    Kennisproduct.Soort.DRAAIBOEK: "Text",
    Kennisproduct.Soort.TOOL: "InteractiveResource",
    Kennisproduct.Soort.PODCAST: "Sound",
    Kennisproduct.Soort.VIDEO: "MovingImage",
    Kennisproduct.Soort.PRESENTATIE: "Text",
}


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ListRequest:
    verb: str
    prefix: str
    set_spec: str
    van: datetime | None
    tot: datetime | None
    na_pk: int = 0
    # Counted on the first page and carried in the token, so later pages count nothing.
    totaal: int | None = None
    cursor: int = 0


def repository_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def identifier_of(product: Kennisproduct) -> str:
    return f"oai:{repository_host()}:kennisproduct:{product.pk}"


def _pk_from_identifier(identifier: str) -> int:
    prefix = f"oai:{repository_host()}:kennisproduct:"
    if identifier.startswith(prefix) and identifier[len(prefix) :].isdigit():
        return int(identifier[len(prefix) :])
    raise OaiError("idDoesNotExist", "Onbekende identifier.")


@csrf_exempt  # Harvesters POST without a session; nothing here changes anything.
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    params = request.POST if request.method == "POST" else request.GET
    root = _root()
    request_node = SubElement(root, "request")
    request_node.text = _base_url()
    try:
        verb = _check_arguments(params)
        # The arguments are echoed only once they are known to be valid.
        request_node.attrib.update({name: params[name] for name in params})
        _HANDLERS[verb](root, params)
    except OaiError as error:
        SubElement(root, "error", {"code": error.code}).text = str(error)
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode()
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _base_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("kennisbank:oai")


def _root() -> Element:
    root = Element(
        "OAI-PMH",
        {
            "xmlns": OAI_NS,
            "xmlns:xsi": XSI_NS,
            "xsi:schemaLocation": f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
        },
    )
    SubElement(root, "responseDate").text = _datestamp(timezone.now())
    return root


def _check_arguments(params) -> str:
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
        raise OaiError("badVerb", "Geen of een onbekend werkwoord (verb).")
    verb = verbs[0]
    required, optional = ARGUMENTS[verb]
    given = set(params) - {"verb"}
    if any(len(params.getlist(name)) > 1 for name in given):
        raise OaiError("badArgument", "Een argument staat er meer dan eens.")
    if "resumptionToken" in given and verb in ("ListIdentifiers", "ListRecords", "ListSets"):
        if given != {"resumptionToken"}:
            raise OaiError("badArgument", "Een resumptionToken komt alleen.")
        return verb
    unknown = given - required - optional
    missing = required - given
    if unknown or missing:
        raise OaiError("badArgument", "Ontbrekende of onbekende argumenten.")
    return verb


def _identify(root, params):
    node = SubElement(root, "Identify")
    earliest = (
        Kennisproduct.objects.filter(gepubliceerd_op__isnull=False)
        .order_by("gewijzigd_op")
        .values_list("gewijzigd_op", flat=True)
        .first()
    )
    for name, value in [
        ("repositoryName", f"Kennisbank van de {PUBLISHER}"),
        ("baseURL", _base_url()),
        ("protocolVersion", "2.0"),
        ("adminEmail", settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")),
        ("earliestDatestamp", _datestamp(earliest or timezone.now())),
        ("deletedRecord", "transient"),
        ("granularity", GRANULARITY),
    ]:
        SubElement(node, name).text = value


def _list_metadata_formats(root, params):
    if "identifier" in params:
        _product(params["identifier"])
    node = SubElement(root, "ListMetadataFormats")
    fmt = SubElement(node, "metadataFormat")
    SubElement(fmt, "metadataPrefix").text = "oai_dc"
    SubElement(fmt, "schema").text = OAI_DC_SCHEMA
    SubElement(fmt, "metadataNamespace").text = OAI_DC_NS


def _list_sets(root, params):
    if "resumptionToken" in params:
        raise OaiError("badResumptionToken", "Deze lijst heeft geen vervolg.")
    node = SubElement(root, "ListSets")
    for atelier in Leeratelier.objects.zichtbaar().order_by("slug").only("slug", "naam"):
        _set(node, f"leeratelier:{atelier.slug}", atelier.naam)
    for thema in Thema.objects.order_by("slug").only("slug", "naam"):
        _set(node, f"thema:{thema.slug}", thema.naam)


def _set(node, spec, name):
    element = SubElement(node, "set")
    SubElement(element, "setSpec").text = spec
    SubElement(element, "setName").text = name


def _get_record(root, params):
    _check_prefix(params["metadataPrefix"])
    product = _product(params["identifier"])
    _record(SubElement(root, "GetRecord"), product)


def _list(root, params):
    request = _list_request(params)
    queryset = _harvestable(request)
    totaal = queryset.count() if request.totaal is None else request.totaal
    page = list(_with_metadata(queryset).filter(pk__gt=request.na_pk)[: PAGE_SIZE + 1])
    if not page:
        raise OaiError("noRecordsMatch", "Geen records die hieraan voldoen.")
    node = SubElement(root, request.verb)
    for product in page[:PAGE_SIZE]:
        if request.verb == "ListRecords":
            _record(node, product)
        else:
            _header(node, product)
    token = SubElement(
        node,
        "resumptionToken",
        {"completeListSize": str(totaal), "cursor": str(request.cursor)},
    )
    if len(page) > PAGE_SIZE:
        token.text = _make_token(
            request, page[PAGE_SIZE - 1].pk, totaal=totaal, cursor=request.cursor + PAGE_SIZE
        )


def _list_request(params) -> ListRequest:
    verb = params["verb"]
    if "resumptionToken" in params:
        try:
            data = signing.loads(params["resumptionToken"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
            return ListRequest(
                verb=verb,
                prefix=data["p"],
                set_spec=data["s"],
                van=_parse_date(data["f"]) if data["f"] else None,
                tot=_parse_date(data["u"], end=True) if data["u"] else None,
                na_pk=int(data["k"]),
                totaal=int(data["n"]) if "n" in data else None,
                cursor=int(data.get("c", 0)),
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError, OaiError) as error:
            raise OaiError(
                "badResumptionToken", "Ongeldige of verlopen resumptionToken."
            ) from error
    _check_prefix(params["metadataPrefix"])
    van = _parse_date(params["from"]) if "from" in params else None
    tot = _parse_date(params["until"], end=True) if "until" in params else None
    if "from" in params and "until" in params and len(params["from"]) != len(params["until"]):
        raise OaiError("badArgument", "from en until hebben een andere nauwkeurigheid.")
    if van and tot and van > tot:
        raise OaiError("badArgument", "from ligt na until.")
    return ListRequest(verb, params["metadataPrefix"], params.get("set", ""), van, tot)


def _make_token(request: ListRequest, last_pk: int, *, totaal: int, cursor: int) -> str:
    return signing.dumps(
        {
            "n": totaal,
            "c": cursor,
            "p": request.prefix,
            "s": request.set_spec,
            "f": _datestamp(request.van) if request.van else "",
            "u": _datestamp(request.tot) if request.tot else "",
            "k": last_pk,
        },
        salt=TOKEN_SALT,
        compress=True,
    )


def _check_prefix(prefix: str) -> None:
    if prefix != "oai_dc":
        raise OaiError("cannotDisseminateFormat", "Alleen oai_dc wordt geleverd.")


def _parse_date(value: str, *, end: bool = False) -> datetime:
    for fmt, length in (("%Y-%m-%dT%H:%M:%SZ", 20), ("%Y-%m-%d", 10)):
        if len(value) == length:
            try:
                moment = datetime.strptime(value, fmt).replace(tzinfo=UTC)
            except ValueError:
                break
            if end and length == 10:
                moment = moment.replace(hour=23, minute=59, second=59)
            return moment
    raise OaiError("badArgument", "Een datum is JJJJ-MM-DD of JJJJ-MM-DDTuu:mm:ssZ.")


def _harvestable(request: ListRequest):
    """Products ever published, by primary key: the published ones and the withdrawn ones
    (as deleted records). A concept never leaves the portal."""
    queryset = Kennisproduct.objects.filter(gepubliceerd_op__isnull=False).exclude(
        status=Kennisproduct.Status.CONCEPT
    )
    if request.set_spec:
        # A subquery, not a join: every product once, without a DISTINCT over its columns.
        soort, _, slug = request.set_spec.partition(":")
        if soort == "leeratelier":
            members = Kennisproduct.leerateliers.through.objects.filter(leeratelier__slug=slug)
        elif soort == "thema":
            members = Kennisproduct.themas.through.objects.filter(thema__slug=slug)
        else:
            raise OaiError("badArgument", "Onbekende set.")
        queryset = queryset.filter(pk__in=members.values("kennisproduct_id"))
    if request.van:
        queryset = queryset.filter(gewijzigd_op__gte=request.van)
    if request.tot:
        queryset = queryset.filter(gewijzigd_op__lte=request.tot.replace(microsecond=999999))
    return queryset.order_by("pk")


# What Dublin Core never shows: the full texts, read only by the search.
_NOT_HARVESTED = ("tekst", "tekst_html", "bestand_tekst", "zoekvector")


def _with_metadata(queryset):
    return queryset.defer(*_NOT_HARVESTED).prefetch_related(
        Prefetch(
            "auteurs",
            queryset=zichtbare_personen().only("naam"),
        ),
        Prefetch("voorwaarden", queryset=Voorwaarde.objects.only("naam")),
        Prefetch("leerateliers", queryset=Leeratelier.objects.only("slug", "naam")),
        Prefetch("themas", queryset=Thema.objects.only("slug", "naam")),
        Prefetch("organisaties", queryset=Organisatie.objects.only("naam")),
    )


def _product(identifier: str) -> Kennisproduct:
    product = (
        _with_metadata(Kennisproduct.objects.filter(gepubliceerd_op__isnull=False))
        .exclude(status=Kennisproduct.Status.CONCEPT)
        .filter(pk=_pk_from_identifier(identifier))
        .first()
    )
    if product is None:
        raise OaiError("idDoesNotExist", "Onbekende identifier.")
    return product


def _header(node, product: Kennisproduct):
    attributes = {} if product.is_gepubliceerd else {"status": "deleted"}
    header = SubElement(node, "header", attributes)
    SubElement(header, "identifier").text = identifier_of(product)
    SubElement(header, "datestamp").text = _datestamp(product.gewijzigd_op)
    for atelier in product.leerateliers.all():
        SubElement(header, "setSpec").text = f"leeratelier:{atelier.slug}"
    for thema in product.themas.all():
        SubElement(header, "setSpec").text = f"thema:{thema.slug}"
    return header


def _record(node, product: Kennisproduct):
    record = SubElement(node, "record")
    _header(record, product)
    if not product.is_gepubliceerd:
        return
    metadata = SubElement(record, "metadata")
    dc = SubElement(
        metadata,
        "oai_dc:dc",
        {
            "xmlns:oai_dc": OAI_DC_NS,
            "xmlns:dc": DC_NS,
            "xsi:schemaLocation": f"{OAI_DC_NS} {OAI_DC_SCHEMA}",
        },
    )
    for name, value in dublin_core(product):
        SubElement(dc, f"dc:{name}").text = value


def dublin_core(product: Kennisproduct) -> list[tuple[str, str]]:
    """The product in Dublin Core: (element, value) pairs, in the order of the standard."""
    url = settings.SITE_URL.rstrip("/") + product.get_absolute_url()
    elements = [("title", product.titel)]
    elements += [("creator", naam) for naam in auteursnamen(product)]
    elements += [("subject", voorwaarde.naam) for voorwaarde in product.voorwaarden.all()]
    if product.fase:
        elements.append(("subject", f"Toolbox: {product.get_fase_display()}"))
    elements.append(("description", product.samenvatting))
    elements.append(("publisher", PUBLISHER))
    elements += [("contributor", organisatie.naam) for organisatie in product.organisaties.all()]
    elements.append(("date", product.datum.isoformat() if product.datum else str(product.jaar)))
    elements.append(("type", DC_TYPES.get(product.soort, "Text")))
    if product.bestand_type:
        elements.append(("format", CONTENT_TYPES[product.bestand_type]))
    elements.append(("identifier", url))
    if product.identifier_url:
        elements.append(("identifier", product.identifier_url))
    elif product.link:
        elements.append(("identifier", product.link))
    elements.append(("language", product.taal))
    elements += [("relation", atelier.naam) for atelier in product.leerateliers.all()]
    elements.append(("rights", product.get_licentie_display()))
    return elements


def _datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": _list,
    "ListRecords": _list,
}
