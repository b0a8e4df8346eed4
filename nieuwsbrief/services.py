"""The nieuwsbrief's rules: subscribing through a confirmation link (a pending
Aanmeldverzoek and a random token), composing an edition from
what was published, editing, testing and sending it (the sending itself: `delivery.py`).

The subscription itself (Abonnement, consent, unsubscribing, pausing) belongs to netwerk;
this app asks for it through the public form and the confirmation link.
"""

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from bijeenkomsten import selectors as bijeenkomst_selectors
from kennisbank import selectors as kennisbank_selectors
from netwerk import services as netwerk_services
from netwerk.models import (
    HUIDIGE_TOESTEMMING,
    Abonnement,
    OutboxMessage,
    Persoon,
    Toestemming,
    anonymous_address,
    normalize_email_address,
)
from netwerk.outbox import queue_mail, queue_rendered_mails
from nieuwsbrief.models import Aanmeldverzoek, Bezorging, Editie, Sectie
from nieuwsbrief.rendering import TOKEN_PLACEHOLDER, render_edition, unsubscribe_headers
from themas import selectors as thema_selectors
from themas.rendering import render_markdown
from werkplaats import cache
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one
from werkplaats.slugs import save_with_unique_slug
from werkplaats.tokens import hash_token, new_token

SUBSCRIPTION_KEY_PREFIX = "nieuwsbrief-aanmelding:"
SUBSCRIPTION_LINK_MAX_AGE = timedelta(days=7)
# At most one confirmation mail per address in this window, so the public form cannot be
# used to flood someone's mailbox.
SUBSCRIPTION_MAIL_WINDOW = timedelta(hours=1)
# The first edition, with no sent one before it, picks up the updates of this period.
FIRST_EDITION_PERIOD = timedelta(days=92)
BIJEENKOMSTEN_SHOWN = 10


class NieuwsbriefError(RuleViolation):
    """A nieuwsbrief rule refused the change."""


# Subscribing: the public form mails a link with a random token; only using it subscribes.


class InvalidSubscriptionLink(NieuwsbriefError):
    """The confirmation link is unknown, expired or used: it subscribes nobody."""


def request_subscription(
    *,
    email: str,
    naam: str = "",
    leeratelier_ids: Iterable[int] = (),
    thema_ids: Iterable[int] = (),
    language: str | None = None,
    now: datetime | None = None,
) -> str | None:
    """Mail `email` a link that confirms the subscription (double opt-in); returns the
    link's token, or None when nothing was mailed.

    What was asked waits in an Aanmeldverzoek until the link is used; the link carries only
    a random token, whose hash alone is stored. A known address is treated exactly like an
    unknown one, so the answer tells nobody who subscribes. An address gets at most one such
    mail per SUBSCRIPTION_MAIL_WINDOW; a request within it changes nothing.
    """
    now = now or timezone.now()
    email = normalize_email_address(email)
    if not email:
        raise NieuwsbriefError(_("Vul je e-mailadres in."))
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    # Hashed: the key must stay short whatever the address, and need not reveal it. The
    # window's key makes concurrent requests one mail; the previous window's key is checked
    # too, so a request just after a window boundary does not mail again within the hour.
    address_hash = hashlib.sha256(email.encode()).hexdigest()[:32]
    window = int(now.timestamp()) // int(SUBSCRIPTION_MAIL_WINDOW.total_seconds())
    keys = [f"{SUBSCRIPTION_KEY_PREFIX}{address_hash}:{number}" for number in (window, window - 1)]
    token = new_token()
    with transaction.atomic():
        recent = OutboxMessage.objects.filter(
            key__in=keys, created_at__gt=now - SUBSCRIPTION_MAIL_WINDOW
        )
        if recent.exists():
            return None
        # Two requests racing past this check leave one row whose link was never mailed; it
        # holds nothing anyone can use and goes when it expires.
        verzoek = Aanmeldverzoek.objects.create(
            token_hash=hash_token(token),
            email=email,
            naam=naam.strip(),
            leeratelier_ids=sorted({int(pk) for pk in leeratelier_ids}),
            thema_ids=sorted({int(pk) for pk in thema_ids}),
            tekst_versie=HUIDIGE_TOESTEMMING,
            taal=language,
            gevraagd_op=now,
            verloopt_op=now + SUBSCRIPTION_LINK_MAX_AGE,
        )
        queue_mail(
            key=keys[0],
            to=email,
            template="nieuwsbrief/mail/bevestigen",
            context={
                "naam": verzoek.naam,
                "bevestig_url": reverse("nieuwsbrief:bevestigen", kwargs={"token": token}),
                "geldig_dagen": SUBSCRIPTION_LINK_MAX_AGE.days,
            },
            language=language,
        )
    return token


def _check_link(verzoek: Aanmeldverzoek | None, *, now: datetime) -> Aanmeldverzoek:
    if verzoek is None:
        raise InvalidSubscriptionLink(
            _(
                "Deze bevestigingslink klopt niet. Controleer of je de hele link uit de mail "
                "hebt gebruikt, of meld je opnieuw aan voor de nieuwsbrief."
            )
        )
    if verzoek.gebruikt_op is not None:
        raise InvalidSubscriptionLink(
            _(
                "Deze bevestigingslink is al gebruikt en werkt maar één keer. Je aanmelding "
                "voor de nieuwsbrief is bevestigd."
            )
        )
    if verzoek.verloopt_op <= now:
        raise InvalidSubscriptionLink(
            _("Deze bevestigingslink is verlopen. Meld je opnieuw aan voor de nieuwsbrief.")
        )
    return verzoek


def read_subscription_request(*, token: str, now: datetime | None = None) -> Aanmeldverzoek:
    """The request a confirmation link stands for; InvalidSubscriptionLink when the link is
    unknown, used or expired."""
    verzoek = Aanmeldverzoek.objects.filter(token_hash=hash_token(token or "")).first()
    return _check_link(verzoek, now=now or timezone.now())


def confirm_subscription(*, token: str, now: datetime | None = None) -> Abonnement:
    """The link of the confirmation mail was used: the address is proven and the consent
    given. The request is locked and used up in the same transaction, so a link subscribes
    once, however often or concurrently it is sent; a refusal changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        try:
            verzoek = lock_one(Aanmeldverzoek.objects, token_hash=hash_token(token or ""))
        except Aanmeldverzoek.DoesNotExist:
            verzoek = None
        _check_link(verzoek, now=now)
        abonnement = netwerk_services.subscribe(
            email=verzoek.email,
            naam=verzoek.naam,
            leeratelier_ids=verzoek.leeratelier_ids,
            thema_ids=verzoek.thema_ids,
            tekst_versie=verzoek.tekst_versie,
            taal=verzoek.taal,
            formulier=Toestemming.Formulier.NIEUWSBRIEF,
            gevraagd_op=verzoek.gevraagd_op,
            bevestigd_op=now,
        )
        # Used up: what was asked now lives in the Abonnement and its consent record.
        verzoek.gebruikt_op = now
        verzoek.email = verzoek.naam = ""
        verzoek.leeratelier_ids = verzoek.thema_ids = []
        verzoek.save(update_fields=["gebruikt_op", "email", "naam", "leeratelier_ids", "thema_ids"])
    return abonnement


# Composing and editing an edition.


def compose_edition(*, door: Persoon, now: datetime | None = None) -> Editie:
    """A new edition, prefilled with a section per leeratelier and per thema from the updates
    published since the last sent edition, one with the coming bijeenkomsten and one with
    the kennisproducten published in the same period."""
    now = now or timezone.now()
    with transaction.atomic():
        vanaf = Editie.objects.verzonden_tot() or now - FIRST_EDITION_PERIOD
        # The nieuwsbrief is Dutch, whatever language the coördinator reads the portal in.
        with translation.override(settings.LANGUAGE_CODE):
            titel = _("Nieuwsbrief %(maand)s") % {"maand": date_format(localtime(now), "F Y")}
            secties = _prefilled_sections(vanaf=vanaf, tot=now)
        editie = Editie(titel=titel, updates_vanaf=vanaf, updates_tot=now, aangemaakt_door=door)
        editie.full_clean(exclude=["slug"])
        save_with_unique_slug(editie, text=titel, fallback="nieuwsbrief")
        for volgorde, sectie in enumerate(secties, start=1):
            sectie.editie = editie
            sectie.volgorde = volgorde
            sectie.tekst_html = render_markdown(sectie.tekst)
        Sectie.objects.bulk_create(secties)
    return editie


def _prefilled_sections(*, vanaf: datetime, tot: datetime) -> list[Sectie]:
    """A section per leeratelier and thema with its updates and the geleerde lessen of the
    verslagen published in the period (a verslag goes to its bijeenkomst's ateliers, else
    its thema's, else a section of its own), then the coming bijeenkomsten."""
    per_atelier, per_thema = defaultdict(list), defaultdict(list)
    lessen_atelier, lessen_thema, lessen_los = defaultdict(list), defaultdict(list), []
    for update in thema_selectors.updates_gepubliceerd_tussen(vanaf=vanaf, tot=tot):
        if update.leeratelier_id:
            per_atelier[update.leeratelier].append(update)
        else:
            per_thema[update.thema].append(update)
    for verslag in bijeenkomst_selectors.verslagen_gepubliceerd_tussen(vanaf=vanaf, tot=tot):
        ateliers = list(verslag.bijeenkomst.leerateliers.all())
        themas = list(verslag.bijeenkomst.themas.all())
        for atelier in ateliers:
            lessen_atelier[atelier].append(verslag)
        for thema in themas if not ateliers else []:
            lessen_thema[thema].append(verslag)
        if not ateliers and not themas:
            lessen_los.append(verslag)
    secties = [
        Sectie(
            soort=Sectie.Soort.LEERATELIER,
            leeratelier=atelier,
            titel=_("Leeratelier %(naam)s") % {"naam": atelier.naam},
            tekst=_section_markdown(per_atelier.get(atelier, []), lessen_atelier.get(atelier, [])),
        )
        for atelier in sorted(set(per_atelier) | set(lessen_atelier), key=lambda a: a.naam)
    ]
    secties += [
        Sectie(
            soort=Sectie.Soort.THEMA,
            thema=thema,
            titel=_("Professionaliseringsthema %(naam)s") % {"naam": thema.naam},
            tekst=_section_markdown(per_thema.get(thema, []), lessen_thema.get(thema, [])),
        )
        for thema in sorted(set(per_thema) | set(lessen_thema), key=lambda t: t.naam)
    ]
    if lessen_los:
        secties.append(
            Sectie(
                soort=Sectie.Soort.VRIJ,
                titel=_("Geleerde lessen"),
                tekst=_lessen_markdown(lessen_los),
            )
        )
    bijeenkomsten = list(bijeenkomst_selectors.komende_bijeenkomsten(limit=BIJEENKOMSTEN_SHOWN))
    if bijeenkomsten:
        secties.append(
            Sectie(
                soort=Sectie.Soort.BIJEENKOMSTEN,
                titel=_("Komende bijeenkomsten"),
                tekst=_bijeenkomsten_markdown(bijeenkomsten),
            )
        )
    producten = kennisbank_selectors.gepubliceerd_tussen(vanaf=vanaf, tot=tot)
    if producten:
        secties.append(
            Sectie(
                soort=Sectie.Soort.KENNISBANK,
                titel=_("Nieuw in de kennisbank"),
                tekst=_producten_markdown(producten),
            )
        )
    return secties


def _escape(text: str) -> str:
    """Text that Markdown shows as written."""
    for character in "\\`*_[]":
        text = text.replace(character, "\\" + character)
    return text


def _updates_markdown(updates) -> str:
    return "\n\n".join(
        f"**[{_escape(update.titel)}]({settings.SITE_URL}{update.get_absolute_url()})**  \n"
        f"{_escape(update.samenvatting)}"
        for update in updates
    )


def _section_markdown(updates, verslagen) -> str:
    return "\n\n".join(
        part for part in (_updates_markdown(updates), _lessen_markdown(verslagen)) if part
    )


# What a section quotes of one verslag's lessons; the whole verslag is a link away.
LESSEN_QUOTED = 1500


def _lessen_markdown(verslagen) -> str:
    """The geleerde lessen of each verslag, as its writers wrote them (Markdown), shortened
    at a paragraph where long, with a link to the verslag on the bijeenkomst's page."""
    items = []
    for verslag in verslagen:
        bijeenkomst = verslag.bijeenkomst
        lessen = verslag.geleerde_lessen.strip()
        if len(lessen) > LESSEN_QUOTED:
            cut = lessen.rfind("\n\n", 0, LESSEN_QUOTED)
            lessen = lessen[: cut if cut > 0 else LESSEN_QUOTED].rstrip() + " …"
        items.append(
            f"**{_escape(_('Geleerde lessen uit'))} "
            f"[{_escape(bijeenkomst.titel)}]({settings.SITE_URL}{bijeenkomst.get_absolute_url()}#verslag-titel)**"
            f"\n\n{lessen}"
        )
    return "\n\n".join(items)


def _bijeenkomsten_markdown(bijeenkomsten) -> str:
    items = []
    for bijeenkomst in bijeenkomsten:
        details = [date_format(localtime(bijeenkomst.start), "l j F Y, H:i")]
        details.append(bijeenkomst.locatie_plaats or bijeenkomst.locatie_naam or _("online"))
        if bijeenkomst.is_vol:
            details.append(_("Vol — wachtlijst open") if bijeenkomst.wachtlijst_open else _("Vol"))
        items.append(
            f"**[{_escape(bijeenkomst.titel)}]"
            f"({settings.SITE_URL}{bijeenkomst.get_absolute_url()})**  \n"
            + _escape(" · ".join(details))
        )
    return "\n\n".join(items)


def _producten_markdown(producten) -> str:
    return "\n\n".join(
        f"**[{_escape(product.titel)}]({settings.SITE_URL}{product.get_absolute_url()})** "
        f"({_escape(product.get_soort_display())})  \n{_escape(product.samenvatting)}"
        for product in producten
    )


def _lock_editable(editie: Editie) -> Editie:
    editie = lock_one(Editie.objects, pk=editie.pk)
    if not editie.is_bewerkbaar:
        raise NieuwsbriefError(_("Deze editie is al verzonden en verandert niet meer."))
    return editie


def update_edition(*, editie: Editie, titel: str, voorwoord: str) -> Editie:
    with transaction.atomic():
        editie = _lock_editable(editie)
        editie.titel = titel.strip()
        editie.voorwoord = voorwoord
        editie.voorwoord_html = render_markdown(voorwoord)
        editie.full_clean()
        editie.save(update_fields=["titel", "voorwoord", "voorwoord_html", "gewijzigd_op"])
    return editie


def save_section(*, editie: Editie, titel: str, tekst: str, sectie: Sectie | None = None) -> Sectie:
    """Change a section, or add a new one at the end (no `sectie`)."""
    with transaction.atomic():
        editie = _lock_editable(editie)
        if sectie is None:
            highest = editie.secties.aggregate(highest=Max("volgorde"))["highest"] or 0
            sectie = Sectie(editie=editie, volgorde=highest + 1, soort=Sectie.Soort.VRIJ)
        else:
            sectie = editie.secties.get(pk=sectie.pk)
        sectie.titel = titel.strip()
        sectie.tekst = tekst
        sectie.tekst_html = render_markdown(tekst)
        sectie.full_clean()
        sectie.save()
    return sectie


def move_section(*, sectie: Sectie, richting: int) -> Sectie:
    """Move a section one place up (richting -1) or down (+1); at the edge nothing moves."""
    with transaction.atomic():
        editie = _lock_editable(sectie.editie)
        secties = list(editie.secties.order_by("volgorde", "pk"))
        index = next(i for i, candidate in enumerate(secties) if candidate.pk == sectie.pk)
        target = index + richting
        if 0 <= target < len(secties):
            secties[index], secties[target] = secties[target], secties[index]
        _renumber(secties)
    return next(candidate for candidate in secties if candidate.pk == sectie.pk)


def remove_section(*, sectie: Sectie) -> Editie:
    with transaction.atomic():
        editie = _lock_editable(sectie.editie)
        editie.secties.filter(pk=sectie.pk).delete()
        _renumber(list(editie.secties.order_by("volgorde", "pk")))
    return editie


def _renumber(secties: list[Sectie]) -> None:
    for volgorde, sectie in enumerate(secties, start=1):
        sectie.volgorde = volgorde
    Sectie.objects.bulk_update(secties, ["volgorde"])


# The unsubscribe link of a test mail leads nowhere: a test can go to other people, and it
# is no edition anyone subscribed to.
TEST_TOKEN = "testmail"
TEST_KEY_PREFIX = "nieuwsbrief-test:"


def send_test(*, editie: Editie, adressen: Iterable[str]) -> list[OutboxMessage]:
    """The edition as it is now, to each of `adressen` (the form checked them: at most
    MAX_TEST_ADDRESSES), through the outbox in one transaction.

    Each address of each attempt has a key of its own, so pressing again sends again and
    one attempt mails an address once.
    """
    adressen = list(dict.fromkeys(normalize_email_address(adres) for adres in adressen))
    if not adressen:
        raise NieuwsbriefError(_("Vul minstens één e-mailadres in."))
    rendered = render_edition(editie, editie.secties.order_by("volgorde", "pk"))
    poging = uuid.uuid4().hex
    mails = [
        {
            "key": f"{TEST_KEY_PREFIX}{editie.pk}:{poging}:"
            + hashlib.sha256(adres.encode()).hexdigest()[:32],
            "to": adres,
            "subject": _("[Test] %(onderwerp)s") % {"onderwerp": rendered.subject},
            "body_text": rendered.text.replace(TOKEN_PLACEHOLDER, TEST_TOKEN),
            "body_html": rendered.html.replace(TOKEN_PLACEHOLDER, TEST_TOKEN),
            "headers": unsubscribe_headers(TEST_TOKEN),
        }
        for adres in adressen
    ]
    with transaction.atomic():
        return queue_rendered_mails(mails=mails)


# Sending: now, or at a set time through the periodic task.


def send_edition(
    *,
    editie: Editie,
    doelgroep: str,
    leeratelier_ids: Iterable[int] = (),
    thema_ids: Iterable[int] = (),
    verzenden_op: datetime | None = None,
    now: datetime | None = None,
) -> Editie:
    """Send the edition to its audience now, or plan it for `verzenden_op`.

    An edition is sent once: pressing again while it is sent changes nothing.
    """
    now = now or timezone.now()
    leeratelier_ids, thema_ids = list(leeratelier_ids), list(thema_ids)
    with transaction.atomic():
        editie = lock_one(Editie.objects, pk=editie.pk)
        if not editie.is_bewerkbaar:
            raise NieuwsbriefError(_("Deze editie wordt al verzonden of is verzonden."))
        if doelgroep not in Editie.Doelgroep.values:
            raise NieuwsbriefError(_("Kies naar wie de editie gaat."))
        if doelgroep == Editie.Doelgroep.INTERESSE and not (leeratelier_ids or thema_ids):
            raise NieuwsbriefError(_("Kies minstens één leeratelier of thema."))
        if not editie.secties.exists() and not editie.voorwoord.strip():
            raise NieuwsbriefError(_("Deze editie is nog leeg."))
        editie.doelgroep = doelgroep
        editie.save(update_fields=["doelgroep", "gewijzigd_op"])
        is_interesse = doelgroep == Editie.Doelgroep.INTERESSE
        editie.doel_leerateliers.set(leeratelier_ids if is_interesse else [])
        editie.doel_themas.set(thema_ids if is_interesse else [])
        if verzenden_op is not None and verzenden_op > now:
            editie.status = Editie.Status.INGEPLAND
            editie.verzenden_op = verzenden_op
            editie.save(update_fields=["status", "verzenden_op", "gewijzigd_op"])
            return editie
        _start_sending(editie, now=now)
    return editie


def unschedule_edition(*, editie: Editie) -> Editie:
    """A planned edition goes back to concept."""
    with transaction.atomic():
        editie = lock_one(Editie.objects, pk=editie.pk)
        if editie.status != Editie.Status.INGEPLAND:
            raise NieuwsbriefError(_("Deze editie is niet ingepland."))
        editie.status = Editie.Status.CONCEPT
        editie.verzenden_op = None
        editie.save(update_fields=["status", "verzenden_op", "gewijzigd_op"])
    return editie


def start_due_editions(*, now: datetime | None = None) -> list[int]:
    """Start sending the planned editions whose time has come; returns their ids."""
    now = now or timezone.now()
    due = Editie.objects.filter(status=Editie.Status.INGEPLAND, verzenden_op__lte=now)
    started = []
    for editie_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            editie = lock_one(Editie.objects, pk=editie_id)
            if editie.status == Editie.Status.INGEPLAND and editie.verzenden_op <= now:
                _start_sending(editie, now=now)
                started.append(editie_id)
    return started


def _start_sending(editie: Editie, *, now: datetime) -> None:
    """Render the mail once and freeze it; the first batch goes after commit."""
    from nieuwsbrief.tasks import deliver_edition

    rendered = render_edition(editie, editie.secties.order_by("volgorde", "pk"))
    editie.onderwerp = rendered.subject
    editie.mail_tekst = rendered.text
    editie.mail_html = rendered.html
    editie.status = Editie.Status.VERZENDEN
    editie.verzending_gestart_op = now
    editie.save()
    # From now on the edition is in the public archive.
    cache.bump("nieuwsbrief")
    transaction.on_commit(lambda: deliver_edition.delay(editie.pk), robust=True)


# Privacy: a person who deletes their account, and confirmation links nobody used.


def forget_persoon(*, persoon: Persoon) -> None:
    """A person deletes their account (privacy, in the caller's transaction): the delivery
    records of editions to their address keep their status (the edition's figures stay) but
    no longer hold the address or its error messages."""
    with transaction.atomic():
        Bezorging.objects.filter(email__iexact=persoon.email).update(
            email=anonymous_address("bezorging"), fout="", abonnement=None, token_hash=None
        )


def forget_unconfirmed_subscriptions(*, now: datetime) -> int:
    """Retention: a subscription nobody confirmed is kept only until its link expires. Then
    its Aanmeldverzoek goes (used or not), and so does its confirmation mail (addressed to
    someone who never subscribed) unless the address subscribed after all (then it is kept
    like any sent mail). Returns the number of mails removed."""
    expired = OutboxMessage.objects.filter(
        key__startswith=SUBSCRIPTION_KEY_PREFIX,
        created_at__lt=now - SUBSCRIPTION_LINK_MAX_AGE,
    ).exclude(status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING])
    subscribed = Abonnement.objects.annotate(adres=Lower("email")).filter(
        adres=Lower(OuterRef("to"))
    )
    with transaction.atomic():
        Aanmeldverzoek.objects.filter(verloopt_op__lte=now).delete()
        removed, _per_model = expired.filter(~Exists(subscribed)).delete()
    return removed
