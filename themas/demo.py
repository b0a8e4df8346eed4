"""Demo content of the themas app: the five professionaliseringsthema's, in our own words,
with invented thematrekkers and the leerateliers each one crosses."""

from leerateliers.models import Leeratelier
from netwerk import demo as netwerk_demo
from themas.models import Thema

THEMAS = [
    {
        "slug": "ervaringsdeskundigheid",
        "naam": "Ervaringsdeskundigheid",
        "ondertitel": (
            "Ervaringskennis als volwaardige bron naast professionele en wetenschappelijke kennis"
        ),
        "inleiding": (
            "Mensen die zelf armoede, uitsluiting of psychische kwetsbaarheid hebben "
            "meegemaakt, weten iets wat anderen niet weten. Dit thema onderzoekt hoe die "
            "kennis een vaste plek krijgt in praktijk, onderwijs en onderzoek."
        ),
        "doen": [
            "Voorbeelden verzamelen van ervaringsdeskundigen in de leerateliers.",
            "Samen met opleidingen werken aan de inzet van ervaringskennis in lessen.",
            "Een tribunebijeenkomst organiseren over gelijkwaardig samenwerken.",
        ],
        "trekker": ("thema.ervaring@example.nl", "Esther Ervaart"),
        "ateliers": ["armoede", "jongeren-inclusie-en-participatie"],
    },
    {
        "slug": "samenwerken",
        "naam": "Samenwerken",
        "ondertitel": (
            "Verbinden van werelden als veranderkracht voor een rechtvaardigere samenleving"
        ),
        "inleiding": (
            "Zorg, welzijn, wonen, onderwijs en cultuur komen elkaar tegen in de wijk. Dit thema "
            "gaat over het over grenzen heen samenwerken: tussen sociale en artistieke "
            "praktijken, en tussen formele organisaties en inwonersinitiatieven."
        ),
        "doen": [
            "Samenwerkingsvragen ophalen uit de praktijken van de leerateliers.",
            "Die vragen verbinden met kennis uit onderzoek en onderwijs.",
            "Tribunebijeenkomsten organiseren waar leerateliers van elkaar leren.",
            "Tools en werkvormen voor samenwerking verder ontwikkelen.",
        ],
        "trekker": ("thema.samenwerken@example.org", "Sanne Verbinder"),
        "ateliers": ["betekenisvol-contact-in-de-wijk", "sociale-duurzaamheid", "armoede"],
    },
    {
        "slug": "impact-in-de-sociale-basis",
        "naam": "Impact in de sociale basis",
        "ondertitel": "Zichtbaar maken wat de sociale basis oplevert",
        "inleiding": (
            "Wat levert een buurthuis, een maatjesproject of een moestuin eigenlijk op? Dit "
            "thema zoekt naar manieren om de waarde van de sociale basis te laten zien, "
            "zonder die te versmallen tot cijfers."
        ),
        "doen": [
            "Evaluatievormen verzamelen die passen bij kleine initiatieven.",
            "Met gemeenten bespreken wat zij willen weten, en waarom.",
        ],
        "trekker": ("thema.impact@example.nl", "Ivo Meetbaar"),
        "ateliers": ["betekenisvol-contact-in-de-wijk", "veerkrachtig-ouder-worden"],
    },
    {
        "slug": "politiserend-werken",
        "naam": "Politiserend werken",
        "ondertitel": "Persoonlijke problemen verbinden met maatschappelijke oorzaken",
        "inleiding": (
            "Sociaal werkers zien wat er misgaat in regels en systemen. Politiserend werken "
            "betekent die signalen samen met inwoners op de agenda zetten."
        ),
        "doen": [
            "Casussen uit de leerateliers bespreken waarin regels mensen klem zetten.",
            "Een leerkring opzetten voor professionals die signalen willen agenderen.",
        ],
        "trekker": ("thema.politiserend@example.org", "Pepijn Agendamaker"),
        "ateliers": ["armoede", "sociale-duurzaamheid"],
    },
    {
        "slug": "sociale-technologie",
        "naam": "Sociale technologie",
        "ondertitel": "Technologie die verbindt in plaats van uitsluit",
        "inleiding": (
            "Digitale middelen kunnen contact en zelfstandigheid versterken, maar ook mensen "
            "buitensluiten. Dit thema onderzoekt met gebruikers wat werkt."
        ),
        "doen": [
            "Ervaringen ophalen met digitale hulpmiddelen bij ouderen en jongeren.",
            "Samen met studenten kleine experimenten opzetten.",
        ],
        "trekker": ("thema.technologie@example.nl", "Tessa Digitaal"),
        "ateliers": ["veerkrachtig-ouder-worden", "jongeren-inclusie-en-participatie"],
    },
]


def seed(*, scale: int, stdout) -> None:
    for data in THEMAS:
        email, naam = data["trekker"]
        trekker = netwerk_demo.ensure_persoon(
            email=email,
            naam=naam,
            password=netwerk_demo.DEMO_PASSWORD,
            functie="Thematrekker",
            profiel_zichtbaar=True,
        )
        thema, created = Thema.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "naam": data["naam"],
                "ondertitel": data["ondertitel"],
                "inleiding": data["inleiding"],
                "wat_gaan_we_doen": "\n".join(data["doen"]),
            },
        )
        if created:
            thema.thematrekkers.add(trekker)
            thema.leerateliers.add(*Leeratelier.objects.filter(slug__in=data["ateliers"]))
    if scale > 1:
        seed_synthetic(scale=scale)


def seed_synthetic(*, scale: int) -> None:
    count = (scale - 1) * len(THEMAS)
    Thema.objects.bulk_create(
        [
            Thema(slug=f"synth-thema-{index}", naam=f"Synthetisch thema {index}")
            for index in range(count)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    themas = list(
        Thema.objects.filter(slug__startswith="synth-thema-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ateliers = list(
        Leeratelier.objects.filter(slug__startswith="synth-leeratelier-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ateliers:
        return
    through = Thema.leerateliers.through
    through.objects.bulk_create(
        [
            through(thema_id=pk, leeratelier_id=ateliers[index % len(ateliers)])
            for index, pk in enumerate(themas)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
