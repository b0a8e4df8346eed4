"""The rules of registering: capacity, the wachtlijst and offers of freed places.

Every service is one transaction that first locks the Bijeenkomst row, so all changes to
one bijeenkomst's registrations happen one after the other, whatever the concurrency. Mail
is queued through the outbox in that same transaction.

Deelsessies (sessions.py) follow the registration: chosen with `register()`, placed when
`_offer()` gives or offers a place, freed when a registration ends. Lock order: the
Bijeenkomst row, then the deelsessies by pk (sessions.py says why).
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.ics import invitations_for
from bijeenkomsten.models import (
    Aanmelding,
    Bijeenkomst,
    Groep,
    Handeling,
    ProgrammaOnderdeel,
    Quotum,
    SessieKeuze,
    Teamlid,
)
from bijeenkomsten.services import sessions
from bijeenkomsten.services._common import (
    NAAM_PLACEHOLDER,
    POSITIE_PLACEHOLDER,
    TOKEN_PLACEHOLDER,
    RegistrationError,
    _account_for,
    _check_open_for_coordinators,
    _language_of,
    _lock,
    _mail,
    _offer_deadline,
    _personalise,
    _record,
    _refusal_reason,
    _reload,
    _render_once,
)
from bijeenkomsten.services.links import _issue_links
from bijeenkomsten.services.questions import clean_answers, registration_questions, save_answers
from leerateliers.models import Deelname
from netwerk.models import Lidmaatschap, Persoon, normalize_email_address
from netwerk.outbox import QRCode, RecipientLanguages, queue_rendered_mails

REMINDER_BEFORE_DEADLINE = timedelta(hours=12)
OPTIONAL_FIELDS = ("organisatie", "functie", "dieetwensen", "toegankelijkheid")


def register(
    *,
    bijeenkomst: Bijeenkomst,
    email: str,
    naam: str,
    persoon: Persoon | None = None,
    aangemeld_door: Persoon | None = None,
    organisatie: str = "",
    functie: str = "",
    dieetwensen: str = "",
    toegankelijkheid: str = "",
    taal: str = "",
    bron: str = Aanmelding.Bron.ZELF,
    antwoorden: dict | None = None,
    sessies: Sequence[ProgrammaOnderdeel] = (),
    uitgenodigd_door: Persoon | None = None,
    now: datetime | None = None,
) -> Aanmelding:
    """Register one address: bevestigd while places are free, else at the end of the wachtlijst.

    `taal` is the language a guest registers in: their mails use it (a person's mails use
    the language stored on them).

    Someone a running quotum is for (an arena deelnemer of a linked leeratelier, a member of
    a co-organising organisatie) takes one of its places while it has any free. Raises
    RegistrationError when registration is closed, the bijeenkomst is full without a
    wachtlijst, or the address already has an open registration (then `.aanmelding` is it).
    `sessies`: the deelsessies chosen, one per ronde (sessions.py).

    `antwoorden` answers the bijeenkomst's questions ({vraag pk: value}), checked by
    `questions.clean_answers()` (a required one only when registering oneself). With
    approval on, the registration is a request (`approval.py`) that takes no place yet.
    """
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        if not bijeenkomst.aanmelden_mogelijk(now):
            raise RegistrationError(_refusal_reason(bijeenkomst, now))
        # Who registers themselves answers the required questions; the team, an import
        # or a contactpersoon registering someone else may not know the answers.
        verplicht = bron in (Aanmelding.Bron.ZELF, Aanmelding.Bron.UITNODIGING)
        if antwoorden or verplicht:
            # Nothing to check otherwise (a guest who answered nothing): no query for it.
            antwoorden = clean_answers(
                registration_questions(bijeenkomst), antwoorden, verplicht=verplicht
            )
        aanmelding = _add_one(
            bijeenkomst,
            now=now,
            email=email,
            naam=naam,
            persoon=persoon,
            aangemeld_door=aangemeld_door,
            organisatie=organisatie,
            functie=functie,
            dieetwensen=dieetwensen,
            toegankelijkheid=toegankelijkheid,
            taal=taal,
            bron=bron,
            antwoorden=antwoorden,
            uitgenodigd_door=uitgenodigd_door,
        )
        # Deelsessies: a refusal here rolls the whole registration back.
        sessions.choose_at_registration(
            bijeenkomst=bijeenkomst, aanmelding=aanmelding, sessies=sessies, now=now
        )
        return aanmelding


def registration_refusal(*, bijeenkomst: Bijeenkomst, now: datetime | None = None) -> str | None:
    """Why nobody can register now, or None when they can: the rule `register()` applies."""
    now = now or timezone.now()
    return None if bijeenkomst.aanmelden_mogelijk(now) else _refusal_reason(bijeenkomst, now)


def register_on_behalf(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon,
    email: str,
    naam: str,
    boven_capaciteit_reden: str = "",
    antwoorden: dict | None = None,
    sessies: Sequence[ProgrammaOnderdeel] = (),
    now: datetime | None = None,
    **gegevens: str,
) -> Aanmelding:
    """A coördinator registers someone, who gets the normal mails.

    Also while the registration window is closed (a late speaker), but never for a
    cancelled or finished bijeenkomst. With a reason, the place is above capacity (a
    speaker, a guest of honour) and takes nobody else's place. `antwoorden` and `sessies`
    as for `register()`, but no answer is required: the team may not know it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        _check_open_for_coordinators(bijeenkomst, now)
        if antwoorden:
            antwoorden = clean_answers(
                registration_questions(bijeenkomst), antwoorden, verplicht=False
            )
        aanmelding = _add_one(
            bijeenkomst,
            now=now,
            email=email,
            naam=naam,
            persoon=_account_for(email),
            aangemeld_door=door,
            boven_capaciteit_reden=boven_capaciteit_reden,
            bron=Aanmelding.Bron.NAMENS,
            antwoorden=antwoorden,
            **gegevens,
        )
        sessions.choose_at_registration(
            bijeenkomst=bijeenkomst, aanmelding=aanmelding, sessies=sessies, now=now
        )
        boven = bool(boven_capaciteit_reden.strip())
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.BOVEN_CAPACITEIT if boven else Handeling.Soort.AANGEMELD_NAMENS,
            aanmelding=aanmelding,
            omschrijving=_("%(naam)s <%(email)s>: %(status)s")
            % {
                "naam": aanmelding.naam,
                "email": aanmelding.email,
                "status": aanmelding.get_status_display(),
            },
            reden=boven_capaciteit_reden.strip(),
        )
        return aanmelding


class _Newcomers:
    """What deciding a newcomer's status needs to know about one locked bijeenkomst, read
    once and kept up to date as `_add()` adds newcomers, who are then saved and mailed
    together (`save()`): one registration reads it for itself, an import once for all its
    rows. Nothing else changes the bijeenkomst's registrations while its lock is held.

    `emails` and `personen` are those of the newcomers to come: their open registrations
    and arena deelnames are read for them all at once.
    """

    def __init__(
        self,
        bijeenkomst: Bijeenkomst,
        *,
        now: datetime,
        emails: Iterable[str],
        personen: Iterable[Persoon | None] = (),
    ):
        self.bijeenkomst = bijeenkomst
        self.now = now
        self.added: list[Aanmelding] = []
        # Whether those waiting claim the free places: read when first asked (groups).
        self.queue_claims: bool | None = None
        # First, so the counts below see the places it opened and offered. The quota are
        # read once for both (a registration's one query for them), again only after a release.
        quota = list(bijeenkomst.quota.met_gebruik())
        if _release_reserved_places_if_due(bijeenkomst, now, quota=quota):
            quota = list(bijeenkomst.quota.met_gebruik())
        taken = Q(status__in=Aanmelding.TAKEN_STATUSES, boven_capaciteit=False)
        counted = {
            "bezet": Count("pk", filter=taken),
            "wachtend": Count("pk", filter=Q(status=Aanmelding.Status.WACHTLIJST)),
            "hoogste_volgorde": Max("wachtlijst_volgorde"),
        }
        # Compared as the unique constraint does: in lower case.
        wanted = {normalize_email_address(email) for email in emails}
        if wanted:
            # Whether a newcomer to come is registered already: only then are their rows
            # read, so registering someone new takes no query for it.
            counted["al_aangemeld"] = Count(
                "pk", filter=Q(status__in=Aanmelding.OPEN_STATUSES, email_lower__in=wanted)
            )
        counts = bijeenkomst.aanmeldingen.alias(email_lower=Lower("email")).aggregate(**counted)
        # Read by `Bijeenkomst._counts()` as it reads the page annotation.
        bijeenkomst.bezet = counts["bezet"]
        bijeenkomst.quota_met_gebruik = quota
        self.waiting_before = self.waiting = counts["wachtend"]
        self.next_order = (counts["hoogste_volgorde"] or 0) + 1
        self.open_by_email = (
            {
                aanmelding.email.lower(): aanmelding
                for aanmelding in bijeenkomst.aanmeldingen.open()
                .alias(email_lower=Lower("email"))
                .filter(email_lower__in=wanted)
            }
            if counts.get("al_aangemeld")
            else {}
        )
        self._find_quota_networks([persoon.pk for persoon in personen if persoon is not None])

    def _find_quota_networks(self, personen: list[int]) -> None:
        """Who may take a place of which running quotum: the arena deelnemers of the linked
        leerateliers (arena quotum), the confirmed members of a quotum's organisatie, and
        whoever its co-organisatoren register or invite. Read once, only when a quotum runs."""
        self.quota = [q for q in self.bijeenkomst.quota_met_gebruik if q.loopt(self.now)]
        organisaties = {q.organisatie_id for q in self.quota if q.organisatie_id is not None}
        self.arena = (
            set(
                Deelname.objects.actief()
                .filter(
                    persoon__in=personen,
                    rol=Deelname.Rol.ARENA,
                    leeratelier__bijeenkomsten=self.bijeenkomst,
                )
                .values_list("persoon_id", flat=True)
            )
            if personen and any(q.organisatie_id is None for q in self.quota)
            else set()
        )
        self.leden: dict[int, set[int]] = {}
        self.team: dict[int, int] = {}
        if not organisaties:
            return
        for persoon_id, organisatie_id in (
            Lidmaatschap.objects.bevestigd()
            .filter(persoon__in=personen, organisatie__in=organisaties)
            .values_list("persoon_id", "organisatie_id")
        ):
            self.leden.setdefault(persoon_id, set()).add(organisatie_id)
        self.team = dict(
            self.bijeenkomst.team.filter(
                rol=Teamlid.Rol.CO_ORGANISATOR, organisatie__in=organisaties
            ).values_list("persoon_id", "organisatie_id")
        )

    def quotum_for(self, aanmelding: Aanmelding):
        """The first running quotum with a free place that this newcomer belongs to."""
        for quotum in self.quota:
            if quotum.organisatie_id is None:
                belongs = aanmelding.persoon_id in self.arena
            else:
                belongs = quotum.organisatie_id in self.leden.get(
                    aanmelding.persoon_id, ()
                ) or quotum.organisatie_id in (
                    self.team.get(aanmelding.aangemeld_door_id),
                    self.team.get(getattr(aanmelding, "uitgenodigd_door_id", None)),
                )
            if belongs and self.bijeenkomst.quotum_vrij(quotum, self.now) > 0:
                return quotum
        return None

    def others_wait(self) -> bool:
        """A free place is theirs first while the wachtlijst is served. Once it is not (the
        bijeenkomst has begun), a free place goes to whoever registers, at the door say.
        Nor while the only ones waiting are "samen" groups passed over (`_fill_free_places`):
        the places they cannot use go to whoever comes after them."""
        if not (self.waiting > 0 and self.bijeenkomst.biedt_plaatsen_aan(self.now)):
            return False
        if self.queue_claims is None:
            self.queue_claims = _queue_claims_free_places(self.bijeenkomst, self.now)
        return self.queue_claims

    def take(self, aanmelding: Aanmelding) -> None:
        self.added.append(aanmelding)
        self.open_by_email[aanmelding.email] = aanmelding
        if aanmelding.status == Aanmelding.Status.WACHTLIJST:
            self.waiting += 1
            self.next_order += 1
            self.queue_claims = True
        elif aanmelding.status in Aanmelding.TAKEN_STATUSES and not aanmelding.boven_capaciteit:
            self.bijeenkomst.bezet += 1
            for quotum in self.quota:
                if quotum.pk == aanmelding.quotum_id:
                    quotum.gebruikt += 1

    def save(self, *, mail: bool = True) -> list[Aanmelding]:
        """Write the added registrations in one insert and queue their mails (unless
        `mail` is False: a walk-in at the door needs none), in the caller's transaction."""
        try:
            with transaction.atomic():
                Aanmelding.objects.bulk_create(self.added, batch_size=1000)
        except IntegrityError as error:
            # Only reachable when the row lock is bypassed; the database still says no.
            raise RegistrationError(_("Je bent al aangemeld voor deze bijeenkomst.")) from error
        save_answers(self.added)
        if not mail:
            return self.added
        _mail_confirmations(
            self.bijeenkomst,
            [a for a in self.added if a.status == Aanmelding.Status.BEVESTIGD],
            new_registrations=True,
        )
        _mail_waitlist_places(
            self.bijeenkomst,
            [a for a in self.added if a.status == Aanmelding.Status.WACHTLIJST],
            first_position=self.waiting_before + 1,
            new_registrations=True,
        )
        for aanmelding in self.added:
            if aanmelding.status == Aanmelding.Status.AANGEVRAAGD:
                _mail(aanmelding, "aangevraagd")
        return self.added


def _add_one(bijeenkomst: Bijeenkomst, *, now: datetime, **fields) -> Aanmelding:
    """Register one newcomer with a bijeenkomst the caller has locked, and mail them."""
    newcomers = _Newcomers(
        bijeenkomst, now=now, emails=[fields["email"]], personen=[fields.get("persoon")]
    )
    aanmelding = _add(newcomers, **fields)
    newcomers.save()
    return aanmelding


def _add(
    newcomers: _Newcomers,
    *,
    bron: str,
    email: str,
    naam: str,
    persoon: Persoon | None = None,
    aangemeld_door: Persoon | None = None,
    organisatie: str = "",
    functie: str = "",
    dieetwensen: str = "",
    toegankelijkheid: str = "",
    opmerkingen: str = "",
    boven_capaciteit_reden: str = "",
    taal: str = "",
    antwoorden: dict | None = None,
    groep: Groep | None = None,
    op_wachtlijst: bool = False,
    uitgenodigd_door: Persoon | None = None,
) -> Aanmelding:
    """Add one registration to the newcomers of a locked bijeenkomst: the one place where
    a newcomer's status is decided. Saved and mailed by `newcomers.save()`.

    `op_wachtlijst`: a member of a group who waits with it (groups.py decided so).
    `uitgenodigd_door`: who sent the invitation it came through; whom a co-organisator
    invites may take a place of their quotum, as whom they register."""
    bijeenkomst = newcomers.bijeenkomst
    now = newcomers.now
    email = normalize_email_address(email)
    naam = naam.strip()
    if not email or not naam:
        raise RegistrationError(_("Vul je naam en e-mailadres in."))
    existing = newcomers.open_by_email.get(email)
    if existing:
        raise RegistrationError(
            _("Je bent al aangemeld voor deze bijeenkomst."), aanmelding=existing
        )
    aanmelding = Aanmelding(
        bijeenkomst=bijeenkomst,
        persoon=persoon,
        aangemeld_door=aangemeld_door,
        naam=naam,
        email=email,
        organisatie=organisatie.strip(),
        functie=functie.strip(),
        dieetwensen=dieetwensen.strip(),
        toegankelijkheid=toegankelijkheid.strip(),
        opmerkingen=opmerkingen.strip(),
        taal=taal if taal in dict(settings.LANGUAGES) else "",
        aangemeld_op=now,
        bron=bron,
        groep=groep,
    )
    # Checked by the caller (`questions.clean_answers()`), saved with the row.
    aanmelding.nieuwe_antwoorden = antwoorden or {}
    aanmelding.uitgenodigd_door_id = uitgenodigd_door.pk if uitgenodigd_door else None
    # --- Registration with approval (issue 21, point 4; the decisions: approval.py) ---
    boven = bool(boven_capaciteit_reden.strip())
    if op_wachtlijst:
        _wait(newcomers, aanmelding)
    elif needs_approval(bijeenkomst, bron=bron, boven_capaciteit=boven):
        aanmelding.status = Aanmelding.Status.AANGEVRAAGD
    else:
        _place(newcomers, aanmelding, boven_capaciteit_reden=boven_capaciteit_reden)
    # --- end of approval ---
    try:
        # Fields only: the related rows are the caller's own, and every constraint is kept
        # by the code above under the lock and by the database itself; checking them here
        # again cost eight queries per registration, which an import of thousands feels.
        aanmelding.full_clean(
            exclude=["bijeenkomst", "persoon", "aangemeld_door", "groep"],
            validate_constraints=False,
        )
    except ValidationError as error:
        raise RegistrationError(" ".join(error.messages)) from error
    newcomers.take(aanmelding)
    return aanmelding


def _place(
    newcomers: _Newcomers, aanmelding: Aanmelding, *, boven_capaciteit_reden: str = ""
) -> None:
    """Give a newcomer (or an approved request, `approval.approve()`) of a locked
    bijeenkomst its status: a place of a quotum it belongs to, else a place of the common
    pool, else the end of the wachtlijst."""
    bijeenkomst = newcomers.bijeenkomst
    now = newcomers.now
    if boven_capaciteit_reden.strip():
        aanmelding.status = Aanmelding.Status.BEVESTIGD
        aanmelding.boven_capaciteit = True
        aanmelding.boven_capaciteit_reden = boven_capaciteit_reden.strip()
    elif (quotum := newcomers.quotum_for(aanmelding)) is not None:
        aanmelding.status = Aanmelding.Status.BEVESTIGD
        aanmelding.quotum = quotum
    elif bijeenkomst.open_plaatsen_vrij(now) != 0 and not newcomers.others_wait():
        aanmelding.status = Aanmelding.Status.BEVESTIGD
    else:
        _wait(newcomers, aanmelding)


def _wait(newcomers: _Newcomers, aanmelding: Aanmelding) -> None:
    """A newcomer at the end of the wachtlijst, or a refusal when it is closed."""
    if not newcomers.bijeenkomst.wachtlijst_open:
        raise RegistrationError(_("Deze bijeenkomst is vol en heeft geen wachtlijst."))
    aanmelding.status = Aanmelding.Status.WACHTLIJST
    aanmelding.wachtlijst_volgorde = newcomers.next_order


# Who asks for a place themselves: with approval on, they ask; a coördinator's registration
# (on behalf, import, invitation, at the door) is the team's own decision already.
APPROVAL_SOURCES = (Aanmelding.Bron.ZELF, Aanmelding.Bron.GAST)


def needs_approval(bijeenkomst: Bijeenkomst, *, bron: str, boven_capaciteit: bool) -> bool:
    return bijeenkomst.met_goedkeuring and bron in APPROVAL_SOURCES and not boven_capaciteit


def release_reserved_places(*, bijeenkomst_id: int, now: datetime | None = None) -> bool:
    """Open the unused places of every quotum whose date has passed to everyone and offer
    them to the wachtlijst; each quotum exactly once (True when this call released any)."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst_id)
        return _release_reserved_places_if_due(bijeenkomst, now)


def bijeenkomsten_with_reservations_due(*, now: datetime | None = None) -> list[int]:
    return list(
        Quotum.objects.te_vrijgeven(now)
        .order_by("bijeenkomst_id")
        .values_list("bijeenkomst_id", flat=True)
        .distinct()
    )


def _release_reserved_places_if_due(
    bijeenkomst: Bijeenkomst, now: datetime, *, quota: list[Quotum] | None = None
) -> bool:
    # Under the bijeenkomst lock: registrations, the periodic task and this never race, and
    # a quotum read here as not yet released is released by this call alone. `quota`: the
    # bijeenkomst's quota with their use, read by the caller under the lock.
    if quota is None:
        due = list(bijeenkomst.quota.te_vrijgeven(now).met_gebruik())
    else:
        due = [q for q in quota if q.aantal and q.vrijgegeven_op is None and q.tot <= now]
    if not due:
        return False
    for quotum in due:
        quotum.vrijgegeven_op = now
        quotum.save(update_fields=["vrijgegeven_op"])
        _record(
            bijeenkomst,
            door=None,
            soort=Handeling.Soort.RESERVERING_VRIJGEGEVEN,
            omschrijving=_("%(aantal)s plaatsen van %(houder)s voor iedereen open")
            % {"aantal": quotum.ongebruikt, "houder": quotum.houder},
        )
    _fill_free_places(bijeenkomst, now=now)
    return True


def cancel(*, aanmelding: Aanmelding, door: Persoon | None = None, reden: str = "") -> Aanmelding:
    """Cancel an open registration; a freed place goes to the next on the wachtlijst.

    With `door`, a coördinator did it (from the list or the wachtlijst), logged with `reden`.
    """
    with transaction.atomic():
        bijeenkomst = _lock(aanmelding.bijeenkomst_id)
        aanmelding = _reload(aanmelding, bijeenkomst)
        if not aanmelding.is_open:
            raise RegistrationError(_("Deze aanmelding is al beëindigd."))
        if bijeenkomst.eind <= timezone.now():
            raise RegistrationError(_("Deze bijeenkomst is al voorbij."))
        aanmelding.status = Aanmelding.Status.GEANNULEERD
        aanmelding.aanbod_tot = None
        aanmelding.save(update_fields=["status", "aanbod_tot", "gewijzigd_op"])
        _mail(aanmelding, "geannuleerd", {"door_coordinator": door is not None})
        if door is not None:
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.AANMELDING_GEANNULEERD,
                aanmelding=aanmelding,
                omschrijving=_("%(naam)s <%(email)s> geannuleerd")
                % {"naam": aanmelding.naam, "email": aanmelding.email},
                reden=reden.strip(),
            )
        sessions.release_choices(bijeenkomst, aanmelding, now=timezone.now())
        _fill_free_places(bijeenkomst)
        return aanmelding


def claim(*, aanmelding: Aanmelding, now: datetime | None = None) -> Aanmelding:
    """Accept an offered place before its deadline: the registration becomes bevestigd."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(aanmelding.bijeenkomst_id)
        aanmelding = _reload(aanmelding, bijeenkomst)
        if aanmelding.status != Aanmelding.Status.AANGEBODEN:
            raise RegistrationError(_("Er staat voor jou geen plek klaar om te claimen."))
        if not aanmelding.aanbod_loopt(now):
            raise RegistrationError(_("De termijn om deze plek te claimen is verlopen."))
        aanmelding.status = Aanmelding.Status.BEVESTIGD
        aanmelding.aanbod_tot = None
        aanmelding.save(update_fields=["status", "aanbod_tot", "gewijzigd_op"])
        _mail_confirmation(aanmelding)
        return aanmelding


def decline(*, aanmelding: Aanmelding) -> Aanmelding:
    """Turn an offered place down; it goes to the next on the wachtlijst."""
    with transaction.atomic():
        bijeenkomst = _lock(aanmelding.bijeenkomst_id)
        aanmelding = _reload(aanmelding, bijeenkomst)
        if aanmelding.status != Aanmelding.Status.AANGEBODEN:
            raise RegistrationError(_("Er staat voor jou geen plek klaar om af te wijzen."))
        aanmelding.status = Aanmelding.Status.GEANNULEERD
        aanmelding.aanbod_tot = None
        aanmelding.save(update_fields=["status", "aanbod_tot", "gewijzigd_op"])
        _mail(aanmelding, "geannuleerd", {"afgewezen": True})
        sessions.release_choices(bijeenkomst, aanmelding, now=timezone.now())
        _fill_free_places(bijeenkomst)
        return aanmelding


def expire_offers(*, bijeenkomst_id: int, now: datetime | None = None) -> int:
    """Offers past their deadline become verlopen and pass on; returns how many expired."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst_id)
        expired = list(
            bijeenkomst.aanmeldingen.filter(
                status=Aanmelding.Status.AANGEBODEN, aanbod_tot__lte=now
            ).order_by("wachtlijst_volgorde", "pk")
        )
        for aanmelding in expired:
            aanmelding.bijeenkomst = bijeenkomst
            aanmelding.status = Aanmelding.Status.VERLOPEN
            aanmelding.save(update_fields=["status", "gewijzigd_op"])
            _mail(aanmelding, "verlopen")
            sessions.release_choices(bijeenkomst, aanmelding, now=now)
        # A group's hold on free places that ran out passes them on as well (groups.py).
        holds_ran_out = bijeenkomst.groepen.filter(
            vasthouden_tot__lte=now, doorgelaten_op__isnull=True
        ).update(doorgelaten_op=now)
        if expired or holds_ran_out:
            _fill_free_places(bijeenkomst, now=now)
        return len(expired)


def bijeenkomsten_with_expired_offers(*, now: datetime | None = None) -> list[int]:
    """Those with offers past their deadline, or a group whose hold on places ran out."""
    now = now or timezone.now()
    offers = Aanmelding.objects.filter(status=Aanmelding.Status.AANGEBODEN, aanbod_tot__lte=now)
    holds = Groep.objects.filter(vasthouden_tot__lte=now, doorgelaten_op__isnull=True)
    return sorted(
        set(offers.values_list("bijeenkomst_id", flat=True))
        | set(holds.values_list("bijeenkomst_id", flat=True))
    )


def remind_offer(*, aanmelding_id: int, now: datetime | None = None) -> bool:
    """Send the one reminder of an open offer when its deadline is near; True when sent."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst_id = Aanmelding.objects.values_list("bijeenkomst_id", flat=True).get(
            pk=aanmelding_id
        )
        bijeenkomst = _lock(bijeenkomst_id)
        aanmelding = Aanmelding.objects.get(pk=aanmelding_id)
        aanmelding.bijeenkomst = bijeenkomst
        if (
            aanmelding.status != Aanmelding.Status.AANGEBODEN
            or aanmelding.herinnerd_op is not None
            or not now < aanmelding.aanbod_tot <= now + REMINDER_BEFORE_DEADLINE
            or aanmelding.doorgeschoven_op >= aanmelding.aanbod_tot - REMINDER_BEFORE_DEADLINE
        ):
            return False
        aanmelding.herinnerd_op = now
        aanmelding.save(update_fields=["herinnerd_op", "gewijzigd_op"])
        _mail(aanmelding, "herinnering")
        return True


def offers_due_for_reminder(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Aanmelding.objects.filter(
            status=Aanmelding.Status.AANGEBODEN,
            herinnerd_op__isnull=True,
            aanbod_tot__gt=now,
            aanbod_tot__lte=now + REMINDER_BEFORE_DEADLINE,
            # An offer that was short from the start needs no reminder on top of itself.
            doorgeschoven_op__lt=F("aanbod_tot") - REMINDER_BEFORE_DEADLINE,
        ).values_list("pk", flat=True)
    )


def _fill_free_places(bijeenkomst: Bijeenkomst, *, now: datetime | None = None) -> None:
    """Offer (or in direct mode: give) free places to the first ones waiting, in order.

    Call only with the bijeenkomst locked. A cancelled or past bijeenkomst offers nothing.
    The one place where the rule of groups on the wachtlijst is applied (its statement:
    the docstring of groups.py): a "samen" group is offered places only all at once.
    """
    now = now or timezone.now()
    if not bijeenkomst.biedt_plaatsen_aan(now):
        return
    free = bijeenkomst.open_plaatsen_vrij(now)
    if free == 0:
        return
    waiting = bijeenkomst.aanmeldingen.wachtend().select_related("groep")
    first = list(waiting if free is None else waiting[:free])
    if any(_waits_together(aanmelding) for aanmelding in first):
        first = _served_in_queue_order(bijeenkomst, list(waiting), free=free, now=now)
    for aanmelding in first:
        _offer(bijeenkomst, aanmelding, now=now)


# --- Groups on the wachtlijst (issue 23, point 2; the rule: groups.py's docstring) ---


def _waits_together(aanmelding: Aanmelding) -> bool:
    return aanmelding.groep_id is not None and aanmelding.groep.is_samen


def _served_in_queue_order(
    bijeenkomst: Bijeenkomst, waiting: list[Aanmelding], *, free: int | None, now: datetime
) -> list[Aanmelding]:
    """Who of those `waiting` (in queue order) get the `free` places: each single one in
    turn, a "samen" group only when all its waiting members fit (the deelsessies they
    chose too). A group at the head that does not fit holds the places until its
    `vasthouden_tot` (started now, the first time); after that it is passed over and keeps
    its position."""
    units: list[tuple[Groep | None, list[Aanmelding]]] = []
    members_of: dict[int, list[Aanmelding]] = {}
    for aanmelding in waiting:
        if not _waits_together(aanmelding):
            units.append((None, [aanmelding]))
        elif aanmelding.groep_id in members_of:
            members_of[aanmelding.groep_id].append(aanmelding)
        else:
            members_of[aanmelding.groep_id] = [aanmelding]
            units.append((aanmelding.groep, members_of[aanmelding.groep_id]))
    served: list[Aanmelding] = []
    for groep, members in units:
        if free == 0:
            break
        fits = free is None or len(members) <= free
        if groep is None or (fits and _sessions_fit(bijeenkomst, members)):
            served += members
            free = None if free is None else free - len(members)
        elif groep.vasthouden_tot is None:
            groep.vasthouden_tot = min(
                now + timedelta(hours=bijeenkomst.bedenktijd_uren), bijeenkomst.start
            )
            groep.save(update_fields=["vasthouden_tot"])
            break
        elif now < groep.vasthouden_tot:
            break
    return served


def _sessions_fit(bijeenkomst: Bijeenkomst, members: list[Aanmelding]) -> bool:
    """Whether the deelsessies a waiting group chose have a free place for each of them."""
    chosen = Counter(
        SessieKeuze.objects.filter(
            aanmelding__in=members, status=SessieKeuze.Status.GEKOZEN
        ).values_list("deelsessie_id", flat=True)
    )
    if not chosen:
        return True
    locked = sessions._lock_sessions(bijeenkomst, chosen)
    return all(
        locked[pk].plaatsen_vrij is None or locked[pk].plaatsen_vrij >= number
        for pk, number in chosen.items()
    )


def _queue_claims_free_places(bijeenkomst: Bijeenkomst, now: datetime) -> bool:
    """Whether someone waiting may still claim a free place: anyone but the members of
    "samen" groups whose hold ran out (the places they cannot use go on)."""
    return (
        bijeenkomst.aanmeldingen.wachtend()
        .filter(
            Q(groep__isnull=True)
            | ~Q(groep__keuze=Groep.Keuze.SAMEN)
            | Q(groep__vasthouden_tot__isnull=True)
            | Q(groep__vasthouden_tot__gt=now)
        )
        .exists()
    )


# --- end of groups on the wachtlijst ---


def _offer(bijeenkomst: Bijeenkomst, aanmelding: Aanmelding, *, now: datetime) -> None:
    """Offer one waiting person a place (in direct mode: give it); the bijeenkomst is locked."""
    aanmelding.bijeenkomst = bijeenkomst
    aanmelding.doorgeschoven_op = now
    deadline = _offer_deadline(bijeenkomst, now)
    if deadline is None:
        aanmelding.status = Aanmelding.Status.BEVESTIGD
        aanmelding.save(update_fields=["status", "doorgeschoven_op", "gewijzigd_op"])
        _mail_confirmation(aanmelding)
    else:
        aanmelding.status = Aanmelding.Status.AANGEBODEN
        aanmelding.aanbod_tot = deadline
        aanmelding.save(update_fields=["status", "doorgeschoven_op", "aanbod_tot", "gewijzigd_op"])
        _mail(aanmelding, "aangeboden")
    # Deelsessies: the place just given or offered takes the session places chosen.
    sessions.activate_choices(bijeenkomst, aanmelding, now=now)


QR_CONTENT_ID = "toegang@werkplaats"


def _mail_confirmation(aanmelding: Aanmelding) -> None:
    _mail_confirmations(aanmelding.bijeenkomst, [aanmelding])


def _mail_confirmations(
    bijeenkomst: Bijeenkomst,
    aanmeldingen: Sequence[Aanmelding],
    *,
    new_registrations: bool = False,
) -> None:
    """The confirmation with the calendar invitation and the personal link as a QR code,
    shown at the door (it opens the aanmelding page, where a coördinator checks in).
    `new_registrations`: inserted by this transaction, so none has a mail queued yet.

    Rendered once for all of them and personalised, with the QR code drawn when the mail
    is delivered: an import queues thousands of these inside its locked transaction.
    """
    if not aanmeldingen:
        return
    parts = _render_once(
        "bijeenkomsten/mail/bevestiging",
        {
            "aanmelding": _stand_in(bijeenkomst),
            "bijeenkomst": bijeenkomst,
            "aanmelding_url": reverse("bijeenkomsten:aanmelding", args=[TOKEN_PLACEHOLDER]),
            "qr_cid": QR_CONTENT_ID,
        },
    )
    invitations = invitations_for(bijeenkomst, aanmeldingen)
    languages = RecipientLanguages(aanmelding.email for aanmelding in aanmeldingen)
    _issue_links(aanmeldingen)
    queue_rendered_mails(
        mails=[
            {
                "key": f"aanmelding:{aanmelding.pk}:bevestigd",
                "to": aanmelding.email,
                **_personalise(
                    parts[_language_of(aanmelding, languages)],
                    token=aanmelding.token,
                    naam=aanmelding.naam,
                ),
                "attachments": [
                    ("bijeenkomst.ics", invitation, "text/calendar"),
                    (
                        "toegang.png",
                        QRCode(settings.SITE_URL + aanmelding.get_absolute_url()),
                        "image/png",
                        QR_CONTENT_ID,
                    ),
                ],
            }
            for aanmelding, invitation in zip(aanmeldingen, invitations, strict=True)
        ],
        new_keys=new_registrations,
    )


def _mail_waitlist_places(
    bijeenkomst: Bijeenkomst,
    aanmeldingen: Sequence[Aanmelding],
    *,
    first_position: int,
    new_registrations: bool = False,
) -> None:
    """Tell newcomers on the wachtlijst their place on it; they are its last ones, in
    order, so the first of them is at `first_position`. `new_registrations` as for
    `_mail_confirmations()`."""
    if not aanmeldingen:
        return
    _issue_links(aanmeldingen)
    parts = _render_once(
        "bijeenkomsten/mail/wachtlijst",
        {
            "aanmelding": _stand_in(bijeenkomst),
            "bijeenkomst": bijeenkomst,
            "aanmelding_url": reverse("bijeenkomsten:aanmelding", args=[TOKEN_PLACEHOLDER]),
            "positie": POSITIE_PLACEHOLDER,
        },
    )
    languages = RecipientLanguages(aanmelding.email for aanmelding in aanmeldingen)
    queue_rendered_mails(
        mails=[
            {
                "key": f"aanmelding:{aanmelding.pk}:wachtlijst",
                "to": aanmelding.email,
                **_personalise(
                    parts[_language_of(aanmelding, languages)],
                    token=aanmelding.token,
                    naam=aanmelding.naam,
                    positie=first_position + number,
                ),
            }
            for number, aanmelding in enumerate(aanmeldingen)
        ],
        new_keys=new_registrations,
    )


def _stand_in(bijeenkomst: Bijeenkomst) -> Aanmelding:
    """An unsaved registration with placeholders, for a mail rendered once for many."""
    stand_in = Aanmelding(bijeenkomst=bijeenkomst, naam=NAAM_PLACEHOLDER)
    stand_in.token = TOKEN_PLACEHOLDER
    return stand_in
