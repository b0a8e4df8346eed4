"""Beheer: coördinatoren create, edit, publish and cancel bijeenkomsten, change their capacity,
and keep the wachtlijst by hand. Every change is logged as a Handeling in its own transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.ics import invitation_for
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling
from bijeenkomsten.services import sessions
from bijeenkomsten.services._common import RegistrationError, _lock, _mail, _record, _reload
from bijeenkomsten.services.quota import _check_quota_fit
from bijeenkomsten.services.registration import _fill_free_places, _offer
from netwerk.models import Persoon
from netwerk.outbox import RecipientLanguages
from werkplaats import cache
from werkplaats.slugs import save_with_unique_slug

# What people's calendars and travel plans depend on: a change here is mailed to everyone
# with an open registration, with the updated calendar invitation.
TIME_AND_PLACE = ("start", "eind", "locatie_naam", "locatie_adres", "locatie_plaats", "online_link")
RELATIONS = ("leerateliers", "themas", "organisaties")


def create_bijeenkomst(*, door: Persoon, **fields) -> Bijeenkomst:
    """A new bijeenkomst, as a concept: nobody sees it until it is published."""
    relations = {name: fields.pop(name, ()) for name in RELATIONS}
    with transaction.atomic():
        bijeenkomst = Bijeenkomst(status=Bijeenkomst.Status.CONCEPT, **fields)
        _validate(bijeenkomst, exclude=["slug"])
        save_with_unique_slug(bijeenkomst, text=bijeenkomst.titel, fallback="bijeenkomst")
        for name, values in relations.items():
            getattr(bijeenkomst, name).set(values)
        _record(
            bijeenkomst, door=door, soort=Handeling.Soort.AANGEMAAKT, omschrijving=str(bijeenkomst)
        )
        cache.bump("bijeenkomsten")
    return bijeenkomst


def update_bijeenkomst(*, bijeenkomst: Bijeenkomst, door: Persoon, **fields) -> Bijeenkomst:
    """Change a bijeenkomst. A new time or place of a published one is mailed to everyone
    with an open registration, with a calendar update (same UID, next SEQUENCE); a higher
    capacity or fewer reserved places are offered to the wachtlijst at once."""
    relations = {name: list(fields.pop(name)) for name in RELATIONS if name in fields}
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        if bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD:
            raise RegistrationError(_("Een geannuleerde bijeenkomst wijzig je niet meer."))
        changed = [name for name, value in fields.items() if getattr(bijeenkomst, name) != value]
        if "capaciteit" in changed:
            _check_quota_fit(bijeenkomst, fields["capaciteit"])
        for name in changed:
            setattr(bijeenkomst, name, fields[name])
        _validate(bijeenkomst)
        moved = bijeenkomst.status == Bijeenkomst.Status.GEPUBLICEERD and any(
            name in TIME_AND_PLACE for name in changed
        )
        if moved:
            bijeenkomst.ics_volgnummer += 1
        bijeenkomst.save()
        for name, values in relations.items():
            if {item.pk for item in values} != set(
                getattr(bijeenkomst, name).values_list("pk", flat=True)
            ):
                getattr(bijeenkomst, name).set(values)
                changed.append(name)
        if changed:
            cache.bump("bijeenkomsten")
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.GEWIJZIGD,
                omschrijving=", ".join(
                    str(Bijeenkomst._meta.get_field(name).verbose_name) for name in changed
                ),
            )
        if moved:
            aanmeldingen = list(bijeenkomst.aanmeldingen.open())
            languages = RecipientLanguages(aanmelding.email for aanmelding in aanmeldingen)
            for aanmelding in aanmeldingen:
                aanmelding.bijeenkomst = bijeenkomst
                _mail_change(aanmelding, languages)
        _fill_free_places(bijeenkomst)
    return bijeenkomst


def _mail_change(aanmelding: Aanmelding, languages: RecipientLanguages) -> None:
    holds_place = aanmelding.status in Aanmelding.TAKEN_STATUSES
    _mail(
        aanmelding,
        "gewijzigd",
        languages=languages,
        key_suffix=f"gewijzigd:{aanmelding.bijeenkomst.ics_volgnummer}",
        attachments=[("bijeenkomst.ics", invitation_for(aanmelding), "text/calendar")]
        if holds_place
        else None,
    )


def publish_bijeenkomst(*, bijeenkomst: Bijeenkomst, door: Persoon) -> Bijeenkomst:
    """A concept goes live: visible, and open for registration within its window."""
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        if bijeenkomst.status != Bijeenkomst.Status.CONCEPT:
            raise RegistrationError(_("Alleen een concept kan worden gepubliceerd."))
        if bijeenkomst.eind <= timezone.now():
            raise RegistrationError(_("Deze bijeenkomst is al voorbij."))
        _validate(bijeenkomst)
        bijeenkomst.status = Bijeenkomst.Status.GEPUBLICEERD
        bijeenkomst.save(update_fields=["status", "gewijzigd_op"])
        cache.bump("bijeenkomsten")
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.GEPUBLICEERD,
            omschrijving=str(bijeenkomst),
        )
    return bijeenkomst


def _validate(bijeenkomst: Bijeenkomst, exclude: list[str] | None = None) -> None:
    try:
        bijeenkomst.full_clean(exclude=exclude)
    except ValidationError as error:
        raise RegistrationError(" ".join(error.messages)) from error


def cancel_bijeenkomst(
    *, bijeenkomst: Bijeenkomst, door: Persoon | None = None, reden: str = ""
) -> Bijeenkomst:
    """Call the whole bijeenkomst off: every open registration ends and everyone is told,
    with a METHOD:CANCEL calendar file so the event leaves their calendars."""
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        if bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD:
            return bijeenkomst
        if bijeenkomst.eind <= timezone.now():
            # It took place: cancelling now would mail everyone a cancellation afterwards.
            raise RegistrationError(_("Deze bijeenkomst is al voorbij."))
        bijeenkomst.status = Bijeenkomst.Status.GEANNULEERD
        bijeenkomst.ics_volgnummer += 1
        bijeenkomst.save(update_fields=["status", "ics_volgnummer", "gewijzigd_op"])
        cache.bump("bijeenkomsten")
        if door is not None:
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.BIJEENKOMST_GEANNULEERD,
                omschrijving=str(bijeenkomst),
                reden=reden.strip(),
            )
        aanmeldingen = list(bijeenkomst.aanmeldingen.open())
        languages = RecipientLanguages(aanmelding.email for aanmelding in aanmeldingen)
        for aanmelding in aanmeldingen:
            aanmelding.bijeenkomst = bijeenkomst
            had_place = aanmelding.status in Aanmelding.TAKEN_STATUSES
            aanmelding.status = Aanmelding.Status.GEANNULEERD
            aanmelding.aanbod_tot = None
            aanmelding.save(update_fields=["status", "aanbod_tot", "gewijzigd_op"])
            _mail(
                aanmelding,
                "bijeenkomst_geannuleerd",
                {"reden": reden.strip()},
                languages=languages,
                key_suffix="bijeenkomst-geannuleerd",
                attachments=[("bijeenkomst.ics", invitation_for(aanmelding), "text/calendar")]
                if had_place
                else None,
            )
        sessions.end_all_choices(bijeenkomst, now=timezone.now())
        return bijeenkomst


def change_capacity(
    *, bijeenkomst: Bijeenkomst, capaciteit: int | None, door: Persoon | None = None
) -> Bijeenkomst:
    """Raise or lower the capacity (None: unlimited).

    Raised: the freed places are offered in wachtlijst order. Lowered: nobody loses a
    confirmed place or an offer; newcomers wait until the number drops below the capacity.
    """
    if capaciteit is not None and capaciteit < 0:
        raise RegistrationError(_("De capaciteit kan niet negatief zijn."))
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        oud = bijeenkomst.capaciteit
        if oud == capaciteit:
            return bijeenkomst
        _check_quota_fit(bijeenkomst, capaciteit)
        bijeenkomst.capaciteit = capaciteit
        bijeenkomst.save(update_fields=["capaciteit", "gewijzigd_op"])
        if door is not None:
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.CAPACITEIT,
                omschrijving=_("van %(oud)s naar %(nieuw)s")
                % {"oud": _capacity_label(oud), "nieuw": _capacity_label(capaciteit)},
            )
        _fill_free_places(bijeenkomst)
        return bijeenkomst


def _capacity_label(capaciteit: int | None) -> str:
    return _("onbeperkt") if capaciteit is None else str(capaciteit)


def offer_next_place(*, bijeenkomst: Bijeenkomst, door: Persoon) -> Aanmelding:
    """There is room for one more: the capacity goes up by one and the first one waiting
    gets that place offered now (in direct mode: given). Logged with the new capacity."""
    now = timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        first = bijeenkomst.aanmeldingen.wachtend().first()
        if first is None:
            raise RegistrationError(_("Er staat niemand op de wachtlijst."))
        if not bijeenkomst.biedt_plaatsen_aan(now):
            raise RegistrationError(
                _("Deze bijeenkomst biedt geen plaatsen meer aan: hij is begonnen of geannuleerd.")
            )
        if bijeenkomst.open_plaatsen_vrij(now) == 0:
            bijeenkomst.capaciteit += 1
            bijeenkomst.save(update_fields=["capaciteit", "gewijzigd_op"])
        _offer(bijeenkomst, first, now=now)
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.PLEK_AANGEBODEN,
            aanmelding=first,
            omschrijving=_("%(naam)s <%(email)s>: %(status)s; capaciteit nu %(capaciteit)s")
            % {
                "naam": first.naam,
                "email": first.email,
                "status": first.get_status_display(),
                "capaciteit": bijeenkomst.capaciteit,
            },
        )
        return first


def move_on_waitlist(
    *, aanmelding: Aanmelding, door: Persoon, omhoog: bool, reden: str
) -> Aanmelding:
    """Swap someone with their neighbour on the wachtlijst; the reason goes in the log."""
    reden = reden.strip()
    if not reden:
        raise RegistrationError(_("Geef een reden om iemand te verschuiven."))
    with transaction.atomic():
        bijeenkomst = _lock(aanmelding.bijeenkomst_id)
        aanmelding = _reload(aanmelding, bijeenkomst)
        if aanmelding.status != Aanmelding.Status.WACHTLIJST:
            raise RegistrationError(_("Deze aanmelding staat niet op de wachtlijst."))
        waiting = bijeenkomst.aanmeldingen.wachtend()
        neighbour = (
            waiting.filter(wachtlijst_volgorde__lt=aanmelding.wachtlijst_volgorde).last()
            if omhoog
            else waiting.filter(wachtlijst_volgorde__gt=aanmelding.wachtlijst_volgorde).first()
        )
        if neighbour is None:
            raise RegistrationError(
                _("Staat al bovenaan de wachtlijst.") if omhoog else _("Staat al onderaan.")
            )
        mine, theirs = aanmelding.wachtlijst_volgorde, neighbour.wachtlijst_volgorde
        # The orders are unique per bijeenkomst: park one on a free number while swapping.
        parked = _next_waitlist_order(bijeenkomst)
        Aanmelding.objects.filter(pk=aanmelding.pk).update(wachtlijst_volgorde=parked)
        Aanmelding.objects.filter(pk=neighbour.pk).update(wachtlijst_volgorde=mine)
        Aanmelding.objects.filter(pk=aanmelding.pk).update(wachtlijst_volgorde=theirs)
        aanmelding.wachtlijst_volgorde = theirs
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.VERSCHOVEN,
            aanmelding=aanmelding,
            omschrijving=(
                _("%(naam)s een plaats omhoog") if omhoog else _("%(naam)s een plaats omlaag")
            )
            % {"naam": aanmelding.naam},
            reden=reden,
        )
        return aanmelding


def _next_waitlist_order(bijeenkomst: Bijeenkomst) -> int:
    # Under the bijeenkomst lock, so max + 1 cannot be handed out twice; orders of people
    # who left stay taken, so an order never changes meaning.
    highest = bijeenkomst.aanmeldingen.aggregate(highest=Max("wachtlijst_volgorde"))["highest"]
    return (highest or 0) + 1
