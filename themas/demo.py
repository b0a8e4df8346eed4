"""Demo content of the themas app: the five professionaliseringsthema's, in our own words,
with invented thematrekkers and the leerateliers each one crosses."""

from leerateliers.models import Leeratelier
from netwerk import demo as netwerk_demo
from themas import services
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
        "invalshoeken": [
            (
                "Sociaal-artistiek samenwerken",
                "De sociale en de artistieke wereld gaan samen aan de slag, als gelijken. "
                "Het gaat onder meer om:\n\n"
                "- betekenisvolle ontmoetingen en (artistieke) dialogen over kwesties;\n"
                "- kennis en ervaringsverhalen delen in verschillende kunstvormen;\n"
                "- samen toekomstbeelden ontwerpen.",
            ),
            (
                "Samenwerking tussen formele en informele werelden",
                "Welke drempels ervaren inwoners, inwonersinitiatieven en formele organisaties "
                "als welzijnswerk, woningcorporaties en gemeenten wanneer ze samenwerken? "
                "We zoomen in op voorbeelden en leren wat **helpt** en wat **belemmert**.",
            ),
        ],
        "contacten": [
            {
                "naam": "Wies Verbinder",
                "rol": "sociaal-artistiek verbinder",
                "email": "wies.verbinder@example.org",
                "onderwerp": "sociaal-artistiek samenwerken",
            },
            {
                "naam": "Noor Onderzoek",
                "rol": "onderzoeker Sociale Kwaliteit",
                "email": "noor.onderzoek@example.nl",
                "onderwerp": "samenwerking tussen formele en informele werelden",
            },
        ],
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
            # Through the service, as a thematrekker would: rendered Markdown, a history line.
            services.edit_thema(
                thema=thema,
                door=trekker,
                ondertitel=thema.ondertitel,
                inleiding=thema.inleiding,
                wat_gaan_we_doen=thema.wat_gaan_we_doen,
                invalshoeken=[
                    services.InvalshoekInvoer(titel=titel, tekst=tekst)
                    for titel, tekst in data.get("invalshoeken", [])
                ],
                contactpersonen=[
                    services.ContactInvoer(toestemming=True, **contact)
                    for contact in data.get("contacten", [])
                ],
            )
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


# Updates in our own words, by the invented (thema)trekkers: (thema or atelier slug,
# days ago, title, summary, body, voorwaarden).
DEMO_UPDATES = [
    (
        "thema:samenwerken",
        3,
        "Buurtcafé en wijkteam aan één tafel",
        "Wat gebeurt er als inwoners en professionals samen de agenda van een buurtcafé maken?",
        "In Arnhem-Oost schoven vrijwilligers van het buurtcafé en het wijkteam drie keer aan.\n\n"
        "## Wat we zagen\n\n- Inwoners brengen vragen in die het wijkteam niet hoort.\n"
        "- Professionals merken dat *loslaten* lastiger is dan gedacht.\n\n"
        "We nemen deze lessen mee naar de tribunebijeenkomst in het voorjaar.",
        ["sociale-cohesie", "sociale-inclusie"],
    ),
    (
        "thema:samenwerken",
        24,
        "Een partnerschapskaart voor je eigen netwerk",
        "Een eenvoudige werkvorm om zichtbaar te maken met wie je al samenwerkt, en met wie "
        "nog niet.",
        "Teken jezelf in het midden en zet je partners eromheen: dichtbij wie je vaak "
        "spreekt, verder weg wie je zelden ziet. **Waar zitten de gaten?** Drie teams "
        "probeerden het uit; "
        "alle drie ontdekten ze een partner die ze vergeten waren.",
        ["sociale-cohesie"],
    ),
    (
        "thema:ervaringsdeskundigheid",
        6,
        "Ervaringskennis in de lesstof",
        "Studenten en ervaringsdeskundigen ontwikkelen samen een lesmodule.",
        "Vijf ervaringsdeskundigen en acht studenten werkten tien weken samen. De module staat "
        "nu in het programma van het tweede jaar. Volgend jaar evalueren we hem samen.",
        ["sociale-empowerment"],
    ),
    (
        "thema:impact-in-de-sociale-basis",
        10,
        "Wat levert een maatjesproject op?",
        "Drie manieren om waarde zichtbaar te maken zonder alles in cijfers te vangen.",
        "We vergeleken verhalen, korte vragenlijsten en een *waarderingsgesprek*. Het gesprek "
        "bleek voor vrijwilligers het meest zinvol; de gemeente wil juist de vragenlijst. "
        "Daar gaan we het in het leeratelier over hebben.",
        ["sociale-cohesie", "sociaal-economische-zekerheid"],
    ),
    (
        "thema:politiserend-werken",
        15,
        "Als de regel het probleem is",
        "Casussen waarin regels mensen klem zetten, en wat professionals ermee deden.",
        "In de leerkring bespraken we zes casussen. In vier ervan lag de oorzaak in een regel "
        "die goed bedoeld was. Samen met de gemeente zoeken we uit waar ruimte zit.",
        ["sociaal-economische-zekerheid"],
    ),
    (
        "thema:sociale-technologie",
        8,
        "De tablet als ontmoetingsplek",
        "Ouderen en studenten testten samen een app voor buurtcontact.",
        "Niet de app maakte het verschil, maar het moment waarop studenten en ouderen samen "
        "achter de tablet zaten. Dat nemen we mee in het volgende experiment.",
        ["sociale-inclusie"],
    ),
    (
        "leeratelier:armoede",
        4,
        "Schulden en schaamte: wat helpt?",
        "Verslag van de arenabijeenkomst over vroegsignalering.",
        "Deelnemers uit gemeenten, schuldhulp en inwonersinitiatieven deelden wat werkt. "
        "Eén les: **begin bij het gesprek**, niet bij het formulier.",
        ["sociaal-economische-zekerheid", "sociale-empowerment"],
    ),
    (
        "leeratelier:betekenisvol-contact-in-de-wijk",
        12,
        "Een bankje is geen ontmoeting",
        "Wat de lerende praktijk in Nijmegen-West leerde over ontmoetingsplekken.",
        "Een plek alleen is niet genoeg; er moet iemand zijn die mensen uitnodigt. We zoeken "
        "nog partners die dat willen proberen.",
        ["sociale-cohesie"],
    ),
    (
        "leeratelier:jongeren-inclusie-en-participatie",
        18,
        "Jongeren als onderzoekers",
        "Jongeren interviewden leeftijdsgenoten over wat meedoen voor hen betekent.",
        "Twaalf jongeren voerden veertig gesprekken. Hun conclusie: meedoen begint bij "
        "serieus genomen worden. De resultaten presenteren ze zelf op de tribunebijeenkomst.",
        ["sociale-inclusie", "sociale-empowerment"],
    ),
    (
        "leeratelier:sociale-duurzaamheid",
        20,
        "Samen wonen, samen beslissen",
        "Bewoners en de woningcorporatie over inspraak bij renovatie.",
        "De bewonerscommissie en de corporatie maakten samen een plan voor de inspraak. "
        "We volgen hoe dat uitpakt.",
        ["sociale-cohesie"],
    ),
    (
        "leeratelier:veerkrachtig-ouder-worden",
        9,
        "Veerkracht zit in kleine dingen",
        "Lessen uit de gesprekken met ouderen over zelfstandig blijven.",
        "Een boodschap samen doen, een buurvrouw die even belt: ouderen noemen vooral kleine "
        "dingen. We onderzoeken hoe de sociale basis die kan ondersteunen.",
        ["sociale-empowerment"],
    ),
]


def seed_updates(*, scale: int, stdout) -> None:
    """Published updates per thema and leeratelier, plus a draft and a scheduled one."""
    from datetime import timedelta

    from django.utils import timezone

    from leerateliers.models import Voorwaarde
    from themas import services
    from themas.models import Update

    now = timezone.now()
    for target, days_ago, titel, samenvatting, tekst, voorwaarden in DEMO_UPDATES:
        soort, slug = target.split(":")
        onderwerp = (Thema if soort == "thema" else Leeratelier).objects.filter(slug=slug).first()
        if onderwerp is None or Update.objects.filter(titel=titel).exists():
            continue
        auteur = onderwerp.thematrekkers.first() if soort == "thema" else onderwerp.trekkers.first()
        update = services.save_update(
            auteur=auteur,
            titel=titel,
            samenvatting=samenvatting,
            tekst=tekst,
            voorwaarden=list(Voorwaarde.objects.filter(slug__in=voorwaarden)),
            **{soort: onderwerp},
        )
        services.publish_update(update_id=update.pk, now=now - timedelta(days=days_ago))

    samenwerken = Thema.objects.filter(slug="samenwerken").first()
    unpublished = [Update.Status.CONCEPT, Update.Status.INGEPLAND]
    if samenwerken and not samenwerken.updates.filter(status__in=unpublished).exists():
        auteur = samenwerken.thematrekkers.first()
        services.save_update(
            auteur=auteur,
            thema=samenwerken,
            titel="Concept: terugblik op de tribunebijeenkomst",
            samenvatting="Nog niet klaar: de terugblik op de tribunebijeenkomst.",
            tekst="Hier komt de terugblik.",
        )
        gepland = services.save_update(
            auteur=auteur,
            thema=samenwerken,
            titel="Aankondiging: werkplaatsdag in het voorjaar",
            samenvatting="Save the date: de werkplaatsdag over samenwerken.",
            tekst="Meer informatie volgt. Zet de datum alvast in je agenda.",
        )
        services.schedule_update(update=gepland, publiceren_op=now + timedelta(days=5))
    if scale > 1:
        _seed_synthetic_updates(scale=scale, now=now)


def _seed_synthetic_updates(*, scale: int, now) -> None:
    from datetime import timedelta

    from themas.models import Update

    themas = list(Thema.objects.order_by("pk").values_list("pk", flat=True))
    if not themas:
        return
    Update.objects.bulk_create(
        [
            Update(
                slug=f"synth-update-{index}",
                titel=f"Synthetische update {index}",
                samenvatting="Gegenereerd voor metingen.",
                tekst="Tekst.",
                tekst_html="<p>Tekst.</p>",
                thema_id=themas[index % len(themas)],
                status=Update.Status.GEPUBLICEERD,
                gepubliceerd_op=now - timedelta(hours=index),
                publiceren_op=now - timedelta(hours=index),
            )
            for index in range((scale - 1) * len(DEMO_UPDATES))
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
