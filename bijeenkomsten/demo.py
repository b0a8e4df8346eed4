"""Demo bijeenkomsten with invented attendees at example.org / example.nl only.

Registrations are written in bulk, already in a consistent state (as the services would
have left them), so seeding is fast and sends no mail.
"""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db.models import Max, Q
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from bijeenkomsten import services
from bijeenkomsten.models import (
    Aanmelding,
    Antwoord,
    Bijeenkomst,
    Groep,
    ProgrammaOnderdeel,
    Quotum,
    SessieKeuze,
    Spreker,
    Teamlid,
    Vraag,
)
from leerateliers.models import Deelname, Leeratelier
from netwerk.demo import (
    COLLEGAS,
    CONTACTPERSOON_EMAIL,
    COORDINATOR_EMAIL,
    DEMO_PASSWORD,
    ensure_persoon,
)
from netwerk.models import Organisatie, Persoon
from themas.models import Thema
from themas.rendering import render_markdown
from werkplaats.roles import make_coordinator

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
S = Aanmelding.Status

VOORNAMEN = [
    "Anouk",
    "Bram",
    "Chaima",
    "Daan",
    "Esra",
    "Floor",
    "Gijs",
    "Hanna",
    "Ilias",
    "Joke",
    "Kees",
    "Lotte",
    "Mohamed",
    "Noor",
    "Olaf",
    "Priya",
    "Quinten",
    "Roos",
    "Sem",
    "Tessa",
]
ACHTERNAMEN = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Yilmaz",
    "Visser",
    "Smit",
    "Meijer",
    "El Amrani",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
]
ORGANISATIES = [
    "Gemeente Arnhem",
    "Gemeente Nijmegen",
    "Buurtteam Oost",
    "Welzijnsorganisatie De Brug",
    "HAN Hogeschool",
    "Woningcorporatie Thuis",
    "Stichting Mantelzorg",
    "Inwonersinitiatief",
]


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    """A moment `days` from today at a local (Amsterdam) time."""
    today = timezone.localdate(timezone=AMSTERDAM)
    local = datetime.combine(today + timedelta(days=days), datetime.min.time())
    return local.replace(hour=hour, minute=minute, tzinfo=AMSTERDAM)


DEMO = [
    {
        "slug": "landelijk-symposium-werelden-verbinden",
        "titel": "Landelijk symposium: Werelden verbinden voor Sociale Kwaliteit",
        "soort": Bijeenkomst.Soort.SYMPOSIUM,
        "beschrijving": (
            "Samen met de werkplaatsen Gelderse Vallei, Noord-Brabant en Zuyd organiseren we "
            "het landelijk symposium van de Werkplaatsen Sociaal Domein. Werelden verbinden: "
            "van inwoners, professionals en beleidsmakers; van zorg, welzijn, cultuur, wonen "
            "en werk; van ervaringskennis, professionele en wetenschappelijke kennis.\n\n"
            "Het symposium zit vol, maar je kunt je nog op de wachtlijst plaatsen."
        ),
        "dagen": 24,
        "uren": (9, 30, 16, 30),
        "locatie": ("Congrescentrum De Reehorst", "Bennekomseweg 24", "Ede"),
        "capaciteit": 40,
        "bevestigd": 39,
        "aangeboden": 1,
        "wachtlijst": 12,
        "leerateliers": ["jip", "veerkrachtig-ouder-worden", "armoede"],
        # Issue 21: the questions of its registration form; the confirmed answer the first.
        "vragen": [
            {
                "tekst": "Ik ben",
                "soort": Vraag.Soort.EEN_KEUZE,
                "keuzes": "inwoner\nprofessional\nstudent\nervaringsdeskundige",
                "verplicht": True,
                "hulptekst": "Zo stemmen we de workshops af op wie er komt.",
            },
            {
                "tekst": "Aan welke workshops denk je?",
                "soort": Vraag.Soort.MEER_KEUZES,
                "keuzes": "Armoede en schulden\nVeerkrachtig ouder worden\nJIP in de wijk",
            },
            {"tekst": "Wil je op de foto?", "soort": Vraag.Soort.JA_NEE},
            {"tekst": "Wat wil je de sprekers vragen?", "soort": Vraag.Soort.LANG},
        ],
        "themas": ["samenwerken"],
    },
    {
        "slug": "tribunebijeenkomst-samenwerkingsvraagstukken",
        "titel": "Tribunebijeenkomst: samenwerkingsvraagstukken uit de leerateliers",
        "soort": Bijeenkomst.Soort.TRIBUNEBIJEENKOMST,
        "beschrijving": (
            "We verbinden samenwerkingsvraagstukken uit de verschillende leerateliers en "
            "formuleren samen de lessen die ze overstijgen. Voor iedereen die vanaf de "
            "tribune meekijkt."
        ),
        "dagen": 10,
        "uren": (15, 0, 17, 0),
        "locatie": ("HAN, gebouw Kapittelweg", "Kapittelweg 33", "Nijmegen"),
        "capaciteit": 30,
        "bevestigd": 18,
        "themas": ["samenwerken"],
    },
    {
        "slug": "kennisbijeenkomst-veerkrachtig-ouder-worden",
        "titel": "Kennisbijeenkomst Leeratelier Veerkrachtig Ouder Worden",
        "soort": Bijeenkomst.Soort.KENNISBIJEENKOMST,
        "beschrijving": (
            "Over voorzorgcirkels: netwerken van ouderen in de buurt die elkaar ondersteunen, "
            "en wat professionals en inwoners daarbij van elkaar leren."
        ),
        "dagen": 38,
        "uren": (13, 30, 16, 30),
        "locatie": ("Wijkcentrum De Klif", "Klifstraat 2", "Arnhem"),
        "capaciteit": 25,
        "bevestigd": 9,
        "leerateliers": ["veerkrachtig-ouder-worden"],
    },
    {
        "slug": "masterclass-waar-is-energie-voor-nodig",
        "titel": "Masterclass sociale duurzaamheid: Waar is energie voor nodig?",
        "soort": Bijeenkomst.Soort.MASTERCLASS,
        "beschrijving": (
            "Van een brede kijk op energiearmoede naar transformeren in de energietransitie. "
            "We bouwen voort op het literatuuronderzoek van het leeratelier en zoeken samen "
            "naar handvatten voor een goede aanpak."
        ),
        "dagen": 17,
        "uren": (10, 0, 12, 30),
        "locatie": ("Rozet", "Kortestraat 16", "Arnhem"),
        "capaciteit": 20,
        "bevestigd": 14,
        # Issue 21: registration with approval, a few requests waiting for the team.
        "met_goedkeuring": True,
        "aangevraagd": 4,
        "wachtlijst_modus": Bijeenkomst.WachtlijstModus.DIRECT,
        "leerateliers": ["sociale-duurzaamheid"],
    },
    {
        "slug": "webinar-partnerschapskaart",
        "titel": "Webinar: samenwerken met de partnerschapskaart",
        "soort": Bijeenkomst.Soort.WEBINAR,
        "beschrijving": (
            "Een uur online over de Toolbox Samenwerken en de partnerschapskaart: verkennen, "
            "vormgeven, verdiepen en verankeren."
        ),
        "dagen": 6,
        "uren": (12, 0, 13, 0),
        "online_link": "https://meet.example.org/werkplaats-webinar",
        "capaciteit": None,
        "bevestigd": 23,
        "themas": ["samenwerken"],
    },
    {
        "slug": "symposium-studerende-mantelzorgers",
        "titel": "Symposium Studerende mantelzorgers @ HAN",
        "soort": Bijeenkomst.Soort.SYMPOSIUM,
        "beschrijving": "Afsluiting van drie jaar werken aan herkenning van jonge mantelzorgers.",
        "dagen": -60,
        "uren": (13, 0, 17, 0),
        "locatie": ("HAN", "Ruitenberglaan 26", "Arnhem"),
        "capaciteit": 80,
        "bevestigd": 31,
        "leerateliers": ["jip"],
    },
    {
        "slug": "in-gesprek-over-ouder-worden",
        "titel": "In gesprek over ouder worden",
        "soort": Bijeenkomst.Soort.ARENABIJEENKOMST,
        "beschrijving": "Collectieve bijeenkomst, georganiseerd door professionals en ouderen.",
        "dagen": -25,
        "uren": (14, 0, 16, 0),
        "locatie": ("Buurthuis De Ster", "Sterrenlaan 5", "Nijmegen"),
        "capaciteit": 35,
        "bevestigd": 12,
        "leerateliers": ["veerkrachtig-ouder-worden"],
    },
]


def _person(index: int) -> tuple[str, str, str]:
    voornaam = VOORNAMEN[index % len(VOORNAMEN)]
    achternaam = ACHTERNAMEN[(index // len(VOORNAMEN)) % len(ACHTERNAMEN)]
    domain = "example.org" if index % 2 else "example.nl"
    local = f"{voornaam}.{achternaam}".lower().replace(" ", "")
    return f"{voornaam} {achternaam}", f"{local}.{index}@{domain}", ORGANISATIES[index % 8]


def _linked(model, slugs: list[str]):
    # The leerateliers and thema's are seeded by their own app when present; match loosely
    # on slug or name so the demo works with or without them.
    if not slugs:
        return model.objects.none()
    query = Q(slug__in=slugs)
    for slug in slugs:
        query |= Q(naam__icontains=slug.replace("-", " "))
    return model.objects.filter(query)


def _registrations(bijeenkomst: Bijeenkomst, spec: dict, offset: int) -> list[Aanmelding]:
    now = timezone.now()
    rows = []
    counts = [
        (S.BEVESTIGD, spec.get("bevestigd", 0)),
        (S.AANGEBODEN, spec.get("aangeboden", 0)),
        (S.WACHTLIJST, spec.get("wachtlijst", 0)),
        (S.AANGEVRAAGD, spec.get("aangevraagd", 0)),
    ]
    order = 0
    index = offset
    for status, count in counts:
        for _ in range(count):
            naam, email, organisatie = _person(index)
            index += 1
            row = Aanmelding(
                bijeenkomst=bijeenkomst,
                naam=naam,
                email=email,
                organisatie=organisatie,
                status=status,
                aangemeld_op=now - timedelta(days=20) + timedelta(minutes=index),
            )
            if status in (S.AANGEBODEN, S.WACHTLIJST):
                order += 1
                row.wachtlijst_volgorde = order
            if status == S.AANGEBODEN:
                row.doorgeschoven_op = now - timedelta(hours=3)
                row.aanbod_tot = now + timedelta(hours=bijeenkomst.bedenktijd_uren - 3)
            rows.append(row)
    return rows


def _build(spec: dict) -> Bijeenkomst:
    start_hour, start_minute, end_hour, end_minute = spec["uren"]
    naam, adres, plaats = spec.get("locatie", ("", "", ""))
    return Bijeenkomst(
        slug=spec["slug"],
        titel=spec["titel"],
        soort=spec["soort"],
        beschrijving=spec["beschrijving"],
        start=_at(spec["dagen"], start_hour, start_minute),
        eind=_at(spec["dagen"], end_hour, end_minute),
        locatie_naam=naam,
        locatie_adres=adres,
        locatie_plaats=plaats,
        online_link=spec.get("online_link", ""),
        capaciteit=spec["capaciteit"],
        wachtlijst_modus=spec.get("wachtlijst_modus", Bijeenkomst.WachtlijstModus.AANBIEDEN),
        met_goedkeuring=spec.get("met_goedkeuring", False),
        status=Bijeenkomst.Status.GEPUBLICEERD,
        contact_email="bijeenkomsten@example.org",
    )


# The landelijk symposium's day: (start, end, soort, titel, zaal, beschrijving, sprekers),
# a ronde with its deelsessies as (titel, zaal, capaciteit, sprekers, beschrijving).
P = ProgrammaOnderdeel.Soort
SYMPOSIUM_PROGRAMMA = [
    ((9, 30), (10, 0), P.PAUZE, "Inloop met koffie", "Foyer", "", [], []),
    (
        (10, 0),
        (11, 0),
        P.PLENAIR,
        "Keynote: werelden verbinden",
        "Grote zaal",
        "Wat levert het op als inwoners, professionals en onderzoekers **samen** leren?",
        [("Dr. Marieke Voorbeeld", "Lector sociale kwaliteit (verzonnen voor de demo)")],
        [],
    ),
    (
        (11, 15),
        (12, 30),
        P.RONDE,
        "Workshopronde 1",
        "",
        "",
        [],
        [
            (
                "Ervaringskennis in de wijk",
                "Zaal 1",
                10,
                "Een ervaringsdeskundige en een wijkwerker",
            ),
            ("Armoede en schulden: wat werkt?", "Zaal 2", 15, "Onderzoekers van de werkplaats"),
            ("Jeugd in beeld", "Zaal 3", 15, "Studenten van de HAN"),
        ],
    ),
    ((12, 30), (13, 30), P.PAUZE, "Lunch", "Foyer", "", [], []),
    (
        (13, 30),
        (14, 30),
        P.RONDE,
        "Workshopronde 2",
        "",
        "",
        [],
        [
            ("Veerkrachtig ouder worden", "Zaal 1", 20, "Het leeratelier vertelt"),
            ("Samenwerken over domeinen heen", "Zaal 2", 20, "Gemeente en welzijn samen"),
        ],
    ),
    (
        (14, 45),
        (15, 45),
        P.RONDE,
        "Workshopronde 3",
        "",
        "",
        [],
        [
            ("De Toolbox in de praktijk", "Zaal 1", 20, "Werkplaats Gelderse Vallei"),
            ("Leren van lerende praktijken", "Zaal 2", 20, "Werkplaats Zuyd"),
        ],
    ),
    ((15, 45), (16, 30), P.PLENAIR, "Afsluiting en borrel", "Grote zaal", "", [], []),
]


def _programme(bijeenkomst: Bijeenkomst, spec: dict) -> None:
    """The symposium's programme, and a choice per ronde for every attendee: the first
    workshop of ronde 1 full, with a wachtlijst of its own."""
    day = spec["dagen"]
    rondes = []
    for start, end, soort, titel, zaal, tekst, sprekers, sessies in SYMPOSIUM_PROGRAMMA:
        onderdeel = ProgrammaOnderdeel.objects.create(
            bijeenkomst=bijeenkomst,
            soort=soort,
            titel=titel,
            start=_at(day, *start),
            eind=_at(day, *end),
            zaal=zaal,
            beschrijving=tekst,
            beschrijving_html=render_markdown(tekst) if tekst else "",
        )
        for volgorde, (naam, bio) in enumerate(sprekers):
            Spreker.objects.create(onderdeel=onderdeel, naam=naam, bio=bio, volgorde=volgorde)
        deelsessies = [
            ProgrammaOnderdeel.objects.create(
                bijeenkomst=bijeenkomst,
                ronde=onderdeel,
                soort=P.DEELSESSIE,
                titel=sessie_titel,
                start=onderdeel.start,
                eind=onderdeel.eind,
                zaal=sessie_zaal,
                capaciteit=capaciteit,
            )
            for sessie_titel, sessie_zaal, capaciteit, _wie in sessies
        ]
        for deelsessie, (_titel, _zaal, _capaciteit, wie) in zip(deelsessies, sessies, strict=True):
            Spreker.objects.create(onderdeel=deelsessie, naam=wie)
        if deelsessies:
            rondes.append((onderdeel, deelsessies))
    holders = list(
        bijeenkomst.aanmeldingen.filter(status__in=Aanmelding.TAKEN_STATUSES).order_by("pk")
    )
    keuzes = []
    for ronde_number, (ronde, deelsessies) in enumerate(rondes):
        waiting = 0
        for index, aanmelding in enumerate(holders):
            if ronde_number == 0:
                # The first 14 want the first workshop: 10 places, 4 on its wachtlijst, who
                # hold a place in the second one meanwhile.
                wants_first = index < 14
                if wants_first and index < 10:
                    target = deelsessies[0]
                else:
                    target = deelsessies[1 + index % 2]
                keuzes.append(_keuze(aanmelding, target, ronde))
                if wants_first and index >= 10:
                    waiting += 1
                    keuzes.append(
                        _keuze(aanmelding, deelsessies[0], ronde, wachtlijst_volgorde=waiting)
                    )
            else:
                keuzes.append(_keuze(aanmelding, deelsessies[index % len(deelsessies)], ronde))
    SessieKeuze.objects.bulk_create(keuzes, batch_size=1000)


def _materials(bijeenkomst: Bijeenkomst, *, door) -> None:
    """The symposium's materials: a programme booklet (a small PDF) to read now, and the
    keynote's recording, which shows once the day is over."""
    inloop = bijeenkomst.programma.get(titel="Inloop met koffie")
    keynote = bijeenkomst.programma.get(titel__startswith="Keynote")
    services.add_materiaal(
        onderdeel=inloop,
        door=door,
        titel="Programmaboekje",
        bestand=ContentFile(_booklet_pdf(bijeenkomst), name="programmaboekje.pdf"),
        bestand_type="pdf",
        direct_tonen=True,
    )
    services.add_materiaal(
        onderdeel=keynote,
        door=door,
        titel="Opname van de keynote",
        link="https://video.example.org/werelden-verbinden/keynote",
    )


def _booklet_pdf(bijeenkomst: Bijeenkomst) -> bytes:
    """One A4 page with the programme in time order: generated, nothing from outside."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("Programmaboekje")
    y = A4[1] - 3 * cm
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(2.5 * cm, y, bijeenkomst.titel[:70])
    pdf.setFont("Helvetica", 11)
    for onderdeel in bijeenkomst.programma.bovenste():
        y -= 0.8 * cm
        start = timezone.localtime(onderdeel.start, AMSTERDAM)
        pdf.drawString(2.5 * cm, y, f"{start:%H:%M}  {onderdeel.titel}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# Issue 21, points 5 and 6: the four co-organising werkplaatsen of the symposium, each with
# a quotum held until a week before and a co-organisator (invented people); and a student
# at the door. (slug, naam, plaats, places held)
CO_ORGANISATOREN = [
    (
        "werkplaats-sociaal-domein-arnhem-nijmegen",
        "Werkplaats Sociaal Domein Arnhem Nijmegen",
        "Nijmegen",
        4,
    ),
    ("werkplaats-gelderse-vallei", "Werkplaats Sociaal Domein Gelderse Vallei", "Ede", 4),
    (
        "werkplaats-noord-brabant-fontys",
        "Werkplaats Sociaal Domein Noord-Brabant (Fontys)",
        "Eindhoven",
        3,
    ),
    ("werkplaats-zuyd", "Werkplaats Sociaal Domein Zuyd", "Heerlen", 3),
]
# Of the symposium's confirmed attendees, this many per werkplaats came in on its quotum.
QUOTUM_GEBRUIKT = 2


def _team(bijeenkomst: Bijeenkomst) -> None:
    attendees = iter(
        bijeenkomst.aanmeldingen.filter(status=S.BEVESTIGD)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for slug, naam, plaats, aantal in CO_ORGANISATOREN:
        organisatie, _created = Organisatie.objects.get_or_create(
            slug=slug,
            defaults={"naam": naam, "soort": Organisatie.Soort.WERKPLAATS, "plaats": plaats},
        )
        co = ensure_persoon(
            email=f"co.{slug.removeprefix('werkplaats-')}@example.org",
            naam=f"Co-organisator {naam.removeprefix('Werkplaats Sociaal Domein ')}",
            password=DEMO_PASSWORD,
            organisatie=organisatie,
        )
        Teamlid.objects.get_or_create(
            bijeenkomst=bijeenkomst,
            persoon=co,
            defaults={"rol": Teamlid.Rol.CO_ORGANISATOR, "organisatie": organisatie},
        )
        quotum = Quotum.objects.create(
            bijeenkomst=bijeenkomst,
            organisatie=organisatie,
            aantal=aantal,
            tot=bijeenkomst.start - timedelta(days=7),
        )
        # As the services leave it: the co-organisator registered them on the quotum.
        Aanmelding.objects.filter(pk__in=[next(attendees) for _ in range(QUOTUM_GEBRUIKT)]).update(
            quotum=quotum, aangemeld_door=co, bron=Aanmelding.Bron.NAMENS
        )
    deur = ensure_persoon(
        email="deur.symposium@example.org", naam="Dewi de Deur", password=DEMO_PASSWORD
    )
    Teamlid.objects.get_or_create(
        bijeenkomst=bijeenkomst, persoon=deur, defaults={"rol": Teamlid.Rol.DEUR}
    )


def _keuze(aanmelding, deelsessie, ronde, *, wachtlijst_volgorde=None) -> SessieKeuze:
    return SessieKeuze(
        aanmelding=aanmelding,
        deelsessie=deelsessie,
        ronde=ronde,
        status=SessieKeuze.Status.WACHTLIJST
        if wachtlijst_volgorde
        else SessieKeuze.Status.BEVESTIGD,
        wachtlijst_volgorde=wachtlijst_volgorde,
    )


def _synthetic(number: int) -> dict:
    soorten = [
        Bijeenkomst.Soort.KENNISBIJEENKOMST,
        Bijeenkomst.Soort.LEARNING_LAB,
        Bijeenkomst.Soort.ARENABIJEENKOMST,
        Bijeenkomst.Soort.WEBINAR,
    ]
    soort = soorten[number % len(soorten)]
    return {
        "slug": f"demo-bijeenkomst-{number}",
        "titel": f"{soort.label.capitalize()} {number}: leren in de wijk",
        "soort": soort,
        "beschrijving": "Een bijeenkomst uit de demo-inhoud.",
        "dagen": (number % 120) - 20,
        "uren": (10, 0, 12, 0),
        "locatie": ("Wijkcentrum", "Dorpsstraat 1", "Nijmegen"),
        "capaciteit": 10 + number % 30,
        "bevestigd": 5 + number % 6,
    }


def _questions(specs: list[dict], rows: list[Aanmelding]) -> None:
    """The demo's questions (again on a second run: by their text), and answers of the
    registrations just added to the first choice question, cycling through its choices."""
    for spec in specs:
        if not spec.get("vragen"):
            continue
        bijeenkomst = Bijeenkomst.objects.get(slug=spec["slug"])
        vragen = [
            Vraag.objects.get_or_create(
                bijeenkomst=bijeenkomst,
                doel=Vraag.Doel.AANMELDING,
                tekst=vraag["tekst"],
                defaults={**vraag, "volgorde": number},
            )[0]
            for number, vraag in enumerate(spec["vragen"], start=1)
        ]
        keuzes = vragen[0].keuzelijst()
        Antwoord.objects.bulk_create(
            [
                Antwoord(aanmelding=row, vraag=vragen[0], waarde=keuzes[number % len(keuzes)])
                for number, row in enumerate(
                    row for row in rows if row.bijeenkomst_id == bijeenkomst.pk
                )
            ]
        )


def seed(*, scale: int, stdout) -> None:
    coordinator = ensure_persoon(
        email=COORDINATOR_EMAIL, naam="Cor Coördinator", password=DEMO_PASSWORD
    )
    make_coordinator(coordinator)
    specs = DEMO + [_synthetic(number) for number in range(1, (scale - 1) * 10 + 1)]
    existing = set(
        Bijeenkomst.objects.filter(slug__in=[spec["slug"] for spec in specs]).values_list(
            "slug", flat=True
        )
    )
    new = [(spec, _build(spec)) for spec in specs if spec["slug"] not in existing]
    Bijeenkomst.objects.bulk_create([bijeenkomst for _spec, bijeenkomst in new], batch_size=500)
    rows: list[Aanmelding] = []
    offset = 0
    for spec, bijeenkomst in new:
        if spec.get("leerateliers"):
            bijeenkomst.leerateliers.set(_linked(Leeratelier, spec["leerateliers"]))
        if spec.get("themas"):
            bijeenkomst.themas.set(_linked(Thema, spec["themas"]))
        rows.extend(_registrations(bijeenkomst, spec, offset))
        offset += sum(
            spec.get(key, 0) for key in ("bevestigd", "aangeboden", "wachtlijst", "aangevraagd")
        )
    Aanmelding.objects.bulk_create(rows, batch_size=1000)
    _questions(specs, rows)
    for spec, bijeenkomst in new:
        if spec["slug"] == DEMO[0]["slug"]:
            _programme(bijeenkomst, spec)
            _materials(bijeenkomst, door=coordinator)
            _team(bijeenkomst)
    _groep_op_de_wachtlijst(Bijeenkomst.objects.get(slug=DEMO[0]["slug"]))
    stdout.write(f"Bijeenkomsten: {len(new)} added with {len(rows)} aanmeldingen.")
    offer = (
        Aanmelding.objects.filter(bijeenkomst__slug=DEMO[0]["slug"], status=S.AANGEBODEN)
        .order_by("pk")
        .first()
    )
    if offer:
        stdout.write(
            "Open offer on the full symposium: "
            f"{services.personal_link(aanmelding=offer)} ({offer.naam})."
        )


def _groep_op_de_wachtlijst(symposium: Bijeenkomst) -> None:
    """Issue 23: the gemeente's contactpersoon registered three colleagues together for the
    full symposium; they wait "samen", as one entry at the end of its wachtlijst. Written
    as `services.register_group` leaves them, without its mails; once only."""
    contact = Persoon.objects.filter(email=CONTACTPERSOON_EMAIL).first()
    collegas = list(Persoon.objects.filter(email__in=[email for email, *_ in COLLEGAS]))
    if contact is None or not collegas or symposium.groepen.exists():
        return
    if symposium.aanmeldingen.open().filter(email__in=[p.email for p in collegas]).exists():
        return
    groep = Groep.objects.create(
        bijeenkomst=symposium, aangemeld_door=contact, keuze=Groep.Keuze.SAMEN
    )
    highest = symposium.aanmeldingen.aggregate(hoogste=Max("wachtlijst_volgorde"))["hoogste"]
    leden = Aanmelding.objects.bulk_create(
        Aanmelding(
            bijeenkomst=symposium,
            persoon=persoon,
            naam=persoon.naam,
            email=persoon.email,
            organisatie="Gemeente Rijnvallei",
            functie=persoon.functie,
            status=S.WACHTLIJST,
            wachtlijst_volgorde=(highest or 0) + number,
            aangemeld_door=contact,
            bron=Aanmelding.Bron.GROEP,
            groep=groep,
        )
        for number, persoon in enumerate(sorted(collegas, key=lambda p: p.email), start=1)
    )
    # Professionals all, as the symposium's first question asks of everyone registered.
    vraag = symposium.vragen.voor_aanmelding().first()
    if vraag is not None:
        Antwoord.objects.bulk_create(
            Antwoord(aanmelding=lid, vraag=vraag, waarde="professional") for lid in leden
        )


# Issue 22: a year of past bijeenkomsten with check-ins for the reach report, the last one
# with a published verslag; its attendees can download a bewijs van deelname.
HISTORY_MONTHS = 12
HISTORY_POOL = 40
ATELIERS_IN_TURN = ["armoede", "betekenisvol-contact-in-de-wijk", "veerkrachtig-ouder-worden"]
VERSLAG_LESSEN = """Wat we leerden:

- **Vraag eerst wat een bewoner zelf wil**, pas dan wat de regeling biedt.
- Een vaste contactpersoon in het wijkteam scheelt de bewoner drie loketten.
- Ervaringsdeskundigen aan tafel maken de taal van de brief begrijpelijker.

De volgende tribunebijeenkomst gaat over de brieven van de gemeente."""


def _history_spec(month: int) -> dict:
    return {
        "slug": f"terugblik-{month}",
        "titel": f"Tribunebijeenkomst {month}: terugblik op de wijk",
        "soort": Bijeenkomst.Soort.TRIBUNEBIJEENKOMST
        if month % 2
        else Bijeenkomst.Soort.KENNISBIJEENKOMST,
        "beschrijving": "Een voorbije bijeenkomst uit de demo-inhoud, met aanwezigheid.",
        "dagen": -30 * month,
        "uren": (13, 30, 16, 30),
        "locatie": ("Wijkcentrum De Klif", "Klifstraat 2", "Arnhem"),
        "capaciteit": 40,
    }


def seed_history(*, scale: int, stdout) -> None:
    """Idempotent: what exists already (by slug) is left alone."""
    specs = [_history_spec(month) for month in range(1, HISTORY_MONTHS + 1)]
    existing = set(
        Bijeenkomst.objects.filter(slug__in=[s["slug"] for s in specs]).values_list(
            "slug", flat=True
        )
    )
    rows = []
    for month, spec in enumerate(specs, start=1):
        if spec["slug"] in existing:
            continue
        bijeenkomst = _build(spec)
        bijeenkomst.save()
        bijeenkomst.leerateliers.set(
            _linked(Leeratelier, [ATELIERS_IN_TURN[month % len(ATELIERS_IN_TURN)]])
        )
        # The last one is bigger: its evaluation has some twenty answers.
        for number in range(28 if month == 1 else 12 + month % 9):
            naam, email, organisatie = _person(5000 + (month * 7 + number) % HISTORY_POOL)
            rows.append(
                Aanmelding(
                    bijeenkomst=bijeenkomst,
                    naam=naam,
                    email=email,
                    organisatie=organisatie,
                    status=S.BEVESTIGD,
                    aangemeld_op=bijeenkomst.start - timedelta(days=10),
                    # Three in four came.
                    aanwezig_op=bijeenkomst.start if number % 4 else None,
                )
            )
    Aanmelding.objects.bulk_create(rows, batch_size=1000)
    laatste = Bijeenkomst.objects.get(slug=specs[0]["slug"])
    if not hasattr(laatste, "verslag"):
        services.save_verslag(
            bijeenkomst=laatste,
            door=ensure_persoon(
                email=COORDINATOR_EMAIL, naam="Cor Coördinator", password=DEMO_PASSWORD
            ),
            geleerde_lessen=VERSLAG_LESSEN,
            publiceren=True,
        )
    _evaluation(laatste)
    if scale >= 10:
        _reach_history(scale=scale, stdout=stdout)
    aanwezig = laatste.aanmeldingen.filter(aanwezig_op__isnull=False).order_by("pk").first()
    stdout.write(
        f"History: {len(rows)} past aanmeldingen added; verslag on /bijeenkomsten/{laatste.slug}/"
        + (
            f"; a bewijs van deelname via {services.personal_link(aanmelding=aanwezig)}"
            if aanwezig
            else ""
        )
    )


EVALUATIE_OPEN = [
    "Dat bewoners zelf de vraag stellen, niet het loket.",
    "Het gesprek met de ervaringsdeskundige aan onze tafel.",
    "Meer tijd voor de casus graag; de pauze was kort.",
    "Ik neem de vaste contactpersoon mee naar ons wijkteam.",
    "De brieven van de gemeente kunnen echt eenvoudiger.",
    "Goede mix van gemeente, zorg en bewoners.",
    "Volgende keer graag in de avond, dan kunnen meer bewoners.",
]


def _evaluation(bijeenkomst: Bijeenkomst) -> None:
    """Issue 22: evaluation questions and about twenty invented, anonymous answers, stored
    through the service as if each attendee filled it in the day after (no mail is sent)."""
    if Vraag.objects.filter(bijeenkomst=bijeenkomst, doel=Vraag.Doel.EVALUATIE).exists():
        return
    door = ensure_persoon(email=COORDINATOR_EMAIL, naam="Cor Coördinator", password=DEMO_PASSWORD)
    vragen = [
        services.save_question(
            bijeenkomst=bijeenkomst,
            door=door,
            doel=Vraag.Doel.EVALUATIE,
            volgorde=volgorde,
            **fields,
        )
        for volgorde, fields in enumerate(
            [
                {"soort": Vraag.Soort.SCHAAL, "tekst": "Hoe nuttig was de bijeenkomst?"},
                {"soort": Vraag.Soort.SCHAAL, "tekst": "Kreeg je genoeg ruimte om mee te praten?"},
                {
                    "soort": Vraag.Soort.EEN_KEUZE,
                    "tekst": "Kom je naar de volgende tribunebijeenkomst?",
                    "keuzes": "Ja\nMisschien\nNee",
                },
                {"soort": Vraag.Soort.LANG, "tekst": "Wat neem je mee naar je werk?"},
            ],
            start=1,
        )
    ]
    day_after = bijeenkomst.eind + timedelta(days=1)
    present = bijeenkomst.aanmeldingen.filter(aanwezig_op__isnull=False).order_by("pk")[:20]
    for number, aanmelding in enumerate(present):
        services.submit_evaluation(
            aanmelding=aanmelding,
            antwoorden={
                vragen[0].pk: str((4, 5, 3, 4, 5, 4, 2)[number % 7]),
                vragen[1].pk: str((5, 4, 4, 3, 5)[number % 5]),
                vragen[2].pk: ("Ja", "Ja", "Misschien", "Nee")[number % 4],
                vragen[3].pk: EVALUATIE_OPEN[number % len(EVALUATIE_OPEN)] if number % 3 else "",
            },
            now=day_after,
        )
    Bijeenkomst.objects.filter(pk=bijeenkomst.pk).update(evaluatie_verstuurd_op=bijeenkomst.eind)


# Issue 22's benchmark: three years of history for the reach report, at `--scale 100` about
# 100,000 registrations (three in ten present: some 30,000 attendances) for 360 past
# bijeenkomsten, and 30,000 deelnames of 10,000 people in leerateliers, begun (and some
# ended) over those years. Written in bulk; skipped when its first bijeenkomst exists.
REACH_MONTHS = 36
REACH_PER_MONTH = 10
REACH_SLUG = "bereik-historie"


def _reach_history(*, scale: int, stdout) -> None:
    if Bijeenkomst.objects.filter(slug=f"{REACH_SLUG}-1-0").exists():
        return
    per_bijeenkomst = 280 * scale // 100
    people_count = 100 * scale
    ateliers = list(Leeratelier.objects.order_by("pk").values_list("pk", flat=True))
    themas = list(Thema.objects.order_by("pk").values_list("pk", flat=True))
    organisaties = list(Organisatie.objects.order_by("pk").values_list("pk", flat=True))
    people = Persoon.objects.bulk_create(
        (
            Persoon(
                email=f"bereik.{number}@example.{'org' if number % 2 else 'nl'}",
                naam=f"Deelnemer {number}",
                password="!",
                organisatie_id=organisaties[number % len(organisaties)] if organisaties else None,
            )
            for number in range(people_count)
        ),
        batch_size=2000,
    )
    now = timezone.now()
    deelnames = []
    for number, persoon in enumerate(people):
        for turn in range(3):
            begun = now - timedelta(days=(number * 7 + turn * 300) % (REACH_MONTHS * 30))
            ended = begun + timedelta(days=200) if (number + turn) % 4 == 0 else None
            deelnames.append(
                Deelname(
                    leeratelier_id=ateliers[(number * 3 + turn * 17) % len(ateliers)],
                    persoon=persoon,
                    organisatie_id=persoon.organisatie_id,
                    rol=Deelname.Rol.ARENA if (number + turn) % 3 == 0 else Deelname.Rol.TRIBUNE,
                    status=Deelname.Status.BEEINDIGD if ended else Deelname.Status.ACTIEF,
                    aangemaakt_op=begun,
                    beeindigd_op=ended if ended and ended < now else None,
                )
            )
    for deelname in deelnames:
        if deelname.status == Deelname.Status.BEEINDIGD and deelname.beeindigd_op is None:
            deelname.status = Deelname.Status.ACTIEF
    Deelname.objects.bulk_create(deelnames, batch_size=5000)
    bijeenkomsten = []
    soorten = list(Bijeenkomst.Soort)
    for month in range(1, REACH_MONTHS + 1):
        for index in range(REACH_PER_MONTH):
            start = now - timedelta(days=month * 30 + index * 3, hours=index % 5)
            bijeenkomsten.append(
                Bijeenkomst(
                    slug=f"{REACH_SLUG}-{month}-{index}",
                    titel=f"Bijeenkomst {month}.{index} uit de geschiedenis",
                    soort=soorten[(month + index) % len(soorten)],
                    beschrijving="Een voorbije bijeenkomst voor het bereik.",
                    start=start,
                    eind=start + timedelta(hours=3),
                    locatie_naam="Wijkcentrum",
                    locatie_plaats="Nijmegen",
                    capaciteit=per_bijeenkomst + 20,
                    status=Bijeenkomst.Status.GEPUBLICEERD,
                )
            )
    Bijeenkomst.objects.bulk_create(bijeenkomsten, batch_size=500)
    links = Bijeenkomst.leerateliers.through
    thema_links = Bijeenkomst.themas.through
    links.objects.bulk_create(
        links(bijeenkomst_id=b.pk, leeratelier_id=ateliers[n % len(ateliers)])
        for n, b in enumerate(bijeenkomsten)
    )
    if themas:
        thema_links.objects.bulk_create(
            thema_links(bijeenkomst_id=b.pk, thema_id=themas[n % len(themas)])
            for n, b in enumerate(bijeenkomsten)
        )
    rows = []
    for n, bijeenkomst in enumerate(bijeenkomsten):
        for number in range(per_bijeenkomst):
            person = (n * 37 + number * 11) % (2 * people_count)
            email = people[person].email if person < people_count else f"gast.{person}@example.nl"
            rows.append(
                Aanmelding(
                    bijeenkomst=bijeenkomst,
                    naam=f"Deelnemer {person}",
                    email=email,
                    status=S.BEVESTIGD,
                    aangemeld_op=bijeenkomst.start - timedelta(days=10),
                    aanwezig_op=bijeenkomst.start if number % 10 < 3 else None,
                )
            )
    Aanmelding.objects.bulk_create(rows, batch_size=5000)
    stdout.write(
        f"Reach history: {len(bijeenkomsten)} bijeenkomsten, {len(rows)} aanmeldingen, "
        f"{len(deelnames)} deelnames of {len(people)} people over {REACH_MONTHS} months."
    )
