"""A person with data in every app, made through the apps' own services where they exist."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from bijeenkomsten import services as bijeenkomst_services
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from bijeenkomsten.selectors import Audience
from leerateliers import services as leeratelier_services
from netwerk import services as netwerk_services
from netwerk.models import Persoon, Toestemming
from nieuwsbrief.models import Bezorging, Editie
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import OrganisatieFactory, PersoonFactory, make_coordinator
from tests.nieuwsbrief.factories import EditieFactory
from tests.themas.factories import ThemaFactory, UpdateFactory
from themas import services as thema_services

NAAM = "Fenna Oudewater-Brink"
EMAIL = "fenna.oudewater@example.org"


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@dataclass
class Wereld:
    persoon: Persoon
    coordinator: Persoon
    trekker: Persoon
    wachtende: Aanmelding
    volle_bijeenkomst: Bijeenkomst
    voorbije_aanmelding: Aanmelding
    update_titel: str


@pytest.fixture
def wereld(django_capture_on_commit_callbacks) -> Wereld:
    """Fenna, with something in every app: profile and membership, deelnames (one ended),
    a follow, an update, registrations (her own, one on her behalf, one as a guest with her
    address, one past with attendance), an invitation, the no-invitations list, a
    nieuwsbrief subscription with consent and a delivered edition, mails sent to her and
    mails about her to others, and an admin log entry about her."""
    with django_capture_on_commit_callbacks(execute=True):
        organisatie = OrganisatieFactory(naam="Buurtwerk Oost")
        persoon = PersoonFactory(
            naam=NAAM,
            email=EMAIL,
            organisatie=organisatie,
            functie="opbouwwerker",
            bio="Ik werk in Nijmegen-Oost.",
        )
        coordinator = make_coordinator(naam="Coördinator Cas", email="cas@example.org")
        trekker = PersoonFactory(naam="Trekker Tess", email="tess@example.org")

        atelier = LeeratelierFactory(naam="Armoede in de wijk", trekkers=[trekker])
        ander_atelier = LeeratelierFactory(naam="Wonen en zorg")
        leeratelier_services.join_leeratelier(persoon=persoon, leeratelier=atelier, rol="arena")
        oud = leeratelier_services.join_leeratelier(
            persoon=persoon, leeratelier=ander_atelier, rol="tribune"
        )
        leeratelier_services.leave_leeratelier(deelname=oud)

        thema = ThemaFactory(naam="Samenwerken", thematrekkers=[persoon])
        thema_services.follow(persoon=persoon, thema=thema, frequentie="per_update")
        update = UpdateFactory(thema=thema, auteur=persoon, titel="Wat we leerden in Oost")

        volle = BijeenkomstFactory(titel="Symposium vol", capaciteit=1)
        bijeenkomst_services.register(
            bijeenkomst=volle, email=EMAIL, naam=NAAM, persoon=persoon, dieetwensen="vegan"
        )
        wachtende = bijeenkomst_services.register(
            bijeenkomst=volle, email="wim@example.nl", naam="Wim Wachter"
        )
        namens = BijeenkomstFactory(titel="Masterclass")
        bijeenkomst_services.register_on_behalf(
            bijeenkomst=namens, door=coordinator, email=EMAIL, naam=NAAM, functie="spreker"
        )
        als_gast = BijeenkomstFactory(titel="Tribunebijeenkomst", contact_email=EMAIL)
        AanmeldingFactory(bijeenkomst=als_gast, email=EMAIL, naam=NAAM, toegankelijkheid="rolstoel")
        voorbij = BijeenkomstFactory(
            titel="Learning lab voorjaar",
            start=timezone.now() - timedelta(days=30),
            eind=timezone.now() - timedelta(days=30) + timedelta(hours=2),
        )
        voorbije = AanmeldingFactory(
            bijeenkomst=voorbij,
            email=EMAIL,
            naam=NAAM,
            persoon=persoon,
            aanwezig_op=voorbij.start,
        )
        # A guest registration with the address, its link not (yet) used.
        bijeenkomst_services.request_guest_registration(
            bijeenkomst=BijeenkomstFactory(titel="Werkconferentie"),
            gegevens={"email": EMAIL, "naam": NAAM, "organisatie": "Buurtwerk Oost"},
        )
        uitnodigend = BijeenkomstFactory(titel="Arenabijeenkomst")
        bijeenkomst_services.invite(
            bijeenkomst=uitnodigend, door=coordinator, audience=Audience(adressen=EMAIL)
        )
        netwerk_services.opt_out_of_invitations(email=EMAIL)

        now = timezone.now()
        abonnement = netwerk_services.subscribe(
            email=EMAIL,
            naam=NAAM,
            leeratelier_ids=[atelier.pk],
            thema_ids=[thema.pk],
            tekst_versie="1",
            taal="nl",
            formulier=Toestemming.Formulier.NIEUWSBRIEF,
            gevraagd_op=now - timedelta(minutes=5),
            bevestigd_op=now,
        )
        editie = EditieFactory(
            titel="Nieuwsbrief juni",
            status=Editie.Status.VERZONDEN,
            verzending_gestart_op=now,
        )
        Bezorging.objects.create(
            editie=editie,
            abonnement=abonnement,
            email=EMAIL,
            status=Bezorging.Status.FAILED,
            fout=f"550 <{EMAIL}> mailbox full",
        )
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(Persoon),
        object_id=str(persoon.pk),
        object_repr=str(persoon),
        action_flag=CHANGE,
        change_message=f"Naam gewijzigd in {NAAM}",
    )
    return Wereld(
        persoon=persoon,
        coordinator=coordinator,
        trekker=trekker,
        wachtende=wachtende,
        volle_bijeenkomst=volle,
        voorbije_aanmelding=voorbije,
        update_titel=update.titel,
    )


@pytest.fixture
def totp_secret(wereld) -> str:
    secret = generate_totp_secret()
    TOTP.activate(wereld.persoon, secret)
    return secret
