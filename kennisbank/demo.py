"""Demo content of the kennisbank, from the seeds in our own words: the Toolbox voor
samenwerken in de wijk with the partnerschapskaart (seed 003), a literature study on
energiearmoede (seed 001) as a PDF, and a kennisdossier on ervaringsdeskundigheid (seed 002).
Authors are invented, at example.org. `--scale N` adds synthetic products for benchmarks."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bijeenkomsten.models import Bijeenkomst
from kennisbank import services
from kennisbank.models import DossierOnderdeel, Kennisdossier, Kennisproduct
from leerateliers.models import Leeratelier, LerendePraktijk, Voorwaarde
from themas.models import Thema, Update
from themas.rendering import render_markdown

SYNTHETIC_PER_SCALE = 100

PRODUCTEN = [
    {
        "titel": "Toolbox voor samenwerken in de wijk",
        "soort": Kennisproduct.Soort.TOOL,
        "samenvatting": (
            "Werkvormen voor professionals, vrijwilligers en bewoners die samen iets in de wijk "
            "willen bereiken, geordend naar de vier fasen van samenwerken: verkennen, "
            "vormgeven, verdiepen en verankeren."
        ),
        "tekst": (
            "## Voor wie\n\nVoor iedereen die in de wijk samenwerkt over de grenzen van zorg, "
            "welzijn, wonen en cultuur heen.\n\n## Wat erin staat\n\n- per fase een paar "
            "werkvormen\n- de partnerschapskaart\n- vragen om samen op terug te kijken"
        ),
        "jaar": 2023,
        "link": "https://example.org/toolbox-samenwerken-in-de-wijk",
        "voorwaarden": ["sociale-cohesie", "sociale-empowerment"],
        "ateliers": ["betekenisvol-contact-in-de-wijk"],
        "themas": ["samenwerken"],
        "auteurs": ["Bas Ontmoetman", "Wendy Wijkwerker"],
    },
    {
        "titel": "De partnerschapskaart",
        "soort": Kennisproduct.Soort.TOOL,
        "samenvatting": (
            "Breng in kaart wie er in de wijk samenwerkt, wie elkaar nog niet kent en waar "
            "het partnerschap sterker kan: een werkvorm uit de Toolbox."
        ),
        "jaar": 2023,
        "fase": Kennisproduct.Fase.VERKENNEN,
        "link": "https://example.org/toolbox-samenwerken-in-de-wijk/partnerschapskaart",
        "voorwaarden": ["sociale-cohesie"],
        "ateliers": ["betekenisvol-contact-in-de-wijk"],
        "themas": ["samenwerken"],
        "auteurs": ["Bas Ontmoetman"],
        "praktijk": True,
    },
    {
        "titel": "Energiearmoede: wat weten we, en wat helpt?",
        "soort": Kennisproduct.Soort.ONDERZOEKSRAPPORT,
        "samenvatting": (
            "Een literatuurstudie naar energiearmoede: wie het treft, wat het met mensen doet "
            "en welke aanpakken in wijken werken."
        ),
        "jaar": 2024,
        "pdf": (
            "Energiearmoede treft huishoudens met een laag inkomen in slecht geisoleerde "
            "woningen. Energiecoaches en buurtteams bereiken samen meer dan alleen."
        ),
        "voorwaarden": ["sociaal-economische-zekerheid", "sociale-inclusie"],
        "ateliers": ["armoede", "sociale-duurzaamheid"],
        "themas": [],
        "auteurs": ["Tamara Geldhof", "Dirk Wijkhoven"],
    },
]


def simple_pdf(text: str, *, javascript: str | None = None) -> bytes:
    """A one-page PDF showing `text` (Latin-1, one line); `javascript` adds an open action
    that runs it, which the kennisbank refuses."""
    content = f"BT /F1 11 Tf 40 720 Td ({text}) Tj ET".encode("latin-1")
    open_action = b" /OpenAction 6 0 R" if javascript else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R%s >>" % open_action,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if javascript:
        objects.append(b"<< /S /JavaScript /JS (%s) >>" % javascript.encode("latin-1"))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def seed(*, scale: int, stdout) -> None:
    voorwaarden = {voorwaarde.slug: voorwaarde for voorwaarde in Voorwaarde.objects.all()}
    for data in PRODUCTEN:
        if Kennisproduct.objects.filter(titel=data["titel"]).exists():
            continue
        ateliers = list(Leeratelier.objects.filter(slug__in=data["ateliers"]))
        if not ateliers:
            continue
        door = ateliers[0].trekkers.first()
        praktijk = (
            LerendePraktijk.objects.filter(leeratelier=ateliers[0]).order_by("pk").first()
            if data.get("praktijk")
            else None
        )
        # Through the service, as a trekker would: the PDF checked and its text kept.
        product = services.save_product(
            door=door,
            invoer=services.ProductInvoer(
                titel=data["titel"],
                soort=data["soort"],
                samenvatting=data["samenvatting"],
                tekst=data.get("tekst", ""),
                jaar=data["jaar"],
                fase=data.get("fase", ""),
                link=data.get("link", ""),
                overige_auteurs="\n".join(data["auteurs"]),
                lerende_praktijk=praktijk,
                voorwaarden=[voorwaarden[slug] for slug in data["voorwaarden"]],
                leerateliers=ateliers,
                themas=list(Thema.objects.filter(slug__in=data["themas"])),
            ),
            bestand=(
                SimpleUploadedFile("studie.pdf", simple_pdf(data["pdf"])) if "pdf" in data else None
            ),
        )
        services.publish_product(product=product, door=door)
    _seed_dossier()
    if scale > 1:
        seed_synthetic(scale=scale, voorwaarden=list(voorwaarden.values()))
    stdout.write(f"Kennisbank: {Kennisproduct.objects.count()} kennisproducten.")


def _seed_dossier() -> None:
    inleiding = (
        "Werkplaatsen sociaal domein in het hele land werken met ervaringsdeskundigen. In dit "
        "dossier staat wat zij samen leerden: over gelijkwaardig samenwerken, over opleiden "
        "en over de plek van ervaringskennis naast professionele kennis."
    )
    dossier, created = Kennisdossier.objects.get_or_create(
        slug="ervaringsdeskundigheid",
        defaults={
            "titel": "Ervaringsdeskundigheid",
            "samenvatting": "Wat werkplaatsen samen leerden over de inzet van ervaringskennis.",
            "inleiding": inleiding,
            "inleiding_html": render_markdown(inleiding),
            "gepubliceerd": True,
        },
    )
    if not created:
        return
    onderdelen = [
        DossierOnderdeel(dossier=dossier, volgorde=index, product=product)
        for index, product in enumerate(Kennisproduct.objects.gepubliceerd().order_by("pk")[:2])
    ]
    update = Update.objects.filter(thema__slug="ervaringsdeskundigheid").first()
    if update:
        onderdelen.append(DossierOnderdeel(dossier=dossier, volgorde=10, update=update))
    bijeenkomst = Bijeenkomst.objects.filter(status=Bijeenkomst.Status.GEPUBLICEERD).first()
    if bijeenkomst:
        onderdelen.append(DossierOnderdeel(dossier=dossier, volgorde=20, bijeenkomst=bijeenkomst))
    DossierOnderdeel.objects.bulk_create(onderdelen)


def seed_synthetic(*, scale: int, voorwaarden: list[Voorwaarde]) -> None:
    """Products behind links, written in bulk past the services (benchmarks only)."""
    count = (scale - 1) * SYNTHETIC_PER_SCALE
    rng = random.Random(20)  # nosec B311: demo data, not a secret
    soorten = [soort for soort, _label in Kennisproduct.Soort.choices]
    fasen = ["", *(fase for fase, _label in Kennisproduct.Fase.choices)]
    woorden = ["eenzaamheid", "armoede", "samenwerken", "wijk", "jongeren", "ouderen", "zorg"]
    now = timezone.now()
    Kennisproduct.objects.bulk_create(
        [
            Kennisproduct(
                titel=f"Synthetisch kennisproduct {index} over {rng.choice(woorden)}",
                slug=f"synth-product-{index}",
                soort=rng.choice(soorten),
                samenvatting=f"Over {rng.choice(woorden)} en {rng.choice(woorden)} in de wijk.",
                jaar=rng.randint(2015, 2025),
                fase=rng.choice(fasen),
                link=f"https://example.org/synth/{index}",
                status=Kennisproduct.Status.GEPUBLICEERD,
                gepubliceerd_op=now,
            )
            for index in range(count)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    products = list(
        Kennisproduct.objects.filter(slug__startswith="synth-product-").values_list("pk", flat=True)
    )
    through = Kennisproduct.voorwaarden.through
    through.objects.bulk_create(
        [
            through(kennisproduct_id=pk, voorwaarde_id=voorwaarden[index % len(voorwaarden)].pk)
            for index, pk in enumerate(products)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    ateliers = list(Leeratelier.objects.order_by("pk").values_list("pk", flat=True))
    if ateliers:
        through = Kennisproduct.leerateliers.through
        through.objects.bulk_create(
            [
                through(kennisproduct_id=pk, leeratelier_id=ateliers[index % len(ateliers)])
                for index, pk in enumerate(products)
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
