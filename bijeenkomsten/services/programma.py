"""Keeping a bijeenkomst's programme: its items, their sprekers, the deelsessies' places,
and the materials (slides, links) the team attaches to an item for afterwards.

Who may is `permissions.can_edit_programme` (the views ask it). A deelsessie's capacity
changes under the same locks as its places (sessions.py: the bijeenkomst, then the
deelsessies by pk), and places it frees go to its wachtlijst at once.
"""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import Bijeenkomst, Materiaal, ProgrammaOnderdeel, SessieKeuze, Spreker
from bijeenkomsten.services import sessions
from bijeenkomsten.services._common import RegistrationError, _lock
from netwerk.models import Persoon
from themas.rendering import render_markdown
from werkplaats import cache
from werkplaats.locking import lock_one


def save_onderdeel(
    *,
    bijeenkomst: Bijeenkomst,
    soort: str,
    titel: str,
    start: datetime,
    eind: datetime,
    zaal: str = "",
    beschrijving: str = "",
    ronde: ProgrammaOnderdeel | None = None,
    capaciteit: int | None = None,
    wachtlijst_open: bool = True,
    sprekers: Sequence[tuple[Persoon | None, str, str]] = (),
    onderdeel: ProgrammaOnderdeel | None = None,
) -> ProgrammaOnderdeel:
    """Add a programme item (or change `onderdeel`, but not its capacity: that is
    `change_session_capacity`), with its sprekers as (persoon or None, naam, bio). The
    description is Markdown, rendered by the project's bounded renderer before the
    transaction; a refusal raises RegistrationError and changes nothing."""
    beschrijving_html = render_markdown(beschrijving) if beschrijving.strip() else ""
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        # The programme is on the bijeenkomst's page (the lock marks only its places).
        cache.bump("bijeenkomsten")
        if onderdeel is None:
            onderdeel = ProgrammaOnderdeel(bijeenkomst=bijeenkomst, capaciteit=capaciteit)
        elif onderdeel.bijeenkomst_id != bijeenkomst.pk:
            raise RegistrationError(_("Dit onderdeel hoort niet bij deze bijeenkomst."))
        else:
            _check_regrouping(onderdeel, soort=soort, ronde=ronde)
        onderdeel.soort = soort
        onderdeel.titel = titel.strip()
        onderdeel.start, onderdeel.eind = start, eind
        onderdeel.zaal = zaal.strip()
        onderdeel.beschrijving, onderdeel.beschrijving_html = beschrijving, beschrijving_html
        onderdeel.ronde = ronde
        onderdeel.wachtlijst_open = wachtlijst_open
        try:
            onderdeel.full_clean()
        except ValidationError as error:
            raise RegistrationError(" ".join(error.messages)) from error
        onderdeel.save()
        onderdeel.sprekers.all().delete()
        rows = [
            Spreker(
                onderdeel=onderdeel, persoon=persoon, naam=naam.strip(), bio=bio.strip(), volgorde=n
            )
            for n, (persoon, naam, bio) in enumerate(sprekers)
        ]
        for row in rows:
            if row.persoon is None and not row.naam:
                raise RegistrationError(_("Kies een persoon of geef een naam."))
            try:
                row.full_clean(exclude=["onderdeel", "persoon"])
            except ValidationError as error:
                raise RegistrationError(" ".join(error.messages)) from error
        Spreker.objects.bulk_create(rows)
        return onderdeel


def change_session_capacity(
    *, deelsessie: ProgrammaOnderdeel, capaciteit: int | None, now: datetime | None = None
) -> ProgrammaOnderdeel:
    """Set a deelsessie's capacity (None: unlimited); places it frees are offered to its
    wachtlijst in order. Lowering it never takes anyone's place away."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(deelsessie.bijeenkomst_id)
        locked = sessions._lock_sessions(bijeenkomst, [deelsessie.pk])
        sessie = locked[deelsessie.pk]
        sessie.capaciteit = capaciteit
        try:
            sessie.full_clean()
        except ValidationError as error:
            raise RegistrationError(" ".join(error.messages)) from error
        sessie.save(update_fields=["capaciteit"])
        sessions._fill_session(bijeenkomst, sessie, now=now)
        return sessie


def _holds_choices(onderdelen) -> bool:
    """Whether any registration still has a choice (a place, a wait, an offer) in one of
    the deelsessies `onderdelen` or in the deelsessies of the rondes among them."""
    return SessieKeuze.objects.filter(
        Q(deelsessie__in=onderdelen) | Q(ronde__in=onderdelen),
        status__in=SessieKeuze.OPEN_STATUSES,
    ).exists()


def _check_regrouping(onderdeel: ProgrammaOnderdeel, *, soort: str, ronde) -> None:
    """A deelsessie with choices keeps its ronde and its soort (a choice is held per ronde),
    and a ronde with deelsessies stays a ronde. Read under the bijeenkomst lock, which every
    change to the choices takes first."""
    current = ProgrammaOnderdeel.objects.get(pk=onderdeel.pk)
    ronde_id = ronde.pk if ronde is not None else None
    was_ronde = current.soort == ProgrammaOnderdeel.Soort.RONDE
    if was_ronde and soort != current.soort and current.deelsessies.exists():
        raise RegistrationError(
            _("Deze ronde heeft deelsessies: verwijder of verplaats die eerst.")
        )
    if (soort != current.soort or ronde_id != current.ronde_id) and _holds_choices([current]):
        raise RegistrationError(
            _(
                "Deelnemers hebben deze deelsessie gekozen: de soort en de ronde blijven "
                "zoals ze zijn."
            )
        )


def delete_onderdeel(*, onderdeel: ProgrammaOnderdeel) -> ProgrammaOnderdeel:
    """Remove a programme item with its sprekers (a ronde with its deelsessies), in one
    transaction under the bijeenkomst lock. Refused while a registration still has a
    choice there (a place, a wait or an offer): those places are not taken away silently;
    the team changes or cancels those choices first. Closed choices (cancelled, expired)
    go with the item."""
    with transaction.atomic():
        bijeenkomst = _lock(onderdeel.bijeenkomst_id)
        # The programme is on the bijeenkomst's page (the lock marks only its places).
        cache.bump("bijeenkomsten")
        try:
            onderdeel = ProgrammaOnderdeel.objects.get(pk=onderdeel.pk, bijeenkomst=bijeenkomst)
        except ProgrammaOnderdeel.DoesNotExist as error:
            raise RegistrationError(_("Dit onderdeel bestaat niet meer.")) from error
        if _holds_choices([onderdeel]):
            if onderdeel.soort == ProgrammaOnderdeel.Soort.RONDE:
                message = _(
                    "Deze ronde kan niet weg: deelnemers hebben er een deelsessie in gekozen. "
                    "Laat hen eerst een andere keuze maken of annuleer hun keuze."
                )
            else:
                message = _(
                    "Deze deelsessie kan niet weg: deelnemers hebben er een plek, staan op de "
                    "wachtlijst of hebben een aanbod. Laat hen eerst een andere keuze maken of "
                    "annuleer hun keuze."
                )
            raise RegistrationError(message)
        _delete_files_on_commit(
            Materiaal.objects.filter(Q(onderdeel=onderdeel) | Q(onderdeel__ronde=onderdeel))
        )
        onderdeel.delete()
        return onderdeel


def _delete_files_on_commit(materialen) -> None:
    """The stored files of `materialen` go once the rows are gone for good."""
    names = list(materialen.exclude(bestand="").values_list("bestand", flat=True))
    if names:
        storage = Materiaal._meta.get_field("bestand").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def add_materiaal(
    *,
    onderdeel: ProgrammaOnderdeel,
    door: Persoon,
    titel: str,
    link: str = "",
    bestand=None,
    bestand_type: str = "",
    direct_tonen: bool = False,
) -> Materiaal:
    """Attach slides (`bestand`, already checked by werkplaats.bestanden, its type in
    `bestand_type`) or a `link` to a programme item; exactly one of the two. Under the
    bijeenkomst's lock, so the item cannot be removed meanwhile; a refusal raises
    RegistrationError and stores nothing."""
    with transaction.atomic():
        lock_one(Bijeenkomst.objects, pk=onderdeel.bijeenkomst_id)
        if not ProgrammaOnderdeel.objects.filter(pk=onderdeel.pk).exists():
            raise RegistrationError(_("Dit onderdeel bestaat niet meer."))
        materiaal = Materiaal(
            onderdeel=onderdeel,
            titel=titel.strip(),
            link=link.strip(),
            bestand_type=bestand_type if bestand else "",
            direct_tonen=direct_tonen,
            toegevoegd_door=door,
        )
        if bool(materiaal.link) == bool(bestand):
            raise RegistrationError(_("Geef een link of een bestand, niet allebei."))
        try:
            materiaal.full_clean(exclude=["bestand", "onderdeel", "toegevoegd_door"])
        except ValidationError as error:
            raise RegistrationError(" ".join(error.messages)) from error
        if bestand:
            materiaal.bestand = bestand
        materiaal.save()
        # The materials are on the bijeenkomst's page (nobody's place changes).
        cache.bump("bijeenkomsten")
        return materiaal


def delete_materiaal(*, materiaal: Materiaal) -> Materiaal:
    """Remove a material; its file goes from the storage once that has committed."""
    with transaction.atomic():
        lock_one(Bijeenkomst.objects, pk=materiaal.onderdeel.bijeenkomst_id)
        try:
            materiaal = Materiaal.objects.get(pk=materiaal.pk)
        except Materiaal.DoesNotExist as error:
            raise RegistrationError(_("Dit materiaal bestaat niet meer.")) from error
        _delete_files_on_commit(Materiaal.objects.filter(pk=materiaal.pk))
        materiaal.delete()
        cache.bump("bijeenkomsten")
        return materiaal
