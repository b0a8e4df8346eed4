"""The rights of the people the portal holds data about: deleting one's account, and
keeping nothing longer than the retention periods in the settings.

Each app forgets its own rows through its own service; this module only decides the order
and holds them in one transaction, so an account is deleted completely or not at all.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bijeenkomsten import services as bijeenkomst_services
from leerateliers import services as leeratelier_services
from netwerk import outbox
from netwerk import services as netwerk_services
from netwerk.models import VOORMALIG_LID, Persoon
from nieuwsbrief import services as nieuwsbrief_services
from themas import services as thema_services
from werkplaats.db_functions import replace_case_blind
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one


class AccountError(RuleViolation):
    """Deleting the account was refused."""


def delete_account(*, persoon: Persoon) -> Persoon:
    """Delete a person's account: nothing that names them stays (see each app's
    `forget_persoon`). Open registrations are cancelled first, so their places go to the
    wachtlijst with the usual mails; the person row itself stays, anonymised, so counts
    and the updates they wrote keep their shape. Checking who asks is the caller's task."""
    with transaction.atomic():
        persoon = lock_one(Persoon.objects.all(), pk=persoon.pk)
        if not persoon.is_active:
            raise AccountError(_("Dit account is al verwijderd."))
        naam, email = persoon.naam, persoon.email
        # From the top of the rule chain down; netwerk last, because the others find the
        # person's rows by the address it removes.
        bijeenkomst_services.forget_persoon(persoon=persoon)
        nieuwsbrief_services.forget_persoon(persoon=persoon)
        thema_services.forget_persoon(persoon=persoon)
        leeratelier_services.forget_persoon(persoon=persoon)
        _forget_in_admin_log(persoon=persoon, texts=(naam, email))
        return netwerk_services.forget_persoon(persoon=persoon)


def _forget_in_admin_log(*, persoon: Persoon, texts: tuple[str, ...]) -> None:
    """The admin's log names objects by their text (a person by name, a registration by
    name and address): those texts become "voormalig lid". The entries stay."""
    for text in texts:
        named = Q(object_repr__icontains=text) | Q(change_message__icontains=text)
        LogEntry.objects.filter(named).update(
            object_repr=replace_case_blind("object_repr", text, VOORMALIG_LID),
            change_message=replace_case_blind("change_message", text, VOORMALIG_LID),
        )


@dataclass(frozen=True)
class RetentionResult:
    aanmeldingen_geanonimiseerd: int
    mails_geleegd: int
    bevestigingsmails_verwijderd: int


def apply_retention(*, now: datetime) -> RetentionResult:
    """Remove what the portal no longer needs, by the periods in the settings in force:
    registrations of bijeenkomsten over for RETENTION_AANMELDINGEN_MONTHS are anonymised,
    sent mails older than RETENTION_OUTBOX_DAYS lose their content, and confirmation mails
    of subscriptions nobody confirmed go once their link expired. Idempotent."""
    return RetentionResult(
        aanmeldingen_geanonimiseerd=bijeenkomst_services.anonymise_past_registrations(
            now=now, months=settings.RETENTION_AANMELDINGEN_MONTHS
        ),
        mails_geleegd=outbox.empty_old_mails(
            before=now - timedelta(days=settings.RETENTION_OUTBOX_DAYS)
        ),
        bevestigingsmails_verwijderd=nieuwsbrief_services.forget_unconfirmed_subscriptions(now=now),
    )
