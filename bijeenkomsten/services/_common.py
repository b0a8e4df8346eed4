"""What the families of actions share: the refusal of a registration rule, the bijeenkomst
lock, the log of what coördinatoren did, and the mail helpers (one registration's mail; a
mail rendered once for many and personalised per recipient).
"""

from datetime import datetime, timedelta

from django.utils.html import escape
from django.utils.translation import gettext as _

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling
from bijeenkomsten.services.links import _issue_links
from netwerk.models import Persoon, normalize_email_address
from netwerk.outbox import RecipientLanguages, queue_mail, render_mail
from werkplaats import cache
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one


class RegistrationError(RuleViolation):
    """A registration rule refused the change; `.aanmelding` is the existing open one when
    the refusal is "already registered"."""

    def __init__(self, message: str, *, aanmelding: Aanmelding | None = None):
        super().__init__(message)
        self.aanmelding = aanmelding


def _lock(bijeenkomst_id: int) -> Bijeenkomst:
    # Every change to a bijeenkomst's registrations queues behind this lock, for a bounded
    # time (LOCK_TIMEOUT_SECONDS): a request that cannot get it ends as a "try again" page.
    bijeenkomst = lock_one(Bijeenkomst.objects, pk=bijeenkomst_id)
    # So every service that locks also marks the places shown on pages as changed, once its
    # transaction commits; a service that refuses rolls back and changes nothing.
    cache.bump("aanmeldingen")
    return bijeenkomst


def _offer_deadline(bijeenkomst: Bijeenkomst, now: datetime) -> datetime | None:
    """Until when a freed place offered now may be claimed: the bedenktijd, never past the
    start; None in direct mode (the place is given at once). The one rule of offers, for
    the bijeenkomst's places and for its deelsessies' places alike."""
    if bijeenkomst.wachtlijst_modus == Bijeenkomst.WachtlijstModus.DIRECT:
        return None
    return min(now + timedelta(hours=bijeenkomst.bedenktijd_uren), bijeenkomst.start)


def _reload(aanmelding: Aanmelding, bijeenkomst: Bijeenkomst) -> Aanmelding:
    # Read again under the bijeenkomst lock: the caller's copy may be stale.
    fresh = Aanmelding.objects.get(pk=aanmelding.pk)
    fresh.bijeenkomst = bijeenkomst
    return fresh


def _check_open_for_coordinators(bijeenkomst: Bijeenkomst, now: datetime) -> None:
    if bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD:
        raise RegistrationError(_("Deze bijeenkomst is geannuleerd."))
    if bijeenkomst.eind <= now:
        raise RegistrationError(_("Deze bijeenkomst is al voorbij."))


def _account_for(email: str) -> Persoon | None:
    return Persoon.objects.filter(email=normalize_email_address(email)).first()


def _refusal_reason(bijeenkomst: Bijeenkomst, now: datetime) -> str:
    if bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD:
        return _("Deze bijeenkomst is geannuleerd.")
    if bijeenkomst.status != Bijeenkomst.Status.GEPUBLICEERD:
        return _("Voor deze bijeenkomst kun je je nog niet aanmelden.")
    if bijeenkomst.aanmelden_vanaf and now < bijeenkomst.aanmelden_vanaf:
        return _("De aanmelding is nog niet open.")
    return _("De aanmelding voor deze bijeenkomst is gesloten.")


def _record(
    bijeenkomst: Bijeenkomst, *, door: Persoon | None, soort: str, omschrijving: str, **extra
):
    """Log what a coördinator did, in the transaction of the change itself."""
    Handeling.objects.create(
        bijeenkomst=bijeenkomst, door=door, soort=soort, omschrijving=omschrijving, **extra
    )


def _mail(
    aanmelding: Aanmelding,
    name: str,
    extra: dict | None = None,
    *,
    key_suffix: str | None = None,
    attachments: list | None = None,
    languages: RecipientLanguages | None = None,
) -> None:
    """One registration's mail, in its recipient's language (`languages`: read for many at
    once by a caller that mails many)."""
    languages = languages or RecipientLanguages([aanmelding.email])
    # One key per transition of one registration: each can happen to it at most once.
    _issue_links([aanmelding])
    queue_mail(
        key=f"aanmelding:{aanmelding.pk}:{key_suffix or name}",
        to=aanmelding.email,
        template=f"bijeenkomsten/mail/{name}",
        context={
            "aanmelding": aanmelding,
            "bijeenkomst": aanmelding.bijeenkomst,
            "aanmelding_url": aanmelding.get_absolute_url(),
            **(extra or {}),
        },
        attachments=attachments,
        language=_language_of(aanmelding, languages),
    )


def _language_of(aanmelding: Aanmelding, languages: RecipientLanguages) -> str:
    """The person's language when the address has an account, else the one the guest
    registered in."""
    return languages.of(aanmelding.email, otherwise=aanmelding.taal)


# Letters and digits only: they pass HTML escaping and urlize unchanged.
TOKEN_PLACEHOLDER = "0persoonlijkesleutel0"
NAAM_PLACEHOLDER = "0persoonlijkenaam0"
POSITIE_PLACEHOLDER = "0plaatsopdewachtlijst0"


class _RenderedOnce:
    """A mail for many recipients, rendered once per language among them (not once per
    recipient) and personalised per recipient by `_personalise()`: `rendered[language]`
    holds its subject and bodies in that language, rendered at the first ask."""

    def __init__(self, template: str, context: dict):
        self.template = template
        self.context = context
        self.per_language: dict[str, dict[str, str]] = {}

    def __getitem__(self, language: str) -> dict[str, str]:
        if language not in self.per_language:
            self.per_language[language] = render_mail(self.template, self.context, language)
        return self.per_language[language]


def _render_once(template: str, context: dict) -> _RenderedOnce:
    """Subject and bodies of `template` per language, rendered as `queue_mail()` renders
    them."""
    return _RenderedOnce(template, context)


def _personalise(
    parts: dict[str, str], *, token: str, naam: str, positie: int | None = None
) -> dict[str, str]:
    """One recipient's mail from the mail rendered once: their own link and name (and
    place on the wachtlijst)."""
    text, html = parts["body_text"], parts["body_html"]
    if positie is not None:
        text = text.replace(POSITIE_PLACEHOLDER, str(positie))
        html = html.replace(POSITIE_PLACEHOLDER, str(positie))
    return {
        "subject": parts["subject"],
        "body_text": text.replace(TOKEN_PLACEHOLDER, token).replace(NAAM_PLACEHOLDER, naam),
        "body_html": html.replace(TOKEN_PLACEHOLDER, token).replace(NAAM_PLACEHOLDER, escape(naam)),
    }
