"""Group registration: 2 to 10 colleagues registered together, by one of them or by their
contactpersoon, and how a group waits on the wachtlijst among single entries.

Who: a confirmed member of an organisatie registers colleagues by address (a confirmed
member of the same organisatie, or an address on its mail domain; their own address may be
one of them). Each member gets a registration of their own, as one registered on behalf: the
normal mail (a confirmation, or their place on the wachtlijst) with their own personal link,
with which they cancel alone. Where the team approves who comes (`met_goedkeuring`) a group
is not registered: each asks for a place.

Placing, at registration: with a free place for everyone (in the chosen deelsessies too)
and nobody before them on the wachtlijst, all are bevestigd. Otherwise the group's choice,
made up front:

- `splitsen`: as many as fit get a place, in the order given; the rest go on the wachtlijst
  in that order and from then on wait as single entries.
- `samen`: the whole group goes on the wachtlijst and waits as ONE entry; it is offered
  places only when all its waiting members fit — never a part of the group.

The wachtlijst with groups (the rule; applied in one place, `registration._fill_free_places`,
and `registration._Newcomers.others_wait` for newcomers):

1. The wachtlijst is one queue, in order of joining (`wachtlijst_volgorde`). A "samen"
   group's members hold consecutive numbers; the group's position is its first waiting
   member's. So the numbers stay unique and the positions 1..n without gaps, as for
   single entries.
2. Free places go strictly in queue order: a single entry takes one; a "samen" group takes
   as many as it has waiting members, all at once (one offer, one deadline), and only when
   the free places, and the free places of every deelsessie its members chose, are enough.
3. No overtaking: while a "samen" group at the head does not fit, it holds the free
   places; nobody behind it, and no newcomer, gets them.
4. Bounded: a group holds places for one bedenktijd (`bedenktijd_uren`, never past the
   start), counted from the first time it held one (`Groep.vasthouden_tot`). After that it
   is passed over but keeps its position: the places it cannot use go to those behind it
   (and to newcomers), and whenever enough places are free at once it is first again. The
   periodic task that expires offers passes on the places of a hold that ran out.

What a coördinator does by hand stays theirs to decide: `beheer.offer_next_place` offers
one place to the first one waiting, a group member too, and `beheer.move_on_waitlist` may
move a member away from the others; the group then still counts as one entry, at the
position of its first waiting member.

An offer to a "samen" group is claimed for all by whoever registered the group
(`claim_group`), and expires as one (all its members share the deadline); each member may
also claim, decline or cancel their own place alone, which is then a single's change.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Groep, Handeling, ProgrammaOnderdeel
from bijeenkomsten.services import sessions
from bijeenkomsten.services._common import RegistrationError, _lock, _record, _refusal_reason
from bijeenkomsten.services.registration import (
    _add,
    _fill_free_places,
    _mail_confirmations,
    _Newcomers,
)
from netwerk import selectors as netwerk_selectors
from netwerk.models import Persoon, normalize_email_address

MIN_GROUP = 2
MAX_GROUP = 10


def clean_members(leden: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The members as (naam, normalised address), checked: 2 to 10, each with a name and an
    address, no address twice. Raises RegistrationError (forms show it; the service checks
    it again)."""
    members = []
    for naam, email in leden:
        naam, email = (naam or "").strip(), normalize_email_address(email or "")
        if not naam and not email:
            continue
        if not naam or not email:
            raise RegistrationError(
                _("Vul van iedereen in de groep de naam en het e-mailadres in.")
            )
        members.append((naam, email))
    if not MIN_GROUP <= len(members) <= MAX_GROUP:
        raise RegistrationError(
            _("Een groep is %(min)s tot %(max)s mensen; je gaf er %(aantal)s op.")
            % {"min": MIN_GROUP, "max": MAX_GROUP, "aantal": len(members)}
        )
    seen = set()
    for _naam, email in members:
        if email in seen:
            raise RegistrationError(
                _("Het e-mailadres %(email)s staat twee keer in de groep.") % {"email": email}
            )
        seen.add(email)
    return members


def register_group(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon,
    leden: Sequence[tuple[str, str]],
    keuze: str,
    sessies: Sequence[ProgrammaOnderdeel] = (),
    now: datetime | None = None,
) -> Groep:
    """Register `leden` ((naam, e-mail) pairs) together for `bijeenkomst`, as `door` (who
    may: netwerk.permissions.can_register_group), with the group's choice `keuze` for when
    not everyone fits (the rules: this module's docstring). `sessies`: one deelsessie per
    ronde, the same for all. Returns the Groep, its registrations in `.leden` in the order
    given. A refusal changes nothing."""
    now = now or timezone.now()
    members = clean_members(leden)
    if keuze not in Groep.Keuze.values:
        raise RegistrationError(_("Kies wat de groep wil als er geen plek is voor iedereen."))
    organisatie = netwerk_selectors.bevestigde_organisatie_van(door)
    if organisatie is None:
        raise RegistrationError(
            _("Alleen wie bevestigd lid is van een organisatie, meldt collega's als groep aan.")
        )
    others = [email for _naam, email in members if email != door.email]
    strangers = netwerk_selectors.geen_collega_adressen(organisatie=organisatie, emails=others)
    if strangers:
        raise RegistrationError(
            _("%(email)s is geen adres van een collega bij %(organisatie)s.")
            % {"email": strangers[0], "organisatie": organisatie.naam}
        )
    sessions.check_choices(bijeenkomst=bijeenkomst, sessies=sessies)
    emails = [email for _naam, email in members]
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        if not bijeenkomst.aanmelden_mogelijk(now):
            raise RegistrationError(_refusal_reason(bijeenkomst, now))
        if bijeenkomst.met_goedkeuring:
            raise RegistrationError(
                _(
                    "Bij deze bijeenkomst beslist het team wie er komt: een groep aanmelden "
                    "kan hier niet. Ieder kan zelf een plek aanvragen."
                )
            )
        locked = sessions._lock_sessions(bijeenkomst, [sessie.pk for sessie in sessies])
        accounts = {p.email: p for p in Persoon.objects.filter(email__in=emails)}
        newcomers = _Newcomers(bijeenkomst, now=now, emails=emails, personen=accounts.values())
        for email in emails:
            if email in newcomers.open_by_email:
                raise RegistrationError(
                    _(
                        "%(email)s is al aangemeld voor deze bijeenkomst; haal dit adres uit "
                        "de groep."
                    )
                    % {"email": email}
                )
        fit = _places_for(bijeenkomst, newcomers, [locked[s.pk] for s in sessies], now=now)
        if keuze == Groep.Keuze.SAMEN and fit < len(members):
            fit = 0
        if fit < len(members) and not bijeenkomst.wachtlijst_open:
            raise RegistrationError(
                _("Er is geen plek voor de hele groep en deze bijeenkomst heeft geen wachtlijst.")
            )
        groep = Groep.objects.create(
            bijeenkomst=bijeenkomst, aangemeld_door=door, keuze=keuze, aangemaakt_op=now
        )
        groep.leden = []
        for number, (naam, email) in enumerate(members):
            persoon = accounts.get(email)
            aanmelding = _add(
                newcomers,
                bron=Aanmelding.Bron.ZELF if persoon == door else Aanmelding.Bron.GROEP,
                email=email,
                naam=naam,
                persoon=persoon,
                aangemeld_door=door,
                organisatie=organisatie.naam,
                functie=persoon.functie if persoon else "",
                groep=groep,
                op_wachtlijst=number >= fit,
            )
            aanmelding.gekoppelde_organisatie = organisatie
            aanmelding.organisatie_bekeken = True
            groep.leden.append(aanmelding)
        newcomers.save()
        for aanmelding in groep.leden:
            sessions.choose_at_registration(
                bijeenkomst=bijeenkomst, aanmelding=aanmelding, sessies=sessies, now=now
            )
        wachtend = len(members) - fit
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.GROEP_AANGEMELD,
            omschrijving=_(
                "Groep van %(aantal)s (%(keuze)s): %(bevestigd)s bevestigd, %(wachtend)s op "
                "de wachtlijst"
            )
            % {
                "aantal": len(members),
                "keuze": keuze,
                "bevestigd": fit,
                "wachtend": wachtend,
            },
        )
        if wachtend:
            # A "samen" group that finds free places it cannot fill starts holding them.
            _fill_free_places(bijeenkomst, now=now)
        return groep


def _places_for(
    bijeenkomst: Bijeenkomst,
    newcomers: _Newcomers,
    sessies: Sequence[ProgrammaOnderdeel],
    *,
    now: datetime,
) -> int:
    """How many newcomers may take a place now (a large number: unlimited): the free
    places, unless others wait for them, and the free places of each chosen deelsessie."""
    free = bijeenkomst.open_plaatsen_vrij(now)
    if free != 0 and newcomers.others_wait():
        free = 0
    fit = MAX_GROUP if free is None else free
    for sessie in sessies:
        sessie_free = sessie.plaatsen_vrij
        if sessions._others_wait(bijeenkomst, sessie, now):
            sessie_free = 0
        if sessie_free is not None:
            fit = min(fit, sessie_free)
    return fit


def claim_group(*, groep: Groep, door: Persoon, now: datetime | None = None) -> list[Aanmelding]:
    """Claim the places offered to a "samen" group, for all its members at once, as who
    registered the group (netwerk.permissions.can_claim_group)."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(groep.bijeenkomst_id)
        if groep.aangemeld_door_id != door.pk:
            raise RegistrationError(_("Alleen wie de groep aanmeldde, claimt de plekken ervan."))
        offered = list(
            groep.aanmeldingen.filter(status=Aanmelding.Status.AANGEBODEN).order_by(
                "wachtlijst_volgorde", "pk"
            )
        )
        if not offered:
            raise RegistrationError(_("Er staan voor deze groep geen plekken klaar om te claimen."))
        if not all(aanmelding.aanbod_loopt(now) for aanmelding in offered):
            raise RegistrationError(_("De termijn om deze plekken te claimen is verlopen."))
        Aanmelding.objects.filter(pk__in=[a.pk for a in offered]).update(
            status=Aanmelding.Status.BEVESTIGD, aanbod_tot=None, gewijzigd_op=now
        )
        for aanmelding in offered:
            aanmelding.bijeenkomst = bijeenkomst
            aanmelding.status = Aanmelding.Status.BEVESTIGD
            aanmelding.aanbod_tot = None
        _mail_confirmations(bijeenkomst, offered)
        return offered
