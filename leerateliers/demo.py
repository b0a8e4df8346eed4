"""Demo content of the leerateliers app: the five leerateliers of the werkplaats, described
in our own words, with invented trekkers, lerende praktijken and deelnames in both rollen."""

from datetime import date

from django.utils import timezone

from leerateliers.models import Deelname, Leeratelier, LerendePraktijk, Voorwaarde
from netwerk import demo as netwerk_demo
from netwerk.models import Organisatie, Persoon
from themas.rendering import render_markdown

LEERATELIERS = [
    {
        "slug": "armoede",
        "naam": "Armoede",
        "sociale_kwestie": "Armoede en schulden",
        "samenvatting": (
            "Hoe houden huishoudens met weinig geld grip op hun bestaan, en wat kan de "
            "sociale basis daaraan bijdragen?"
        ),
        "beschrijving": (
            "Geldzorgen raken aan alles: gezondheid, relaties, werk en meedoen. In dit "
            "leeratelier kijken gemeenten, welzijnswerk, vrijwilligers en ervaringsdeskundigen "
            "samen naar wat werkt om schulden te voorkomen en mensen vroeg te bereiken.\n\n"
            "We leren van praktijken in de wijk, zoals thuisadministratie door vrijwilligers "
            "en een geldspreekuur in de bibliotheek."
        ),
        "voorwaarden": ["sociaal-economische-zekerheid", "sociale-empowerment"],
        "trekker": ("trekker.armoede@example.org", "Tamara Geldhof"),
        "start": date(2020, 1, 1),
        "praktijken": [
            (
                "Geldspreekuur in de buurtbibliotheek",
                "Vrijwilligers en schuldhulpverleners houden samen een laagdrempelig "
                "spreekuur. Wat maakt dat mensen de stap zetten?",
                ["stichting-geldzorgen-samen", "gemeente-waalkant"],
            ),
        ],
    },
    {
        "slug": "betekenisvol-contact-in-de-wijk",
        "naam": "Betekenisvol contact in de wijk",
        "sociale_kwestie": "Eenzaamheid en betekenisvol contact",
        "samenvatting": (
            "Ontmoeting die ertoe doet: hoe buurten plekken en gelegenheden maken waar "
            "mensen elkaar echt zien."
        ),
        "beschrijving": (
            "Eenzaamheid los je niet op met een activiteit alleen. Dit leeratelier onderzoekt "
            "met bewoners, buurtwerk en zorg hoe contact ontstaat dat mensen zelf waardevol "
            "vinden, en hoe professionals daar ruimte voor maken zonder het over te nemen."
        ),
        "voorwaarden": ["sociale-cohesie", "sociale-inclusie"],
        "trekker": ("trekker.contact@example.org", "Bas Ontmoetman"),
        "start": date(2020, 1, 1),
        "praktijken": [
            (
                "Buurtmaaltijd als ontmoetingsplek",
                "Een wekelijkse maaltijd door en voor bewoners: wie komt er, wie niet, en waarom?",
                ["samen-aan-tafel", "samen-in-de-wijk"],
            ),
            (
                "Moestuin als verbinder",
                "Samen tuinieren als aanleiding voor contact tussen generaties.",
                ["buurtmoestuin-zonnehoek", "stichting-buurtkracht"],
            ),
        ],
    },
    {
        "slug": "jongeren-inclusie-en-participatie",
        "naam": "Jongeren, Inclusie en Participatie (JIP)",
        "sociale_kwestie": "Jongeren met een ondersteuningsbehoefte",
        "samenvatting": (
            "Wat hebben jongeren met een ondersteuningsbehoefte nodig om mee te doen op school, "
            "op straat en in de buurt?"
        ),
        "beschrijving": (
            "Jongeren weten vaak zelf het best wat hen helpt. In JIP werken jongerenwerk, "
            "scholen, gemeenten en onderzoekers samen met jongeren aan plekken en "
            "ondersteuning die aansluiten bij hun leefwereld."
        ),
        "voorwaarden": ["sociale-inclusie", "sociale-empowerment"],
        "trekker": ("trekker.jip@example.org", "Jolien Jeugdveld"),
        "start": date(2020, 1, 1),
        "praktijken": [
            (
                "Buitenplekken voor meiden",
                "Met tienermeiden onderzoeken welke openbare plekken zij prettig en veilig vinden.",
                ["welzijnshuis-de-linge", "gemeente-rijnvallei"],
            ),
        ],
    },
    {
        "slug": "sociale-duurzaamheid",
        "naam": "Sociale Duurzaamheid",
        "sociale_kwestie": "Samen wonen in de wijk",
        "samenvatting": (
            "Wijken die veranderen door verduurzaming en nieuwbouw: hoe blijft iedereen "
            "erbij horen?"
        ),
        "beschrijving": (
            "Renovaties, energietransitie en nieuwe bewoners veranderen een buurt. "
            "Woningcorporaties, gemeenten en bewoners leren hier samen hoe zulke veranderingen "
            "de onderlinge verbondenheid versterken in plaats van verzwakken."
        ),
        "voorwaarden": ["sociale-cohesie", "sociaal-economische-zekerheid"],
        "trekker": ("trekker.duurzaam@example.org", "Dirk Wijkhoven"),
        "start": date(2023, 1, 1),
        "praktijken": [
            (
                "Renovatie met de buurt",
                "Bewoners denken vanaf het begin mee over de renovatie van hun portiekflats.",
                ["woonstichting-thuis-aan-de-rijn", "waalwonen"],
            ),
        ],
    },
    {
        "slug": "veerkrachtig-ouder-worden",
        "naam": "Veerkrachtig ouder worden",
        "sociale_kwestie": "Ouder worden in de eigen buurt",
        "samenvatting": (
            "Zo lang mogelijk thuis en van betekenis blijven, met steun van buren, "
            "vrijwilligers en zorg."
        ),
        "beschrijving": (
            "Ouderen willen meedoen en regie houden. Zorg, welzijn, cultuur en bewoners "
            "onderzoeken in dit leeratelier hoe formele en informele steun elkaar aanvullen."
        ),
        "voorwaarden": ["sociale-empowerment", "sociale-cohesie", "sociale-inclusie"],
        "trekker": ("trekker.ouder@example.org", "Olga Veerman"),
        "start": date(2023, 1, 1),
        "praktijken": [
            (
                "Samen zingen in het buurthuis",
                "Een koor van ouderen en studenten als oefenplek voor sociaal-artistiek werken.",
                ["muziekhuis-de-maat", "thuiszorg-over-de-rijn"],
            ),
        ],
    },
]

# (partner email, atelier slug, rol, status): both rollen, and a few open arena requests.
DEELNAMES = [
    ("anouk.veldkamp@example.org", "betekenisvol-contact-in-de-wijk", "arena", "actief"),
    ("anouk.veldkamp@example.org", "armoede", "tribune", "actief"),
    ("bram.ter.linde@example.nl", "jongeren-inclusie-en-participatie", "arena", "actief"),
    ("bram.ter.linde@example.nl", "sociale-duurzaamheid", "tribune", "actief"),
    ("chaima.el.haddaoui@example.org", "jongeren-inclusie-en-participatie", "arena", "actief"),
    ("daan.rivierman@example.nl", "sociale-duurzaamheid", "arena", "actief"),
    ("eva.kroonenberg@example.org", "veerkrachtig-ouder-worden", "arena", "actief"),
    ("eva.kroonenberg@example.org", "betekenisvol-contact-in-de-wijk", "tribune", "actief"),
    ("fenna.hoogland@example.nl", "veerkrachtig-ouder-worden", "arena", "aangevraagd"),
    ("gijs.molenveld@example.org", "betekenisvol-contact-in-de-wijk", "tribune", "actief"),
    ("hatice.yilmazer@example.nl", "armoede", "arena", "actief"),
    ("iris.bosschaert@example.org", "jongeren-inclusie-en-participatie", "tribune", "actief"),
    ("jesse.van.dalen@example.nl", "jongeren-inclusie-en-participatie", "arena", "aangevraagd"),
    ("karin.wolters@example.org", "veerkrachtig-ouder-worden", "tribune", "actief"),
    ("lotte.brinkhorst@example.nl", "betekenisvol-contact-in-de-wijk", "arena", "actief"),
    ("mo.bennani@example.org", "sociale-duurzaamheid", "tribune", "actief"),
    ("noor.zandbergen@example.nl", "armoede", "arena", "actief"),
    ("otto.kampschreur@example.org", "sociale-duurzaamheid", "arena", "actief"),
    ("pien.harmsen@example.nl", "jongeren-inclusie-en-participatie", "tribune", "actief"),
    ("quinten.aalders@example.org", "jongeren-inclusie-en-participatie", "tribune", "actief"),
    ("ruth.oosterwijk@example.nl", "armoede", "arena", "actief"),
    ("sam.verhoeven@example.org", "betekenisvol-contact-in-de-wijk", "tribune", "actief"),
    ("tirza.mulderink@example.nl", "veerkrachtig-ouder-worden", "tribune", "actief"),
]


def seed(*, scale: int, stdout) -> None:
    voorwaarden = {voorwaarde.slug: voorwaarde for voorwaarde in Voorwaarde.objects.all()}
    organisaties = {organisatie.slug: organisatie for organisatie in Organisatie.objects.all()}
    ateliers = {}
    for data in LEERATELIERS:
        email, naam = data["trekker"]
        trekker = netwerk_demo.ensure_persoon(
            email=email,
            naam=naam,
            password=netwerk_demo.DEMO_PASSWORD,
            functie="Onderzoeker, trekker van het leeratelier",
            organisatie=organisaties["kenniscentrum-sociale-kwaliteit"],
            profiel_zichtbaar=True,
        )
        atelier, created = Leeratelier.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "naam": data["naam"],
                "sociale_kwestie": data["sociale_kwestie"],
                "samenvatting": data["samenvatting"],
                "beschrijving": data["beschrijving"],
                "beschrijving_html": render_markdown(data["beschrijving"]),
                "startdatum": data["start"],
            },
        )
        ateliers[atelier.slug] = atelier
        if not created:
            continue
        atelier.trekkers.add(trekker)
        atelier.voorwaarden.add(*(voorwaarden[slug] for slug in data["voorwaarden"]))
        for titel, beschrijving, partners in data["praktijken"]:
            praktijk = LerendePraktijk.objects.create(
                leeratelier=atelier,
                titel=titel,
                beschrijving=beschrijving,
                beschrijving_html=render_markdown(beschrijving),
                startdatum=date(2024, 1, 1),
            )
            praktijk.partners.add(*(organisaties[slug] for slug in partners))
            praktijk.voorwaarden.add(*(voorwaarden[slug] for slug in data["voorwaarden"][:1]))
    now = timezone.now()
    for email, slug, rol, status in DEELNAMES:
        persoon = Persoon.objects.get(email=email)
        if Deelname.objects.filter(persoon=persoon, leeratelier=ateliers[slug]).exists():
            continue
        Deelname.objects.create(
            persoon=persoon,
            leeratelier=ateliers[slug],
            organisatie_id=persoon.organisatie_id,
            rol=rol,
            status=status,
            arena_aangevraagd_op=now if status == Deelname.Status.AANGEVRAAGD else None,
        )
    if scale > 1:
        seed_synthetic(scale=scale, voorwaarden=list(voorwaarden.values()))
    stdout.write(
        f"Demo trekker with an open arena request on /mijn/: {LEERATELIERS[2]['trekker'][0]}; "
        f"every demo person has the password {netwerk_demo.DEMO_PASSWORD!r}."
    )


def seed_synthetic(*, scale: int, voorwaarden: list[Voorwaarde]) -> None:
    """(scale - 1) × the five ateliers, each with deelnames of synthetic people."""
    count = (scale - 1) * len(LEERATELIERS)
    Leeratelier.objects.bulk_create(
        [
            Leeratelier(
                slug=f"synth-leeratelier-{index}",
                naam=f"Synthetisch leeratelier {index}",
                sociale_kwestie="Synthetische kwestie",
                samenvatting="Synthetische inhoud voor benchmarks.",
            )
            for index in range(count)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    ateliers = list(
        Leeratelier.objects.filter(slug__startswith="synth-leeratelier-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    through = Leeratelier.voorwaarden.through
    through.objects.bulk_create(
        [
            through(leeratelier_id=pk, voorwaarde_id=voorwaarden[index % len(voorwaarden)].pk)
            for index, pk in enumerate(ateliers)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    people = list(
        Persoon.objects.filter(email__startswith="synth-")
        .order_by("pk")
        .values_list("pk", "organisatie_id")
    )
    rollen = [Deelname.Rol.ARENA, Deelname.Rol.TRIBUNE]
    # Each synthetic person takes part in two ateliers; the partial unique constraint makes
    # a second run insert nothing (ON CONFLICT DO NOTHING).
    Deelname.objects.bulk_create(
        [
            Deelname(
                persoon_id=persoon_id,
                organisatie_id=organisatie_id,
                leeratelier_id=ateliers[(index + offset) % len(ateliers)],
                rol=rollen[(index + offset) % 2],
                status=Deelname.Status.ACTIEF,
            )
            for index, (persoon_id, organisatie_id) in enumerate(people)
            for offset in (0, 7)
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
