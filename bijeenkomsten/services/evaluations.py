"""The evaluation after a bijeenkomst (issue 22, point 2): one mail to each person present,
with a personal link to the questions the team chose; one anonymous answer per attendee.

Once submitted, the answers are an `EvaluatieInzending` without the person: it has no link
to the aanmelding, no time and a random key. The aanmelding only records the day it was
filled in, which is all "one answer per attendee" needs. The aanmelding's row lock makes a
double submit (two tabs, a double click) store one inzending.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import (
    Aanmelding,
    Bijeenkomst,
    EvaluatieAntwoord,
    EvaluatieInzending,
    Handeling,
    Vraag,
)
from bijeenkomsten.services._common import (
    NAAM_PLACEHOLDER,
    TOKEN_PLACEHOLDER,
    _language_of,
    _lock,
    _personalise,
    _record,
    _render_once,
)
from bijeenkomsten.services.links import _issue_links
from bijeenkomsten.services.questions import clean_answers
from netwerk.models import ANONYMOUS_DOMAIN, GeenUitnodiging, OutboxMessage, Persoon
from netwerk.outbox import RecipientLanguages, queue_rendered_mails
from werkplaats.db_functions import Sha256Hex
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one


class EvaluatieError(RuleViolation):
    """The evaluation cannot be sent or filled in as asked."""


class EvaluatieStand:
    """What a personal link to the evaluation finds (`evaluation_state`)."""

    OPEN = "open"
    INGEVULD = "ingevuld"
    GESLOTEN = "gesloten"
    GEEN = "geen"


OPEN, INGEVULD, GESLOTEN, GEEN = (
    EvaluatieStand.OPEN,
    EvaluatieStand.INGEVULD,
    EvaluatieStand.GESLOTEN,
    EvaluatieStand.GEEN,
)


def evaluation_questions(bijeenkomst: Bijeenkomst) -> list[Vraag]:
    return list(Vraag.objects.filter(bijeenkomst=bijeenkomst).voor_evaluatie())


def evaluation_closes(bijeenkomst: Bijeenkomst) -> datetime:
    return bijeenkomst.eind + timedelta(days=settings.EVALUATIE_OPEN_DAYS)


def _held(bijeenkomst: Bijeenkomst, now: datetime) -> bool:
    return bijeenkomst.status == Bijeenkomst.Status.GEPUBLICEERD and bijeenkomst.eind <= now


def evaluation_state(aanmelding: Aanmelding, *, now: datetime | None = None) -> str:
    """OPEN for a present attendee of a held bijeenkomst with evaluation questions, within
    EVALUATIE_OPEN_DAYS of its end; INGEVULD once they filled it in; GESLOTEN after that
    period; GEEN for anyone else (not present, cancelled, not over, no questions)."""
    now = now or timezone.now()
    bijeenkomst = aanmelding.bijeenkomst
    if (
        aanmelding.status != Aanmelding.Status.BEVESTIGD
        or aanmelding.aanwezig_op is None
        or not _held(bijeenkomst, now)
    ):
        return GEEN
    if aanmelding.evaluatie_ingevuld_op is not None:
        return INGEVULD
    if now >= evaluation_closes(bijeenkomst):
        return GESLOTEN
    if not Vraag.objects.filter(bijeenkomst=bijeenkomst).voor_evaluatie().exists():
        return GEEN
    return OPEN


def submit_evaluation(
    *, aanmelding: Aanmelding, antwoorden: dict, now: datetime | None = None
) -> EvaluatieInzending:
    """Store one attendee's answers ({vraag pk: value}) as an anonymous inzending, checked
    by the fields that ask them, and mark their aanmelding as filled in (the day only).
    EvaluatieError when it is not open to them or already filled in; RegistrationError
    (naming the question) for an answer that does not fit; nothing is stored then."""
    now = now or timezone.now()
    with transaction.atomic():
        # Under the aanmelding's lock: a second submit waits here and then finds the mark.
        aanmelding = lock_one(Aanmelding.objects.select_related("bijeenkomst"), pk=aanmelding.pk)
        state = evaluation_state(aanmelding, now=now)
        if state == INGEVULD:
            raise EvaluatieError(_("Je hebt deze evaluatie al ingevuld. Dank je wel!"))
        if state == GESLOTEN:
            raise EvaluatieError(_("De evaluatie van deze bijeenkomst is gesloten."))
        if state != OPEN:
            raise EvaluatieError(_("Voor deze aanmelding is geen evaluatie."))
        vragen = evaluation_questions(aanmelding.bijeenkomst)
        cleaned = clean_answers(vragen, antwoorden)
        inzending = EvaluatieInzending.objects.create(bijeenkomst=aanmelding.bijeenkomst)
        EvaluatieAntwoord.objects.bulk_create(
            [
                EvaluatieAntwoord(inzending=inzending, vraag_id=vraag_id, waarde=waarde)
                for vraag_id, waarde in cleaned.items()
            ]
        )
        # update(), not save(): `gewijzigd_op` would otherwise keep the exact time.
        Aanmelding.objects.filter(pk=aanmelding.pk).update(
            evaluatie_ingevuld_op=timezone.localdate(now)
        )
    return inzending


def evaluation_recipients(bijeenkomst: Bijeenkomst):
    """Who gets the evaluation: confirmed and checked in, still reachable, and not someone
    who switched the evaluation off on /mijn/ (by account or address) or whose address is
    on the list that wants no invitations from bijeenkomsten."""
    switched_off = Persoon.objects.filter(wil_evaluaties=False, email=Lower(OuterRef("email")))
    no_invitations = GeenUitnodiging.objects.annotate(adres=Lower("email")).filter(
        Q(adres=Lower(OuterRef("email"))) | Q(email_hash=Sha256Hex(Lower(OuterRef("email"))))
    )
    return (
        Aanmelding.objects.filter(
            bijeenkomst=bijeenkomst,
            status=Aanmelding.Status.BEVESTIGD,
            aanwezig_op__isnull=False,
        )
        .exclude(email__endswith=f"@{ANONYMOUS_DOMAIN}")
        .exclude(persoon__wil_evaluaties=False)
        .exclude(Exists(switched_off))
        .exclude(Exists(no_invitations))
    )


def _mail_key(aanmelding_id: int) -> str:
    return f"aanmelding:{aanmelding_id}:evaluatie"


def send_evaluation(
    *, bijeenkomst_id: int, door: Persoon | None = None, now: datetime | None = None
) -> int:
    """Mail the evaluation to everyone present who has not had it, each once (the outbox
    key is per aanmelding), under the bijeenkomst's lock. `door` None is the periodic task:
    it acts once per bijeenkomst and refuses nothing. The team (`door`) may send again for
    people checked in later; it is refused before the end, for a cancelled bijeenkomst,
    without questions or once the evaluation closed. Returns how many were mailed."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst_id)
        refusal = _sending_refusal(bijeenkomst, now)
        if door is None and (refusal or bijeenkomst.evaluatie_verstuurd_op is not None):
            return 0
        if refusal:
            raise EvaluatieError(refusal)
        candidates = list(
            evaluation_recipients(bijeenkomst)
            .order_by("pk")
            .only("pk", "email", "naam", "taal", "bijeenkomst")
        )
        mailed = set(
            OutboxMessage.objects.filter(
                key__in=[_mail_key(aanmelding.pk) for aanmelding in candidates]
            ).values_list("key", flat=True)
        )
        attendees = [a for a in candidates if _mail_key(a.pk) not in mailed]
        if attendees:
            _issue_links(attendees)
            parts = _render_once(
                "bijeenkomsten/mail/evaluatie",
                {
                    "bijeenkomst": bijeenkomst,
                    "naam": NAAM_PLACEHOLDER,
                    "evaluatie_url": reverse(
                        "bijeenkomsten:evaluatie", args=[bijeenkomst.slug, TOKEN_PLACEHOLDER]
                    ),
                    "sluit_op": evaluation_closes(bijeenkomst),
                },
            )
            languages = RecipientLanguages(attendee.email for attendee in attendees)
            queue_rendered_mails(
                mails=[
                    {
                        "key": _mail_key(attendee.pk),
                        "to": attendee.email,
                        **_personalise(
                            parts[_language_of(attendee, languages)],
                            token=attendee.token,
                            naam=attendee.naam,
                        ),
                    }
                    for attendee in attendees
                ]
            )
        if bijeenkomst.evaluatie_verstuurd_op is None:
            bijeenkomst.evaluatie_verstuurd_op = now
            bijeenkomst.save(update_fields=["evaluatie_verstuurd_op", "gewijzigd_op"])
        if attendees:
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.BERICHT,
                omschrijving=_("evaluatie gemaild aan %(aantal)s aanwezigen")
                % {"aantal": len(attendees)},
            )
        return len(attendees)


def _sending_refusal(bijeenkomst: Bijeenkomst, now: datetime) -> str:
    if bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD:
        return _("Deze bijeenkomst is geannuleerd.")
    if not _held(bijeenkomst, now):
        return _("De evaluatie gaat pas weg als de bijeenkomst voorbij is.")
    if now >= evaluation_closes(bijeenkomst):
        return _("De evaluatie van deze bijeenkomst is gesloten.")
    if not Vraag.objects.filter(bijeenkomst=bijeenkomst).voor_evaluatie().exists():
        return _("Stel eerst de vragen van de evaluatie op.")
    return ""


def bijeenkomsten_due_for_evaluation(*, now: datetime | None = None) -> list[int]:
    """Held bijeenkomsten with evaluation questions whose evaluation has not gone out and
    is still open: what the periodic task sends."""
    now = now or timezone.now()
    return list(
        Bijeenkomst.objects.gepubliceerd()
        .filter(
            evaluatie_verstuurd_op__isnull=True,
            eind__lte=now,
            eind__gt=now - timedelta(days=settings.EVALUATIE_OPEN_DAYS),
            vragen__doel=Vraag.Doel.EVALUATIE,
        )
        .distinct()
        .values_list("pk", flat=True)
    )
