"""Demo content of the netwerk app: invented organisaties and people, at example.org /
example.nl addresses only, so no demo can ever mail a real person."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from netwerk import services
from netwerk.models import (
    Domein,
    Lidmaatschap,
    Organisatie,
    OrganisatieAlias,
    Persoon,
    normalise_organisatie_naam,
)
from werkplaats.roles import make_coordinator

BEHEERDER_EMAIL = "beheer@example.org"
COORDINATOR_EMAIL = "coordinator@example.org"
# Deliberate (bandit B105): the demo's published password (README), for demo content only.
DEMO_PASSWORD = "werkplaats-demo"  # nosec B105

# (slug, naam, soort, plaats, domeinen, beschrijving): invented, in Gelderland places.
ORGANISATIES = [
    (
        "gemeente-rijnvallei",
        "Gemeente Rijnvallei",
        "gemeente",
        "Arnhem",
        ["welzijn", "werk-en-inkomen", "wonen"],
        "Een gemeente aan de Rijn met veel aandacht voor de sociale basis in de wijken.",
    ),
    (
        "gemeente-waalkant",
        "Gemeente Waalkant",
        "gemeente",
        "Nijmegen",
        ["welzijn", "zorg", "veiligheid"],
        "Werkt met wijkteams en inwoners aan bestaanszekerheid.",
    ),
    (
        "gemeente-veluwezoom-oost",
        "Gemeente Veluwezoom-Oost",
        "gemeente",
        "Rheden",
        ["welzijn", "sport"],
        "Kleine gemeente met dorpen die elkaar goed kennen.",
    ),
    (
        "stichting-buurtkracht",
        "Stichting Buurtkracht",
        "welzijnsorganisatie",
        "Arnhem",
        ["welzijn"],
        "Buurtwerk, opbouwwerk en ondersteuning van bewonersinitiatieven.",
    ),
    (
        "welzijn-waalsprong",
        "Welzijn Waalsprong",
        "welzijnsorganisatie",
        "Nijmegen",
        ["welzijn", "werk-en-inkomen"],
        "Sociaal werk voor jong en oud in de nieuwe wijken.",
    ),
    (
        "samen-in-de-wijk",
        "Samen in de Wijk",
        "welzijnsorganisatie",
        "Ede",
        ["welzijn", "zorg"],
        "Ouderenwerk, mantelzorgondersteuning en buurthuizen.",
    ),
    (
        "welzijnshuis-de-linge",
        "Welzijnshuis De Linge",
        "welzijnsorganisatie",
        "Tiel",
        ["welzijn", "onderwijs"],
        "Jongerenwerk en schoolmaatschappelijk werk.",
    ),
    (
        "zorgcollectief-de-brug",
        "Zorgcollectief De Brug",
        "zorgorganisatie",
        "Wijchen",
        ["zorg"],
        "Wijkverpleging en dagbesteding dicht bij huis.",
    ),
    (
        "thuiszorg-over-de-rijn",
        "Thuiszorg Over de Rijn",
        "zorgorganisatie",
        "Zevenaar",
        ["zorg", "wonen"],
        "Zorg thuis, met oog voor eenzaamheid.",
    ),
    (
        "wijkverpleging-heuvelland",
        "Wijkverpleging Heuvelland",
        "zorgorganisatie",
        "Groesbeek",
        ["zorg"],
        "Kleinschalige wijkverpleging in de dorpen.",
    ),
    (
        "ggz-rivierenland-demo",
        "GGZ-team Rivierenoever",
        "zorgorganisatie",
        "Culemborg",
        ["zorg", "welzijn"],
        "Ambulante ondersteuning voor mensen met psychische kwetsbaarheid.",
    ),
    (
        "hogeschool-gelderse-poort",
        "Hogeschool Gelderse Poort",
        "onderwijsinstelling",
        "Nijmegen",
        ["onderwijs", "welzijn"],
        "Opleidingen sociaal werk, pedagogiek en toegepaste psychologie.",
    ),
    (
        "roc-rivierstad",
        "ROC Rivierstad",
        "onderwijsinstelling",
        "Arnhem",
        ["onderwijs"],
        "Mbo-opleidingen zorg en welzijn, met studenten in de wijk.",
    ),
    (
        "basisschool-de-vlinder",
        "Basisschool De Vlinder",
        "onderwijsinstelling",
        "Duiven",
        ["onderwijs"],
        "Een brede school die samenwerkt met jongerenwerk en wijkteam.",
    ),
    (
        "kenniscentrum-sociale-kwaliteit",
        "Kenniscentrum Sociale Kwaliteit",
        "kennisinstituut",
        "Nijmegen",
        ["welzijn", "zorg", "wonen"],
        "Praktijkgericht onderzoek naar sociale kwaliteit in de sociale basis.",
    ),
    (
        "lectoraat-wijkgericht-werken",
        "Lectoraat Wijkgericht Werken",
        "kennisinstituut",
        "Arnhem",
        ["welzijn", "onderwijs"],
        "Onderzoekers die samen met praktijken leren.",
    ),
    (
        "woonstichting-thuis-aan-de-rijn",
        "Woonstichting Thuis aan de Rijn",
        "woningcorporatie",
        "Arnhem",
        ["wonen"],
        "Sociale huurwoningen en buurtbeheer.",
    ),
    (
        "waalwonen",
        "Wooncorporatie Waalwonen",
        "woningcorporatie",
        "Nijmegen",
        ["wonen", "veiligheid"],
        "Verhuurt woningen en investeert in leefbare buurten.",
    ),
    (
        "woonbedrijf-de-betuwe",
        "Woonbedrijf De Betuwe",
        "woningcorporatie",
        "Elst",
        ["wonen"],
        "Betaalbaar wonen in de dorpen van de Betuwe.",
    ),
    (
        "theaterwerkplaats-het-podium",
        "Theaterwerkplaats Het Podium",
        "cultuurorganisatie",
        "Arnhem",
        ["cultuur"],
        "Sociaal-artistieke projecten met buurtbewoners.",
    ),
    (
        "buurtatelier-kleurrijk",
        "Buurtatelier Kleurrijk",
        "cultuurorganisatie",
        "Nijmegen",
        ["cultuur", "welzijn"],
        "Een open atelier waar iedereen kan maken en ontmoeten.",
    ),
    (
        "muziekhuis-de-maat",
        "Muziekhuis De Maat",
        "cultuurorganisatie",
        "Doetinchem",
        ["cultuur", "onderwijs"],
        "Muziekles en samenspel voor jong en oud.",
    ),
    (
        "buurtmoestuin-zonnehoek",
        "Buurtmoestuin Zonnehoek",
        "inwonersinitiatief",
        "Arnhem",
        ["welzijn"],
        "Bewoners tuinieren samen en delen de oogst.",
    ),
    (
        "repair-cafe-de-schroevendraaier",
        "Repair Café De Schroevendraaier",
        "inwonersinitiatief",
        "Wageningen",
        ["welzijn"],
        "Samen repareren, elkaar ontmoeten.",
    ),
    (
        "samen-aan-tafel",
        "Samen aan Tafel",
        "inwonersinitiatief",
        "Culemborg",
        ["welzijn", "zorg"],
        "Een wekelijkse buurtmaaltijd tegen eenzaamheid.",
    ),
    (
        "buurtvaders-oost",
        "Buurtvaders Oost",
        "inwonersinitiatief",
        "Nijmegen",
        ["veiligheid", "welzijn"],
        "Vaders die in de avond aanwezig zijn in de wijk.",
    ),
    (
        "werkplaats-sociaal-domein-arnhem-nijmegen",
        "Werkplaats Sociaal Domein Arnhem Nijmegen",
        "werkplaats",
        "Nijmegen",
        ["welzijn", "zorg", "wonen", "werk-en-inkomen"],
        "Het regionale netwerk van praktijk, onderwijs en onderzoek voor sociale kwaliteit.",
    ),
    (
        "sportbedrijf-beweegwijs",
        "Sportbedrijf Beweegwijs",
        "overig",
        "Ede",
        ["sport"],
        "Buurtsportcoaches en beweegaanbod in de wijk.",
    ),
    (
        "vrijwilligerscentrale-de-schakel",
        "Vrijwilligerscentrale De Schakel",
        "overig",
        "Renkum",
        ["welzijn"],
        "Brengt vrijwilligers en hulpvragen bij elkaar.",
    ),
    (
        "stichting-geldzorgen-samen",
        "Stichting Geldzorgen Samen",
        "overig",
        "Wijchen",
        ["werk-en-inkomen"],
        "Vrijwillige thuisadministratie en hulp bij schulden.",
    ),
]

# (email, naam, organisatie slug, functie, profiel zichtbaar): invented people.
PARTNERS = [
    ("anouk.veldkamp@example.org", "Anouk Veldkamp", "stichting-buurtkracht", "Opbouwwerker", True),
    ("bram.ter.linde@example.nl", "Bram ter Linde", "gemeente-rijnvallei", "Beleidsadviseur", True),
    (
        "chaima.el.haddaoui@example.org",
        "Chaima el Haddaoui",
        "welzijn-waalsprong",
        "Jongerenwerker",
        False,
    ),
    ("daan.rivierman@example.nl", "Daan Rivierman", "waalwonen", "Wijkconsulent", True),
    ("eva.kroonenberg@example.org", "Eva Kroonenberg", "samen-in-de-wijk", "Ouderenwerker", True),
    (
        "fenna.hoogland@example.nl",
        "Fenna Hoogland",
        "thuiszorg-over-de-rijn",
        "Wijkverpleegkundige",
        False,
    ),
    ("gijs.molenveld@example.org", "Gijs Molenveld", "theaterwerkplaats-het-podium", "Maker", True),
    ("hatice.yilmazer@example.nl", "Hatice Yilmazer", "gemeente-waalkant", "Wijkregisseur", True),
    (
        "iris.bosschaert@example.org",
        "Iris Bosschaert",
        "roc-rivierstad",
        "Docent zorg en welzijn",
        False,
    ),
    (
        "jesse.van.dalen@example.nl",
        "Jesse van Dalen",
        "welzijnshuis-de-linge",
        "Jongerenwerker",
        True,
    ),
    ("karin.wolters@example.org", "Karin Wolters", "zorgcollectief-de-brug", "Teamleider", False),
    (
        "lotte.brinkhorst@example.nl",
        "Lotte Brinkhorst",
        "buurtatelier-kleurrijk",
        "Coördinator atelier",
        True,
    ),
    ("mo.bennani@example.org", "Mo Bennani", "buurtvaders-oost", "Vrijwilliger", True),
    (
        "noor.zandbergen@example.nl",
        "Noor Zandbergen",
        "stichting-geldzorgen-samen",
        "Vrijwilliger thuisadministratie",
        False,
    ),
    (
        "otto.kampschreur@example.org",
        "Otto Kampschreur",
        "woonstichting-thuis-aan-de-rijn",
        "Buurtbeheerder",
        True,
    ),
    ("pien.harmsen@example.nl", "Pien Harmsen", "sportbedrijf-beweegwijs", "Buurtsportcoach", True),
    (
        "quinten.aalders@example.org",
        "Quinten Aalders",
        "basisschool-de-vlinder",
        "Intern begeleider",
        False,
    ),
    ("ruth.oosterwijk@example.nl", "Ruth Oosterwijk", None, "Ervaringsdeskundige", True),
    ("sam.verhoeven@example.org", "Sam Verhoeven", None, "Student sociaal werk", False),
    ("tirza.mulderink@example.nl", "Tirza Mulderink", None, "Inwoner", True),
]


def ensure_persoon(*, email: str, naam: str, password: str | None = None, **fields) -> Persoon:
    """Create a demo person with a verified address, or return the existing one."""
    persoon, created = Persoon.objects.get_or_create(email=email, defaults={"naam": naam, **fields})
    if created:
        if password:
            persoon.set_password(password)
        else:
            persoon.set_unusable_password()
        persoon.save()
        EmailAddress.objects.get_or_create(
            user=persoon, email=email, defaults={"primary": True, "verified": True}
        )
        # Demo people speak for their organisatie: a coördinator confirmed them.
        confirm_memberships(Persoon.objects.filter(pk=persoon.pk), door=None)
    return persoon


def confirm_memberships(personen, *, door: Persoon | None) -> None:
    """Confirmed memberships of the organisaties these people are with; safe to run twice."""
    Lidmaatschap.objects.bulk_create(
        [
            Lidmaatschap(
                persoon_id=pk,
                organisatie_id=organisatie_id,
                status=Lidmaatschap.Status.BEVESTIGD,
                bevestigd_via=Lidmaatschap.Via.COORDINATOR,
                besloten_door=door,
                besloten_op=timezone.now(),
            )
            for pk, organisatie_id in personen.filter(organisatie__isnull=False).values_list(
                "pk", "organisatie_id"
            )
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


def organisatie(slug: str) -> Organisatie:
    return Organisatie.objects.get(slug=slug)


def seed(*, scale: int, stdout) -> None:
    ensure_persoon(
        email=BEHEERDER_EMAIL,
        naam="Demi Beheer",
        password=DEMO_PASSWORD,
        is_staff=True,
        is_superuser=True,
    )
    coordinator = ensure_persoon(
        email=COORDINATOR_EMAIL,
        naam="Coco Coördinator",
        password=DEMO_PASSWORD,
        is_staff=True,
        functie="Coördinator werkplaats",
        profiel_zichtbaar=True,
    )
    make_coordinator(coordinator)
    domeinen = {domein.code: domein for domein in Domein.objects.all()}
    for slug, naam, soort, plaats, codes, beschrijving in ORGANISATIES:
        record, _ = Organisatie.objects.get_or_create(
            slug=slug,
            defaults={"naam": naam, "soort": soort, "plaats": plaats, "beschrijving": beschrijving},
        )
        record.domeinen.add(*(domeinen[code] for code in codes))
    for email, naam, organisatie_slug, functie, zichtbaar in PARTNERS:
        ensure_persoon(
            email=email,
            naam=naam,
            password=DEMO_PASSWORD,
            organisatie=organisatie(organisatie_slug) if organisatie_slug else None,
            functie=functie,
            profiel_zichtbaar=zichtbaar,
        )
    seed_contactpersoon_en_dubbelen(door=coordinator)
    if scale > 1:
        seed_synthetic(scale=scale, domeinen=list(domeinen.values()))
    stdout.write(
        f"Demo beheerder: log in as {BEHEERDER_EMAIL} with password {DEMO_PASSWORD!r} "
        "(also at /beheer/)."
    )
    stdout.write(f"Demo coördinator: {COORDINATOR_EMAIL}; partners e.g. {PARTNERS[0][0]}.")


# Issue 23: a gemeente with a contactpersoon and three colleagues (two share their
# registrations with her), and two other spellings of it for the coördinator to merge.
CONTACTPERSOON_EMAIL = "ria.rijnders@example.nl"
COLLEGAS = [
    ("daan.dijkman@example.nl", "Daan Dijkman", "Consulent werk en inkomen", True),
    ("eva.evers@example.nl", "Eva Evers", "Wijkcoach", True),
    ("femke.fransen@example.nl", "Femke Fransen", "Jeugdconsulent", False),
]
DUBBELE_SPELLINGEN = [
    ("gem-rijnvallei", "Gem. Rijnvallei"),
    ("rijnvallei", "Rijnvallei (gemeente)"),
]


def seed_contactpersoon_en_dubbelen(*, door: Persoon) -> None:
    """Safe to run twice: nothing is made twice, and a spelling the coördinator already
    merged (now an alias) is not made again."""
    gemeente = organisatie("gemeente-rijnvallei")
    contact = ensure_persoon(
        email=CONTACTPERSOON_EMAIL,
        naam="Ria Rijnders",
        password=DEMO_PASSWORD,
        organisatie=gemeente,
        functie="Beleidsadviseur sociaal domein",
        profiel_zichtbaar=True,
    )
    for email, naam, functie, deelt in COLLEGAS:
        ensure_persoon(
            email=email,
            naam=naam,
            password=DEMO_PASSWORD,
            organisatie=gemeente,
            functie=functie,
            deelt_aanmeldingen=deelt,
        )
    if not Lidmaatschap.objects.filter(organisatie=gemeente, is_contactpersoon=True).exists():
        services.choose_contactpersoon(organisatie=gemeente, persoon=contact, door=door)
    for slug, naam in DUBBELE_SPELLINGEN:
        merged = OrganisatieAlias.objects.filter(
            genormaliseerd=normalise_organisatie_naam(naam)
        ).exclude(organisatie__slug=slug)
        if not merged.exists():
            Organisatie.objects.get_or_create(
                slug=slug,
                defaults={"naam": naam, "soort": Organisatie.Soort.GEMEENTE, "plaats": "Arnhem"},
            )


SOORTEN = [soort for soort, _ in Organisatie.Soort.choices]
PLAATSEN = ["Arnhem", "Nijmegen", "Ede", "Wageningen", "Doetinchem", "Tiel", "Zevenaar", "Wijchen"]


def synthetic_email(index: int) -> str:
    return f"synth-{index}@example.org"


def seed_synthetic(*, scale: int, domeinen: list[Domein]) -> None:
    """(scale - 1) × the demo network as plain rows, in bulk; safe to run twice."""
    count = (scale - 1) * len(ORGANISATIES)
    Organisatie.objects.bulk_create(
        [
            Organisatie(
                slug=f"synth-organisatie-{index}",
                naam=f"Synthetische organisatie {index}",
                soort=SOORTEN[index % len(SOORTEN)],
                plaats=PLAATSEN[index % len(PLAATSEN)],
            )
            for index in range(count)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    organisaties = dict(
        Organisatie.objects.filter(slug__startswith="synth-organisatie-").values_list("slug", "pk")
    )
    through = Organisatie.domeinen.through
    through.objects.bulk_create(
        [
            through(
                organisatie_id=organisaties[f"synth-organisatie-{index}"],
                domein_id=domeinen[index % len(domeinen)].pk,
            )
            for index in range(count)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    people = (scale - 1) * len(PARTNERS)
    Persoon.objects.bulk_create(
        [
            Persoon(
                email=synthetic_email(index),
                naam=f"Synthetische persoon {index}",
                password=make_password(None),  # unusable: synthetic people never log in
                organisatie_id=organisaties[f"synth-organisatie-{index % count}"],
                profiel_zichtbaar=index % 2 == 0,
            )
            for index in range(people)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    confirm_memberships(Persoon.objects.filter(email__startswith="synth-"), door=None)
    ids = dict(Persoon.objects.filter(email__startswith="synth-").values_list("email", "pk"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, primary=True, verified=True)
            for email, pk in ids.items()
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
