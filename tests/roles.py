"""The six roles of the portal and the objects they relate to, in one place for every test
that asks "who may do this?".

    anonymous     no account, not logged in
    partner       a logged-in person, confirmed member of an organisatie, tribune of the atelier
    trekker       leads `world.atelier`
    thematrekker  leads `world.thema`
    coordinator   in the Coördinator group (werkplaats.roles.make_coordinator, through
                  tests.netwerk.factories.make_coordinator)
    beheerder     superuser, with TOTP set up: /beheer/ opens only for a session that passed
                  the second factor (`log_in_to_beheer`)

and the three roles of a bijeenkomst's team (issue 21, point 5), made by `make_world()`:

    organisator          organises `world.bijeenkomst`, `world.dag` and the concept
    coorganisator        co-organises `world.bijeenkomst` and `world.dag` for
                         `world.werkplaats_zuyd`
    deur                 helps at the door of `world.bijeenkomst`
    ander_coorganisator  co-organises another bijeenkomst (`world.werkbezoek`) only: gets
                         nothing of the world's bijeenkomsten

`make_people()` makes only the people; `make_world()` also the objects a permission test
needs (an atelier, a thema, updates, bijeenkomsten, registrations, an edition, …). Tests
use them through the `people` / `module_world` fixtures of tests/conftest.py and log in with
`as_role(client, people, role)`.
"""

from datetime import timedelta
from types import SimpleNamespace

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import RequestFactory

from netwerk.models import Persoon
from tests.netwerk.factories import PASSWORD, PersoonFactory, make_coordinator

TEAM_ROLES = ("organisator", "coorganisator", "deur", "ander_coorganisator")
ROLES = (
    "anonymous",
    "partner",
    "trekker",
    "thematrekker",
    "coordinator",
    "beheerder",
    *TEAM_ROLES,
)
# Roles without any right on the coördinator tooling.
NOT_COORDINATING = ("anonymous", "partner", "trekker", "thematrekker")
COORDINATING = ("coordinator", "beheerder")


def make_beheerder(**kwargs) -> Persoon:
    kwargs.setdefault("email", "beheer@example.org")
    kwargs.setdefault("naam", "Ben Beheer")
    beheerder = Persoon.objects.create_superuser(password=PASSWORD, **kwargs)
    enrol_totp(beheerder)
    return beheerder


def enrol_totp(persoon) -> str:
    """Set up TOTP for `persoon` (once); returns the secret, to make codes with."""
    existing = Authenticator.objects.filter(user=persoon, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return get_mfa_adapter().decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(persoon, secret)
    return secret


def log_in_to_beheer(client, persoon):
    """`client`, logged in as staff member `persoon` the way the admin asks: TOTP set up and
    the session's log-in passed it (as after allauth's code step). What force_login is to
    the password, this is to the second factor."""
    enrol_totp(persoon)
    client.force_login(persoon)
    request = RequestFactory().get("/")
    request.user = persoon
    request.session = client.session
    authenticator = Authenticator.objects.get(user=persoon, type=Authenticator.Type.TOTP)
    record_authentication(request, persoon, "mfa", type="totp", id=authenticator.pk)
    request.session.save()
    return client


def make_people() -> dict:
    """role → Persoon (None for anonymous); the trekker and thematrekker lead nothing yet."""
    return {
        "anonymous": None,
        "partner": PersoonFactory(naam="Pim Partner", email="pim@example.org"),
        "trekker": PersoonFactory(naam="Tess Trekker", email="tess@example.org"),
        "thematrekker": PersoonFactory(naam="Thijs Thema", email="thijs@example.org"),
        "coordinator": make_coordinator(naam="Coby Coördinator", email="coby@example.org"),
        "beheerder": make_beheerder(),
    }


def as_role(client, people, role):
    """`client`, logged in as `role` (left anonymous for "anonymous")."""
    persoon = people[role] if isinstance(people, dict) else getattr(people, role)
    if persoon is not None and persoon.is_staff:
        log_in_to_beheer(client, persoon)
    elif persoon is not None:
        client.force_login(persoon)
    return client


def make_world() -> SimpleNamespace:
    """The roles and one of every object a page of the portal is about.

    Attributes: the roles by name (`world.partner`, …), `people` (role → Persoon) and the
    objects below. Kept small: the permission matrix builds it once per module.
    """
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from bijeenkomsten import services as bijeenkomsten_services
    from bijeenkomsten.imports import ImportRow
    from bijeenkomsten.models import (
        Aanmelding,
        Bericht,
        Bijeenkomst,
        Groep,
        OrganisatieVoorstel,
        Uitnodiging,
    )
    from bijeenkomsten.selectors import Audience
    from kennisbank.models import Kennisproduct
    from leerateliers import services as leerateliers_services
    from leerateliers.tokens import make_decision_token
    from netwerk.models import Lidmaatschap
    from nieuwsbrief.models import Editie
    from tests.bijeenkomsten.factories import BijeenkomstFactory, programma_met_ronde, with_link
    from tests.kennisbank.factories import (
        DossierOnderdeelFactory,
        KennisdossierFactory,
        KennisproductFactory,
        pdf_bytes,
    )
    from tests.leerateliers.factories import LeeratelierFactory, LerendePraktijkFactory
    from tests.netwerk.factories import AbonnementFactory, OrganisatieFactory, make_lidmaatschap
    from tests.nieuwsbrief.factories import EditieFactory, SectieFactory
    from tests.themas.factories import ThemaFactory, UpdateFactory
    from themas.models import Update

    people = make_people()
    w = SimpleNamespace(people=people, **people)

    w.organisatie = OrganisatieFactory(naam="Buurtteam Oost", slug="buurtteam-oost")
    make_lidmaatschap(w.partner, w.organisatie)
    # Someone asks to speak for the partner's organisatie: members and coördinatoren decide.
    w.aanvrager = PersoonFactory(naam="Anna Aanvrager", email="anna@example.org")
    w.lidmaatschap = make_lidmaatschap(
        w.aanvrager, w.organisatie, status=Lidmaatschap.Status.AANGEVRAAGD
    )

    w.atelier = LeeratelierFactory(naam="Armoede", slug="armoede", trekkers=[w.trekker])
    w.ander_atelier = LeeratelierFactory(naam="Jeugd in de wijk", slug="jip")
    LerendePraktijkFactory(titel="Het buurthuis", leeratelier=w.atelier)
    w.thema = ThemaFactory(naam="Inclusie", slug="inclusie", thematrekkers=[w.thematrekker])
    w.thema.leerateliers.add(w.atelier)
    # The partner follows the atelier from the tribune; Anna asks to join its arena.
    w.eigen_deelname = leerateliers_services.join_leeratelier(
        persoon=w.partner, leeratelier=w.atelier, rol="tribune"
    )
    w.arena_verzoek = leerateliers_services.join_leeratelier(
        persoon=w.aanvrager, leeratelier=w.atelier, rol="arena"
    )
    w.besluit_token = make_decision_token(w.arena_verzoek)

    w.update = UpdateFactory(titel="Wat we leerden", slug="wat-we-leerden", thema=w.thema)
    w.concept_update = UpdateFactory(
        titel="Nog niet af",
        slug="nog-niet-af",
        thema=w.thema,
        auteur=w.thematrekker,
        status=Update.Status.CONCEPT,
        gepubliceerd_op=None,
    )

    w.product = KennisproductFactory(titel="Toolbox", slug="toolbox", leerateliers=[w.atelier])
    w.concept_product = KennisproductFactory(
        titel="Nog een concept",
        slug="nog-een-concept",
        leerateliers=[w.atelier],
        status=Kennisproduct.Status.CONCEPT,
        gepubliceerd_op=None,
    )
    w.dossier = KennisdossierFactory(titel="Ervaringsdeskundigheid", slug="ervaring")
    DossierOnderdeelFactory(dossier=w.dossier, product=w.product)

    w.bijeenkomst = BijeenkomstFactory(titel="Symposium", slug="symposium", capaciteit=1)
    w.bijeenkomst.leerateliers.add(w.atelier)
    w.bijeenkomst.themas.add(w.thema)
    w.concept_bijeenkomst = BijeenkomstFactory(
        titel="Nog geheim", slug="nog-geheim", status=Bijeenkomst.Status.CONCEPT
    )
    w.aanmelding = bijeenkomsten_services.register(
        bijeenkomst=w.bijeenkomst, email="bea@example.org", naam="Bea Bevestigd"
    )
    # A day with a ronde of two deelsessies of one place: Dirk holds A, Dora waits for it.
    w.dag = BijeenkomstFactory(titel="Landelijke dag", slug="landelijke-dag", capaciteit=10)
    w.ronde, (w.sessie_a, w.sessie_b) = programma_met_ronde(w.dag, capaciteiten=(1, 1))
    w.sessie_aanmelding = with_link(
        bijeenkomsten_services.register(
            bijeenkomst=w.dag,
            email="dirk@example.org",
            naam="Dirk Deelsessie",
            sessies=[w.sessie_a],
        )
    )
    w.sessie_wachtend = with_link(
        bijeenkomsten_services.register(
            bijeenkomst=w.dag, email="dora@example.org", naam="Dora Wacht", sessies=[w.sessie_a]
        )
    )
    w.sessie_wachtkeuze = w.sessie_wachtend.sessiekeuzes.get()
    # Issue 21, point 8: slides for the ronde, shown at once (the day is still to come).
    w.materiaal = bijeenkomsten_services.add_materiaal(
        onderdeel=w.ronde,
        door=w.coordinator,
        titel="Dia's van de ronde",
        bestand=ContentFile(pdf_bytes("Dia's"), name="dias.pdf"),
        bestand_type="pdf",
        direct_tonen=True,
    )
    w.dag_gast_token = bijeenkomsten_services.request_guest_registration(
        bijeenkomst=w.dag, gegevens={"email": "greet@example.org", "naam": "Greet Gast"}
    )
    w.wachtend = bijeenkomsten_services.register(
        bijeenkomst=w.bijeenkomst, email="wim@example.org", naam="Wim Wachtend"
    )
    # Issue 21: a question of its registration form, and a request made while approval
    # was on (switched off again, so the world's other registrations are as they were).
    w.vraag = bijeenkomsten_services.save_question(
        bijeenkomst=w.bijeenkomst,
        door=w.coordinator,
        soort="een-keuze",
        tekst="Ik ben",
        keuzes="inwoner\nprofessional\nstudent\nervaringsdeskundige",
    )
    Bijeenkomst.objects.filter(pk=w.bijeenkomst.pk).update(met_goedkeuring=True)
    w.bijeenkomst.met_goedkeuring = True
    w.aanvraag = bijeenkomsten_services.register(
        bijeenkomst=w.bijeenkomst, email="ada@example.org", naam="Ada Aanvraag"
    )
    Bijeenkomst.objects.filter(pk=w.bijeenkomst.pk).update(met_goedkeuring=False)
    w.bijeenkomst.met_goedkeuring = False
    bijeenkomsten_services.invite(
        bijeenkomst=w.bijeenkomst,
        door=w.coordinator,
        audience=Audience(adressen="ina@example.org"),
    )
    w.uitnodiging = with_link(Uitnodiging.objects.get(email="ina@example.org"))
    w.gast_token = bijeenkomsten_services.request_guest_registration(
        bijeenkomst=w.bijeenkomst, gegevens={"email": "gert@example.org", "naam": "Gert Gast"}
    )
    w.import_ = bijeenkomsten_services.queue_import(
        bijeenkomst=w.bijeenkomst,
        door=w.coordinator,
        token="matrix-import",
        rows=[ImportRow(number=2, naam="Olga Ouder", email="olga@example.org")],
        bron="leden.csv",
    )
    w.bericht = bijeenkomsten_services.save_bericht(
        bijeenkomst=w.bijeenkomst,
        door=w.coordinator,
        onderwerp="Route",
        tekst="Neem de trein.",
        doelgroep=Bericht.Doelgroep.OPEN,
    )

    w.editie = EditieFactory(titel="Nieuwsbrief juni", slug="nieuwsbrief-juni")
    w.sectie = SectieFactory(editie=w.editie, titel="Armoede", tekst="Wat er gebeurde.")
    SectieFactory(editie=w.editie, titel="Inclusie", tekst="En hier.")
    w.verzonden_editie = EditieFactory(titel="Nieuwsbrief mei", slug="nieuwsbrief-mei")
    Editie.objects.filter(pk=w.verzonden_editie.pk).update(
        status=Editie.Status.VERZONDEN,
        verzending_gestart_op=w.verzonden_editie.updates_tot,
        verzonden_op=w.verzonden_editie.updates_tot,
    )
    w.abonnement = AbonnementFactory(email="abonnee@example.org", naam="Abe Abonnee")

    # Issue 23: the partner is the contactpersoon of their organisatie and shares their
    # registrations; they hold a confirmed place they can hand on.
    Lidmaatschap.objects.filter(persoon=w.partner, organisatie=w.organisatie).update(
        is_contactpersoon=True
    )
    type(w.partner).objects.filter(pk=w.partner.pk).update(deelt_aanmeldingen=True)
    w.werkbezoek = BijeenkomstFactory(titel="Werkbezoek", slug="werkbezoek", capaciteit=5)
    w.eigen_aanmelding = bijeenkomsten_services.register(
        bijeenkomst=w.werkbezoek, email=w.partner.email, naam=w.partner.naam, persoon=w.partner
    )
    # A group the partner registered (issue 23, point 2); nothing of it is offered yet.
    w.groep = Groep.objects.create(
        bijeenkomst=w.werkbezoek, aangemeld_door=w.partner, keuze="samen"
    )
    w.dubbele_organisatie = OrganisatieFactory(naam="Buurtteam-Oost", slug="buurtteam-oost-2")
    w.voorstel = OrganisatieVoorstel.objects.create(
        aanmelding=w.aanmelding, organisatie=w.organisatie, score=0.8
    )
    # Issue 22: a bijeenkomst of the atelier held yesterday, with a (required) evaluation
    # question and one attendee who was there and has not filled it in.
    gisteren = timezone.now() - timedelta(days=1)
    w.terugblik = BijeenkomstFactory(
        titel="Terugblik", slug="terugblik", start=gisteren, eind=gisteren + timedelta(hours=2)
    )
    w.terugblik.leerateliers.add(w.atelier)
    w.evaluatievraag = bijeenkomsten_services.save_question(
        bijeenkomst=w.terugblik,
        door=w.coordinator,
        doel="evaluatie",
        soort="schaal",
        tekst="Hoe nuttig was het?",
        verplicht=True,
    )
    w.evaluatie_aanmelding = with_link(
        Aanmelding.objects.create(
            bijeenkomst=w.terugblik,
            email="eva@example.org",
            naam="Eva Aanwezig",
            status=Aanmelding.Status.BEVESTIGD,
            aanwezig_op=gisteren,
        )
    )
    make_team(w)
    return w


def make_team(w) -> None:
    """Issue 21, point 5: the team roles of the world's bijeenkomsten (see the module)."""
    from bijeenkomsten.models import Quotum, Teamlid
    from netwerk.models import Organisatie
    from tests.netwerk.factories import OrganisatieFactory

    w.werkplaats_zuyd = OrganisatieFactory(
        naam="Werkplaats Zuyd", slug="werkplaats-zuyd", soort=Organisatie.Soort.WERKPLAATS
    )
    team = {
        "organisator": PersoonFactory(naam="Olga Organisator", email="olga.org@example.org"),
        "coorganisator": PersoonFactory(naam="Cees Co", email="cees@example.org"),
        "deur": PersoonFactory(naam="Daan Deur", email="daan@example.org"),
        "ander_coorganisator": PersoonFactory(naam="Anouk Ander", email="anouk@example.org"),
    }
    w.people.update(team)
    for role, persoon in team.items():
        setattr(w, role, persoon)
    rol = Teamlid.Rol
    for bijeenkomst in (w.bijeenkomst, w.dag, w.concept_bijeenkomst):
        Teamlid.objects.create(bijeenkomst=bijeenkomst, persoon=w.organisator, rol=rol.ORGANISATOR)
    for bijeenkomst in (w.bijeenkomst, w.dag):
        Teamlid.objects.create(
            bijeenkomst=bijeenkomst,
            persoon=w.coorganisator,
            rol=rol.CO_ORGANISATOR,
            organisatie=w.werkplaats_zuyd,
        )
    w.deur_teamlid = Teamlid.objects.create(bijeenkomst=w.bijeenkomst, persoon=w.deur, rol=rol.DEUR)
    Teamlid.objects.create(
        bijeenkomst=w.werkbezoek,
        persoon=w.ander_coorganisator,
        rol=rol.CO_ORGANISATOR,
        organisatie=w.werkplaats_zuyd,
    )
    # Issue 21, point 6: Zuyd holds two places of the day for its own people.
    w.quotum = Quotum.objects.create(
        bijeenkomst=w.dag,
        organisatie=w.werkplaats_zuyd,
        aantal=2,
        tot=w.dag.start - timedelta(days=1),
    )
