"""Updates: write, schedule, publish, withdraw; following and the mails that follow from it;
editing a thema page with its invalshoeken and contact people.

Publishing is idempotent: the row is locked and a published update is left alone, and
every mail about an update to a person is recorded in UpdateBezorging (unique per pair)
in the same transaction as its outbox row, so no person hears about an update twice.
"""

import posixpath
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from leerateliers.models import Deelname, Leeratelier, Voorwaarde
from netwerk.models import Persoon
from netwerk.outbox import queue_mail
from themas.models import (
    Contactpersoon,
    Invalshoek,
    Thema,
    ThemaWijziging,
    Update,
    UpdateBezorging,
    Volging,
    VoorlopigeAfbeelding,
)
from themas.rendering import render_markdown
from werkplaats import cache, history
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one
from werkplaats.slugs import save_with_unique_slug
from werkplaats.tokens import hash_token, new_token

# How far back a weekly digest looks: a new follower is not sent old news.
DIGEST_WINDOW = timedelta(days=14)
# Deelnemers follow their leeratelier without asking, in a weekly digest, until they choose.
DEFAULT_DEELNEMER_FREQUENTIE = Volging.Frequentie.WEKELIJKS
# An image chosen before a preview waits this long for the form to be saved.
PREVIEW_IMAGE_MAX_AGE = timedelta(days=1)
PREVIEW_IMAGE_FOLDER = "voorlopig"


class UpdateError(RuleViolation):
    """A state change of an update or a follow that the rules do not allow."""


def save_update(
    *,
    auteur: Persoon,
    titel: str,
    samenvatting: str,
    tekst: str,
    update: Update | None = None,
    thema: Thema | None = None,
    leeratelier: Leeratelier | None = None,
    vermelde_leerateliers: list[Leeratelier] | tuple = (),
    voorwaarden: list[Voorwaarde] | tuple = (),
    afbeelding=None,
    afbeelding_alt: str = "",
    voorlopige_afbeelding: str = "",
) -> Update:
    """Create a draft (no `update`) or change an existing update; renders the Markdown.

    `voorlopige_afbeelding` is the token of an image the auteur chose before a preview
    (`keep_preview_image`); without a new `afbeelding` the update takes that one."""
    with transaction.atomic():
        voorlopig = None
        if afbeelding is None and voorlopige_afbeelding:
            voorlopig = _preview_image(persoon=auteur, token=voorlopige_afbeelding)
            if voorlopig is None:
                raise UpdateError(
                    _(
                        "De afbeelding uit het voorbeeld is niet meer beschikbaar. Kies de "
                        "afbeelding opnieuw."
                    )
                )
            afbeelding = File(
                voorlopig.afbeelding.open("rb"), name=posixpath.basename(voorlopig.afbeelding.name)
            )
        if update is None:
            update = Update(auteur=auteur, thema=thema, leeratelier=leeratelier)
        else:
            update = Update.objects.select_for_update().get(pk=update.pk)
        update.titel = titel
        update.samenvatting = samenvatting
        update.tekst = tekst
        update.tekst_html = render_markdown(tekst)
        if afbeelding is not None:
            update.afbeelding = afbeelding
        update.afbeelding_alt = afbeelding_alt if update.afbeelding else ""
        if update.pk is None:
            update.full_clean(exclude=["slug"])
            save_with_unique_slug(update, text=titel, fallback="update")
        else:
            update.full_clean()
            update.save()
        update.vermelde_leerateliers.set(vermelde_leerateliers)
        update.voorwaarden.set(voorwaarden)
        if voorlopig is not None:
            afbeelding.close()
            _delete_preview_images([voorlopig])
        cache.bump("themas")
    return update


def keep_preview_image(*, persoon: Persoon, afbeelding, now: datetime | None = None) -> str:
    """Keep an image chosen in the update form while its preview is shown; returns the token
    the form carries to the next submit. Gone after PREVIEW_IMAGE_MAX_AGE."""
    token = new_token()
    VoorlopigeAfbeelding.objects.create(
        token_hash=hash_token(token),
        persoon=persoon,
        afbeelding=afbeelding,
        aangemaakt_op=now or timezone.now(),
    )
    return token


def _preview_image(*, persoon: Persoon, token: str, now: datetime | None = None):
    return VoorlopigeAfbeelding.objects.filter(
        token_hash=hash_token(token),
        persoon=persoon,
        aangemaakt_op__gt=(now or timezone.now()) - PREVIEW_IMAGE_MAX_AGE,
    ).first()


def preview_image(*, persoon: Persoon, token: str) -> VoorlopigeAfbeelding | None:
    """The image a person kept for a preview under this token; None for anyone else's, an
    unknown or an expired one."""
    return _preview_image(persoon=persoon, token=token) if token else None


def _delete_preview_images(rows) -> None:
    """The rows now, their files once the transaction committed."""
    rows = list(rows)
    names = [(row.afbeelding.storage, row.afbeelding.name) for row in rows]
    VoorlopigeAfbeelding.objects.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def delete_stale_preview_images(*, now: datetime | None = None) -> int:
    """Periodic: images chosen before a preview whose form was never saved, with their
    files, once PREVIEW_IMAGE_MAX_AGE passed; also files left without their row (a deleted
    account takes its rows along). Returns how many rows were deleted."""
    cutoff = (now or timezone.now()) - PREVIEW_IMAGE_MAX_AGE
    with transaction.atomic():
        stale = list(VoorlopigeAfbeelding.objects.filter(aangemaakt_op__lte=cutoff))
        _delete_preview_images(stale)
    field = VoorlopigeAfbeelding._meta.get_field("afbeelding")
    kept = set(VoorlopigeAfbeelding.objects.values_list("afbeelding", flat=True))
    for name in _files_under(field.storage, PREVIEW_IMAGE_FOLDER):
        if name not in kept and field.storage.get_modified_time(name) <= cutoff:
            field.storage.delete(name)
    return len(stale)


def _files_under(storage, folder: str) -> list[str]:
    if not storage.exists(folder):
        return []
    folders, files = storage.listdir(folder)
    names = [posixpath.join(folder, name) for name in files]
    for sub in folders:
        names += _files_under(storage, posixpath.join(folder, sub))
    return names


def write_update(*, actie: str, publiceren_op: datetime | None = None, **fields) -> Update:
    """What the update form does, in one transaction: save the draft (`save_update`), then
    plan it (`actie="inplannen"`) or publish it (`actie="publiceren"`). A refusal of the
    plan or the publication saves nothing."""
    with transaction.atomic():
        update = save_update(**fields)
        if actie == "inplannen":
            update = schedule_update(update=update, publiceren_op=publiceren_op)
        elif actie == "publiceren":
            update = publish_update(update_id=update.pk)
    return update


def schedule_update(*, update: Update, publiceren_op: datetime) -> Update:
    """Plan publication; the periodic task publishes it when the time has come."""
    with transaction.atomic():
        update = Update.objects.select_for_update().get(pk=update.pk)
        if update.status == Update.Status.GEPUBLICEERD:
            raise UpdateError(_("Deze update is al gepubliceerd; trek hem eerst in."))
        update.status = Update.Status.INGEPLAND
        update.publiceren_op = publiceren_op
        update.save(update_fields=["status", "publiceren_op", "gewijzigd_op"])
        cache.bump("themas")
    return update


def publish_update(*, update_id: int, now: datetime | None = None) -> Update:
    """Publish now and mail the followers who want a mail per update. Running it twice
    changes nothing the second time."""
    now = now or timezone.now()
    with transaction.atomic():
        update = Update.objects.select_for_update().get(pk=update_id)
        if update.status == Update.Status.GEPUBLICEERD:
            return update
        update.status = Update.Status.GEPUBLICEERD
        update.gepubliceerd_op = now
        update.publiceren_op = update.publiceren_op or now
        update.save(update_fields=["status", "gepubliceerd_op", "publiceren_op", "gewijzigd_op"])
        cache.bump("themas")
        _mail_per_update_followers(update)
    return update


def withdraw_update(*, update: Update) -> Update:
    """Take an update offline (or cancel its schedule); it stays for its writers."""
    with transaction.atomic():
        update = Update.objects.select_for_update().get(pk=update.pk)
        update.status = Update.Status.INGETROKKEN
        update.save(update_fields=["status", "gewijzigd_op"])
        cache.bump("themas")
    return update


def publish_due_updates(*, now: datetime | None = None) -> int:
    """Publish every scheduled update whose time has come; returns how many."""
    now = now or timezone.now()
    due = Update.objects.filter(status=Update.Status.INGEPLAND, publiceren_op__lte=now)
    update_ids = list(due.values_list("pk", flat=True))
    for update_id in update_ids:
        publish_update(update_id=update_id, now=now)
    return len(update_ids)


def follow(
    *, persoon: Persoon, frequentie: str, thema: Thema | None = None, leeratelier=None
) -> Volging:
    """Follow a thema or leeratelier, or change how its updates are mailed."""
    if frequentie not in Volging.Frequentie.values:
        raise UpdateError(_("Kies hoe je updates wilt ontvangen."))
    target = {"thema": thema} if thema is not None else {"leeratelier": leeratelier}
    with transaction.atomic():
        volging, _created = Volging.objects.select_for_update().get_or_create(
            persoon=persoon, **target, defaults={"frequentie": frequentie}
        )
        if volging.frequentie != frequentie:
            volging.frequentie = frequentie
            volging.save(update_fields=["frequentie"])
    return volging


def _followers(update: Update, frequentie: str) -> list[Persoon]:
    """People who want updates of this thema or leeratelier with the given frequentie."""
    if update.thema_id:
        explicit = Q(volgingen__thema_id=update.thema_id, volgingen__frequentie=frequentie)
        return list(Persoon.objects.filter(explicit, is_active=True).distinct())
    explicit = Q(volgingen__leeratelier_id=update.leeratelier_id, volgingen__frequentie=frequentie)
    followers = Persoon.objects.filter(explicit, is_active=True)
    if frequentie == DEFAULT_DEELNEMER_FREQUENTIE:
        followers = followers | _silent_deelnemers(update.leeratelier_id)
    return list(followers.distinct())


def _silent_deelnemers(leeratelier_id: int):
    """Active deelnemers of the atelier who made no explicit choice about its updates."""
    return Persoon.objects.filter(
        is_active=True,
        deelnames__leeratelier_id=leeratelier_id,
        deelnames__status=Deelname.Status.ACTIEF,
    ).exclude(volgingen__leeratelier_id=leeratelier_id)


def _mail_per_update_followers(update: Update) -> None:
    already = set(
        UpdateBezorging.objects.filter(update=update).values_list("persoon_id", flat=True)
    )
    recipients = [
        persoon
        for persoon in _followers(update, Volging.Frequentie.PER_UPDATE)
        if persoon.pk not in already
    ]
    UpdateBezorging.objects.bulk_create(
        UpdateBezorging(update=update, persoon=persoon, via=UpdateBezorging.Via.PER_UPDATE)
        for persoon in recipients
    )
    for persoon in recipients:
        queue_mail(
            key=f"update:{update.pk}:persoon:{persoon.pk}",
            to=persoon.email,
            template="themas/mail/update",
            language=persoon.taal,
            context={"update": update, "persoon": persoon, "onderwerp": update.onderwerp},
        )


def send_weekly_digests(*, now: datetime | None = None) -> int:
    """Mail each weekly follower the updates they have not had yet; returns mails queued.

    A person without news gets nothing; an update already mailed to them is never in a
    digest again.
    """
    now = now or timezone.now()
    sent = 0
    for persoon_id in _digest_readers():
        with transaction.atomic():
            persoon = Persoon.objects.select_for_update().get(pk=persoon_id)
            updates = list(_undelivered_digest_updates(persoon, now=now))
            if not updates:
                continue
            UpdateBezorging.objects.bulk_create(
                UpdateBezorging(update=update, persoon=persoon, via=UpdateBezorging.Via.OVERZICHT)
                for update in updates
            )
            year, week, _ = now.isocalendar()
            queue_mail(
                key=f"overzicht:{persoon.pk}:{year}-{week:02d}",
                to=persoon.email,
                template="themas/mail/overzicht",
                language=persoon.taal,
                context={"persoon": persoon, "updates": updates},
            )
            sent += 1
    return sent


def _digest_readers() -> list[int]:
    weekly = Persoon.objects.filter(
        is_active=True, volgingen__frequentie=Volging.Frequentie.WEKELIJKS
    )
    deelnemers = Persoon.objects.filter(is_active=True, deelnames__status=Deelname.Status.ACTIEF)
    return sorted(
        set(weekly.values_list("pk", flat=True)) | set(deelnemers.values_list("pk", flat=True))
    )


def _undelivered_digest_updates(persoon: Persoon, *, now: datetime):
    volgingen = list(persoon.volgingen.filter(frequentie=Volging.Frequentie.WEKELIJKS))
    chosen_ateliers = set(
        persoon.volgingen.filter(leeratelier__isnull=False).values_list("leeratelier_id", flat=True)
    )
    deelnemer_ateliers = set(
        Deelname.objects.filter(persoon=persoon, status=Deelname.Status.ACTIEF).values_list(
            "leeratelier_id", flat=True
        )
    )
    themas = {volging.thema_id for volging in volgingen if volging.thema_id}
    ateliers = {volging.leeratelier_id for volging in volgingen if volging.leeratelier_id}
    ateliers |= deelnemer_ateliers - chosen_ateliers
    if not themas and not ateliers:
        return Update.objects.none()
    return (
        Update.objects.gepubliceerd()
        .filter(Q(thema_id__in=themas) | Q(leeratelier_id__in=ateliers))
        .filter(gepubliceerd_op__gt=now - DIGEST_WINDOW, gepubliceerd_op__lte=now)
        .exclude(bezorgingen__persoon=persoon)
        .select_related("thema", "leeratelier")
        .order_by("gepubliceerd_op")
    )


def forget_persoon(*, persoon: Persoon) -> None:
    """A person deletes their account (privacy, in the caller's transaction): they follow
    nothing any more, the record of updates mailed to them goes, and they are no longer
    thematrekker. The updates they wrote stay, under their anonymised name ("voormalig
    lid"): what was published for the werkplaats remains part of it."""
    with transaction.atomic():
        Volging.objects.filter(persoon=persoon).delete()
        UpdateBezorging.objects.filter(persoon=persoon).delete()
        persoon.getrokken_themas.clear()
        Contactpersoon.objects.filter(persoon=persoon).delete()
        cache.bump("themas")


THEMA_FIELDS = ["ondertitel", "inleiding", "wat_gaan_we_doen"]
INVALSHOEK_FIELDS = ["titel", "tekst"]
CONTACTPERSOON_FIELDS = ["persoon", "naam", "rol", "email", "onderwerp", "toestemming"]


class ThemaPaginaError(RuleViolation):
    """An edit of a thema page that the rules refuse."""


@dataclass(frozen=True)
class InvalshoekInvoer:
    """One invalshoek as the edit form sends it; `pk` None for a new one."""

    titel: str
    tekst: str
    pk: int | None = None
    verwijderen: bool = False


@dataclass(frozen=True)
class ContactInvoer:
    """One contact person as the edit form sends it: a person of the portal or a free name."""

    persoon: Persoon | None = None
    naam: str = ""
    rol: str = ""
    email: str = ""
    onderwerp: str = ""
    toestemming: bool = False
    pk: int | None = None
    verwijderen: bool = False


def edit_thema(
    *,
    thema: Thema,
    door: Persoon,
    ondertitel: str,
    inleiding: str,
    wat_gaan_we_doen: str,
    invalshoeken: list[InvalshoekInvoer] | tuple = (),
    contactpersonen: list[ContactInvoer] | tuple = (),
    now: datetime | None = None,
) -> Thema:
    """Change a thema page in one transaction: its texts, its invalshoeken and its contact
    people in the order given (removed ones marked `verwijderen`), with a line in its history.

    The Markdown is rendered before the row is locked. Consent to show a contact is recorded
    with who stated it and when; changing whom a contact names asks for it again (the same
    thematrekker states it by leaving it ticked).
    """
    now = now or timezone.now()
    inleiding_html = render_markdown(inleiding)
    teksten_html = {
        invoer.tekst: render_markdown(invoer.tekst)
        for invoer in invalshoeken
        if not invoer.verwijderen
    }
    with transaction.atomic():
        thema = lock_one(Thema.objects, pk=thema.pk)
        before = history.values(thema, THEMA_FIELDS)
        thema.ondertitel = ondertitel
        thema.inleiding = inleiding
        thema.inleiding_html = inleiding_html
        thema.wat_gaan_we_doen = wat_gaan_we_doen
        thema.full_clean()
        thema.save()
        wijzigingen = history.changes(Thema, before, history.values(thema, THEMA_FIELDS))
        wijzigingen += _save_invalshoeken(thema, invalshoeken, teksten_html)
        wijzigingen += _save_contactpersonen(thema, contactpersonen, door=door, now=now)
        if wijzigingen:
            ThemaWijziging.objects.create(thema=thema, door=door, wijzigingen=wijzigingen)
        cache.bump("themas")
    return thema


def _own_rows(queryset, invoer_list) -> dict:
    """The thema's own rows the form names; a pk of another thema's row is refused."""
    rows = {row.pk: row for row in queryset}
    if any(invoer.pk is not None and invoer.pk not in rows for invoer in invoer_list):
        raise ThemaPaginaError(_("Dit onderdeel hoort niet bij deze themapagina."))
    return rows


def _save_invalshoeken(thema, invalshoeken, teksten_html) -> list[dict]:
    rows = _own_rows(thema.invalshoeken.all(), invalshoeken)
    wijzigingen = []
    volgorde = 0
    for invoer in invalshoeken:
        invalshoek = rows.get(invoer.pk) or Invalshoek(thema=thema)
        before = history.values(invalshoek if invalshoek.pk else None, INVALSHOEK_FIELDS)
        onderdeel = _("Invalshoek: %(titel)s") % {"titel": invoer.titel or invalshoek.titel}
        if invoer.verwijderen:
            if invalshoek.pk:
                invalshoek.delete()
                wijzigingen += history.changes(Invalshoek, before, {}, onderdeel=onderdeel)
            continue
        invalshoek.titel = invoer.titel
        invalshoek.tekst = invoer.tekst
        invalshoek.tekst_html = teksten_html[invoer.tekst]
        invalshoek.volgorde = volgorde
        volgorde += 1
        invalshoek.full_clean()
        invalshoek.save()
        after = history.values(invalshoek, INVALSHOEK_FIELDS)
        wijzigingen += history.changes(Invalshoek, before, after, onderdeel=onderdeel)
    return wijzigingen


def _save_contactpersonen(thema, contactpersonen, *, door, now) -> list[dict]:
    rows = _own_rows(thema.contactpersonen.select_related("persoon"), contactpersonen)
    wijzigingen = []
    volgorde = 0
    for invoer in contactpersonen:
        contact = rows.get(invoer.pk) or Contactpersoon(thema=thema)
        before = history.values(contact if contact.pk else None, CONTACTPERSOON_FIELDS)
        if invoer.verwijderen:
            if contact.pk:
                onderdeel = _("Contactpersoon: %(naam)s") % {"naam": contact.getoonde_naam}
                contact.delete()
                wijzigingen += history.changes(Contactpersoon, before, {}, onderdeel=onderdeel)
            continue
        wie_voor = (contact.persoon_id, contact.naam, contact.email)
        contact.persoon = invoer.persoon
        contact.naam = "" if invoer.persoon else invoer.naam
        contact.rol = invoer.rol
        contact.email = invoer.email
        contact.onderwerp = invoer.onderwerp
        contact.volgorde = volgorde
        volgorde += 1
        wie_anders = wie_voor != (contact.persoon_id, contact.naam, contact.email)
        if not invoer.toestemming:
            contact.toestemming = False
            contact.toestemming_door = contact.toestemming_op = None
        elif not contact.toestemming or wie_anders:
            contact.toestemming = True
            contact.toestemming_door, contact.toestemming_op = door, now
        contact.full_clean()
        contact.save()
        onderdeel = _("Contactpersoon: %(naam)s") % {"naam": contact.getoonde_naam}
        after = history.values(contact, CONTACTPERSOON_FIELDS)
        wijzigingen += history.changes(Contactpersoon, before, after, onderdeel=onderdeel)
    return wijzigingen
