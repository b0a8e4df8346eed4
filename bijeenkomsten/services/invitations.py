"""Invitations, messages to the registered and the reminder the day before (issue 9, points
9-11). Mailings to many render their mail once and put each recipient's own link (and
name) into it, then queue all rows in one insert: 5,000 invitations take seconds, not
minutes.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from bijeenkomsten import selectors
from bijeenkomsten.ics import invitations_for
from bijeenkomsten.models import (
    Aanmelding,
    Bericht,
    Bijeenkomst,
    Handeling,
    ProgrammaOnderdeel,
    Uitnodiging,
)
from bijeenkomsten.services._common import (
    NAAM_PLACEHOLDER,
    TOKEN_PLACEHOLDER,
    RegistrationError,
    _account_for,
    _language_of,
    _lock,
    _personalise,
    _record,
    _render_once,
)
from bijeenkomsten.services.links import _issue_links, _issue_tokens
from bijeenkomsten.services.registration import register
from netwerk.models import Persoon
from netwerk.outbox import RecipientLanguages, queue_rendered_mails
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one

DAY_BEFORE = timedelta(hours=24)
ONE_CLICK = {"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@dataclass
class InvitationResult:
    uitgenodigd: int
    audience: selectors.ResolvedAudience

    @property
    def tegelijk_uitgenodigd(self) -> int:
        """Addresses another coördinator invited at the same moment: not mailed again."""
        return len(self.audience.invitees) - self.uitgenodigd


def invitation_refusal(*, bijeenkomst: Bijeenkomst, now: datetime | None = None) -> str | None:
    """Why nobody can be invited (or reminded) now, or None when they can."""
    if bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD:
        return _("Deze bijeenkomst is geannuleerd.")
    if bijeenkomst.status != Bijeenkomst.Status.GEPUBLICEERD:
        return _("Publiceer de bijeenkomst eerst; dan kun je uitnodigen.")
    if (now or timezone.now()) >= bijeenkomst.aanmelden_sluit():
        return _("De aanmelding voor deze bijeenkomst is gesloten.")
    return None


def _check_open_for_invitations(bijeenkomst: Bijeenkomst, now: datetime) -> None:
    refusal = invitation_refusal(bijeenkomst=bijeenkomst, now=now)
    if refusal:
        raise RegistrationError(refusal)


def invite(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon,
    audience: selectors.Audience,
    persoonlijk_bericht: str = "",
    now: datetime | None = None,
) -> InvitationResult:
    """Invite everyone the audience reaches who is not registered, invited or opted out,
    with the sender's `persoonlijk_bericht` (plain text, optional) in the mail.

    One Uitnodiging per address, and only the rows this call inserted are mailed, so
    sending twice, or two coördinatoren at once, mails each address once. The bijeenkomst
    is not locked: a large invitation takes seconds and registrations must not wait for
    it; the unique index per (bijeenkomst, address) decides between two senders.
    """
    now = now or timezone.now()
    persoonlijk_bericht = _checked_personal_message(persoonlijk_bericht)
    with transaction.atomic():
        bijeenkomst = Bijeenkomst.objects.get(pk=bijeenkomst.pk)
        _check_open_for_invitations(bijeenkomst, now)
        resolved = selectors.resolve_audience(bijeenkomst=bijeenkomst, audience=audience)
        if not resolved.invitees:
            raise RuleViolation(_("Er is niemand (meer) om uit te nodigen."))
        # In address order, as every sender inserts: two senders waiting on each other's
        # rows always wait in the same order, so they never deadlock.
        rows = [
            Uitnodiging(
                bijeenkomst=bijeenkomst,
                email=invitee.email,
                naam=invitee.naam,
                persoon_id=invitee.persoon_id,
                uitgenodigd_op=now,
                uitgenodigd_door=door,
                persoonlijk_bericht=persoonlijk_bericht,
            )
            for invitee in resolved.invitees
        ]
        Uitnodiging.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        # The rows this call inserted carry its own moment: a concurrent sender's have another.
        created = list(
            Uitnodiging.objects.filter(
                bijeenkomst=bijeenkomst,
                uitgenodigd_op=now,
                uitgenodigd_door=door,
                email__in=[row.email for row in rows],
            )
            .order_by("pk")
            .values_list("pk", "email", "naam")
        )
        _mail_invitations(
            bijeenkomst,
            created,
            template="bijeenkomsten/mail/uitnodiging",
            key_suffix="",
            extra={"persoonlijk_bericht": persoonlijk_bericht, "afzender": door.naam},
        )
        if created:
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.UITGENODIGD,
                omschrijving=Truncator(
                    _("%(aantal)s uitgenodigd: %(doelgroep)s")
                    % {"aantal": len(created), "doelgroep": selectors.describe_audience(audience)}
                ).chars(300),
            )
        return InvitationResult(uitgenodigd=len(created), audience=resolved)


def remind_invited(
    *, bijeenkomst: Bijeenkomst, door: Persoon, ronde: int, now: datetime | None = None
) -> int:
    """Remind the invited who did not register (and still want invitations), once per
    round: the round comes from the page, so pressing twice reminds nobody twice.
    Returns how many were reminded."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = Bijeenkomst.objects.get(pk=bijeenkomst.pk)
        _check_open_for_invitations(bijeenkomst, now)
        if not 1 <= ronde <= selectors.volgende_herinneringsronde(bijeenkomst=bijeenkomst):
            raise RuleViolation(_("Deze herinneringsronde bestaat niet."))
        # Locked rows make a second press of the same round wait for the first; PostgreSQL
        # then checks `herinneringsronde < ronde` again on the rows it changed and skips them.
        due = list(
            selectors.uitnodigingen_zonder_reactie(bijeenkomst=bijeenkomst)
            .filter(herinneringsronde__lt=ronde)
            .order_by("pk")
            .select_for_update()
            .values_list("pk", "email", "naam")
        )
        if not due:
            raise RuleViolation(
                _("Er is niemand (meer) om te herinneren in ronde %(ronde)s.") % {"ronde": ronde}
            )
        Uitnodiging.objects.filter(pk__in=[row[0] for row in due]).update(
            herinneringsronde=ronde, herinnerd_op=now
        )
        _mail_invitations(
            bijeenkomst,
            due,
            template="bijeenkomsten/mail/uitnodiging_herinnering",
            key_suffix=f":herinnering:{ronde}",
        )
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.UITNODIGING_HERINNERD,
            omschrijving=_("%(aantal)s uitgenodigden herinnerd (ronde %(ronde)s)")
            % {"aantal": len(due), "ronde": ronde},
        )
        return len(due)


def _checked_personal_message(text: str) -> str:
    """The sender's message as it is kept: plain text (the mail escapes it), trimmed, and
    within the field's limit."""
    text = text.strip()
    limit = Uitnodiging._meta.get_field("persoonlijk_bericht").max_length
    if len(text) > limit:
        raise RuleViolation(
            _("Het persoonlijke bericht is te lang: hoogstens %(max)s tekens.") % {"max": limit}
        )
    return text


def _mail_invitations(
    bijeenkomst: Bijeenkomst,
    rows: list,
    *,
    template: str,
    key_suffix: str,
    extra: dict | None = None,
):
    """Queue one mail per (pk, email, naam), keyed `uitnodiging:<pk><suffix>`, with a new
    personal link and the one-click "geen uitnodigingen meer" headers; `extra` is
    context the same for every recipient (the sender's message)."""
    opt_out = reverse("bijeenkomsten:geen-uitnodigingen", args=[TOKEN_PLACEHOLDER])
    context = {
        **(extra or {}),
        "bijeenkomst": bijeenkomst,
        "uitnodiging_url": reverse("bijeenkomsten:uitnodiging", args=[TOKEN_PLACEHOLDER]),
        "geen_uitnodigingen_url": opt_out,
    }
    with_name = _render_once(template, {**context, "naam": NAAM_PLACEHOLDER})
    without_name = _render_once(template, {**context, "naam": ""})
    unsubscribe = f"<{settings.SITE_URL}{opt_out}>"
    languages = RecipientLanguages(row[1] for row in rows)
    mails = []
    tokens = _issue_tokens(Uitnodiging, [row[0] for row in rows])
    for (pk, email, naam), token in zip(rows, tokens, strict=True):
        parts = (with_name if naam else without_name)[languages.of(email)]
        mails.append(
            {
                "key": f"uitnodiging:{pk}{key_suffix}",
                "to": email,
                **_personalise(parts, token=token, naam=naam),
                "headers": {
                    "List-Unsubscribe": unsubscribe.replace(TOKEN_PLACEHOLDER, token),
                    **ONE_CLICK,
                },
            }
        )
    queue_rendered_mails(mails=mails)


def register_invited(
    *,
    uitnodiging: Uitnodiging,
    naam: str,
    organisatie: str = "",
    functie: str = "",
    dieetwensen: str = "",
    toegankelijkheid: str = "",
    taal: str = "",
    antwoorden: dict | None = None,
    sessies: Sequence[ProgrammaOnderdeel] = (),
    now: datetime | None = None,
) -> Aanmelding:
    """Register through an invitation's link: at once, without the guest confirmation,
    because the link proves the address. The invitation records the registration.
    `antwoorden` and `sessies` as for `register()`: the invitee answers for themselves.

    `taal`, the language of the page, is kept for an invitee without an account: their
    mails use it."""
    with transaction.atomic():
        persoon = (
            Persoon.objects.filter(pk=uitnodiging.persoon_id).first()
            if uitnodiging.persoon_id
            else _account_for(uitnodiging.email)
        )
        aanmelding = register(
            bijeenkomst=uitnodiging.bijeenkomst,
            email=uitnodiging.email,
            naam=naam,
            persoon=persoon,
            organisatie=organisatie,
            functie=functie,
            dieetwensen=dieetwensen,
            toegankelijkheid=toegankelijkheid,
            taal="" if persoon else taal,
            bron=Aanmelding.Bron.UITNODIGING,
            antwoorden=antwoorden,
            sessies=sessies,
            uitgenodigd_door=uitnodiging.uitgenodigd_door,
            now=now,
        )
        Uitnodiging.objects.filter(pk=uitnodiging.pk).update(aanmelding=aanmelding)
        return aanmelding


def save_bericht(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon,
    onderwerp: str,
    tekst: str,
    doelgroep: str,
    bericht: Bericht | None = None,
) -> Bericht:
    """Write a new message to the registered, or change one that is not sent yet."""
    with transaction.atomic():
        if bericht is None:
            bericht = Bericht(bijeenkomst=bijeenkomst)
        else:
            bericht = lock_one(Bericht.objects, pk=bericht.pk, bijeenkomst=bijeenkomst)
            if bericht.verstuurd_op is not None:
                raise RuleViolation(_("Dit bericht is al verstuurd; het kan niet meer veranderen."))
        bericht.door = door
        bericht.onderwerp = onderwerp.strip()
        bericht.tekst = tekst.strip()
        bericht.doelgroep = doelgroep
        try:
            bericht.full_clean()
        except ValidationError as error:
            raise RuleViolation(" ".join(error.messages)) from error
        bericht.save()
        return bericht


def send_bericht(*, bericht: Bericht, door: Persoon, now: datetime | None = None) -> Bericht:
    """Mail a message to its group, once: the row lock makes a second press (or a second
    coördinator) wait for the first and then find it sent."""
    now = now or timezone.now()
    with transaction.atomic():
        bericht = lock_one(Bericht.objects, pk=bericht.pk)
        if bericht.verstuurd_op is not None:
            raise RuleViolation(
                _("Dit bericht is al verstuurd, op %(op)s.")
                % {"op": date_format(timezone.localtime(bericht.verstuurd_op), "j F Y H:i")}
            )
        bijeenkomst = Bijeenkomst.objects.get(pk=bericht.bijeenkomst_id)
        recipients = list(
            selectors.bericht_ontvangers(bericht).values_list("pk", "email", "naam", "taal")
        )
        if not recipients:
            raise RuleViolation(_("Er is niemand in deze groep; er is niets verstuurd."))
        tokens = _issue_tokens(Aanmelding, [row[0] for row in recipients])
        parts = _render_once(
            "bijeenkomsten/mail/bericht",
            {
                "bericht": bericht,
                "bijeenkomst": bijeenkomst,
                "naam": NAAM_PLACEHOLDER,
                "aanmelding_url": reverse("bijeenkomsten:aanmelding", args=[TOKEN_PLACEHOLDER]),
            },
        )
        languages = RecipientLanguages(row[1] for row in recipients)
        queue_rendered_mails(
            mails=[
                {
                    "key": f"bericht:{bericht.pk}:{pk}",
                    "to": email,
                    **_personalise(
                        parts[languages.of(email, otherwise=taal)], token=token, naam=naam
                    ),
                }
                for (pk, email, naam, taal), token in zip(recipients, tokens, strict=True)
            ]
        )
        bericht.verstuurd_op = now
        bericht.aantal = len(recipients)
        bericht.door = door
        bericht.save(update_fields=["verstuurd_op", "aantal", "door"])
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.BERICHT,
            omschrijving=Truncator(
                _("“%(onderwerp)s” aan %(aantal)s (%(doelgroep)s)")
                % {
                    "onderwerp": bericht.onderwerp,
                    "aantal": len(recipients),
                    "doelgroep": bericht.get_doelgroep_display(),
                }
            ).chars(300),
        )
        return bericht


def bijeenkomsten_due_for_day_before_reminder(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Bijeenkomst.objects.gepubliceerd()
        .filter(herinnering_verstuurd_op__isnull=True, start__gt=now, start__lte=now + DAY_BEFORE)
        .values_list("pk", flat=True)
    )


def remind_attendees(*, bijeenkomst_id: int, now: datetime | None = None) -> int:
    """The reminder the day before, to every bevestigd attendee (above capacity too), with
    the calendar file and the personal link; exactly once per bijeenkomst, under its lock.
    Returns how many were mailed."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst_id)
        if (
            bijeenkomst.herinnering_verstuurd_op is not None
            or bijeenkomst.status != Bijeenkomst.Status.GEPUBLICEERD
            or not now < bijeenkomst.start <= now + DAY_BEFORE
        ):
            return 0
        attendees = list(
            bijeenkomst.aanmeldingen.filter(status=Aanmelding.Status.BEVESTIGD)
            .order_by("pk")
            .only("pk", "email", "naam", "taal", "bijeenkomst")
        )
        if attendees:
            _issue_links(attendees)
            # Each their own invitation, with the UID and SEQUENCE of their confirmation:
            # calendars update the event they have instead of adding a second one.
            invitations = invitations_for(bijeenkomst, attendees)
            parts = _render_once(
                "bijeenkomsten/mail/herinnering_dag",
                {
                    "bijeenkomst": bijeenkomst,
                    "naam": NAAM_PLACEHOLDER,
                    "aanmelding_url": reverse("bijeenkomsten:aanmelding", args=[TOKEN_PLACEHOLDER]),
                },
            )
            languages = RecipientLanguages(attendee.email for attendee in attendees)
            queue_rendered_mails(
                mails=[
                    {
                        "key": f"aanmelding:{attendee.pk}:herinnering-dag",
                        "to": attendee.email,
                        **_personalise(
                            parts[_language_of(attendee, languages)],
                            token=attendee.token,
                            naam=attendee.naam,
                        ),
                        "attachments": [("bijeenkomst.ics", invitation, "text/calendar")],
                    }
                    for attendee, invitation in zip(attendees, invitations, strict=True)
                ]
            )
        bijeenkomst.herinnering_verstuurd_op = now
        bijeenkomst.save(update_fields=["herinnering_verstuurd_op", "gewijzigd_op"])
        return len(attendees)
