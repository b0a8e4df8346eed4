"""The verslag after a bijeenkomst: written by its team, attendance filled in from the
check-in, published on the bijeenkomst's page once the bijeenkomst is over."""

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import (
    Aanmelding,
    Bijeenkomst,
    ProgrammaOnderdeel,
    SessieKeuze,
    Verslag,
)
from netwerk.models import Lidmaatschap, Organisatie, Persoon
from themas.rendering import render_markdown
from werkplaats import cache
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one


class VerslagError(RuleViolation):
    """The verslag cannot be saved or published as asked."""


def attendance(*, bijeenkomst: Bijeenkomst) -> dict:
    """Registered, present and no-show from the check-in, the same per deelsessie (who held
    a place in it), and the distinct organisaties of those present (by their confirmed
    memberships) counted per soort: five queries."""
    confirmed = Aanmelding.objects.filter(
        bijeenkomst=bijeenkomst, status=Aanmelding.Status.BEVESTIGD
    )
    aangemeld = confirmed.count()
    present = confirmed.filter(aanwezig_op__isnull=False)
    aanwezig = present.count()
    per_soort = (
        Organisatie.objects.filter(
            lidmaatschappen__status=Lidmaatschap.Status.BEVESTIGD,
            lidmaatschappen__persoon__in=present.filter(persoon__isnull=False).values("persoon"),
        )
        .values("soort")
        .annotate(aantal=Count("pk", distinct=True))
        .order_by("soort")
    )
    return {
        "aantal_aangemeld": aangemeld,
        "aantal_aanwezig": aanwezig,
        "aantal_niet_verschenen": aangemeld - aanwezig,
        "aanwezigheid_per_sessie": _attendance_per_session(bijeenkomst),
        "organisaties_per_soort": {row["soort"]: row["aantal"] for row in per_soort},
    }


def _attendance_per_session(bijeenkomst: Bijeenkomst) -> list[dict]:
    """Per deelsessie, in programme order: the confirmed attendees who held a place in it
    and how many of them were present. Kept by title, so it outlives the programme."""
    held = Q(
        keuzes__status=SessieKeuze.Status.BEVESTIGD,
        keuzes__aanmelding__status=Aanmelding.Status.BEVESTIGD,
    )
    present = Q(keuzes__aanmelding__aanwezig_op__isnull=False)
    sessies = (
        ProgrammaOnderdeel.objects.filter(bijeenkomst=bijeenkomst)
        .deelsessies()
        .annotate(
            aangemeld=Count("keuzes", filter=held),
            aanwezig=Count("keuzes", filter=held & present),
        )
        .values_list("ronde__titel", "titel", "aangemeld", "aanwezig")
        .order_by("ronde__start", "ronde_id", "start", "pk")
    )
    return [
        {"ronde": ronde, "titel": titel, "aangemeld": aangemeld, "aanwezig": aanwezig}
        for ronde, titel, aangemeld, aanwezig in sessies
    ]


def save_verslag(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon,
    geleerde_lessen: str,
    updates=(),
    kennisproducten=(),
    bestand=None,
    bestand_verwijderen: bool = False,
    publiceren: bool = False,
    now: datetime | None = None,
) -> Verslag:
    """Create or change the verslag of `bijeenkomst`, its attendance read again from the
    check-in. `publiceren` publishes it (only once the bijeenkomst is over); False keeps or
    makes it a draft. The caller has checked `can_write_verslag` and the file's content."""
    now = now or timezone.now()
    if publiceren and bijeenkomst.eind > now:
        raise VerslagError(_("Een verslag wordt pas gepubliceerd als de bijeenkomst voorbij is."))
    html = render_markdown(geleerde_lessen)
    with transaction.atomic():
        lock_one(Bijeenkomst.objects, pk=bijeenkomst.pk)
        verslag = Verslag.objects.filter(bijeenkomst=bijeenkomst).first() or Verslag(
            bijeenkomst=bijeenkomst
        )
        verslag.geleerde_lessen = geleerde_lessen
        verslag.geleerde_lessen_html = html
        verslag.geschreven_door = door
        for field, value in attendance(bijeenkomst=bijeenkomst).items():
            setattr(verslag, field, value)
        if publiceren:
            verslag.status = Verslag.Status.GEPUBLICEERD
            verslag.gepubliceerd_op = verslag.gepubliceerd_op or now
        else:
            verslag.status = Verslag.Status.CONCEPT
            verslag.gepubliceerd_op = None
        old_file = verslag.bestand.name if verslag.bestand else ""
        if bestand is not None:
            verslag.bestand = bestand
        elif bestand_verwijderen:
            verslag.bestand = ""
        verslag.full_clean(exclude=["bestand"])
        verslag.save()
        verslag.updates.set(updates)
        verslag.kennisproducten.set(kennisproducten)
        if old_file and old_file != (verslag.bestand.name or ""):
            storage = verslag.bestand.storage
            transaction.on_commit(lambda: storage.delete(old_file))
        cache.bump("bijeenkomsten")
    return verslag
