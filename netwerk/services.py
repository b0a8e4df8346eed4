"""State changes of the network: organisaties, memberships of them, editing a profile,
asking for no more invitations.

A person says which organisatie they are with (sign-up, /mijn/); that is a membership
request. It counts only once confirmed: at once for a verified address on the
organisatie's mail domain, otherwise by a confirmed member of the organisatie or by a
coördinator. Until then the person takes part on their own title.
"""

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerk.models import (
    GeenUitnodiging,
    Lidmaatschap,
    Organisatie,
    Persoon,
    normalize_email_address,
)
from netwerk.outbox import queue_mail
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one
from werkplaats.slugs import save_with_unique_slug

# More members than this are not all mailed about a request; they see it on /mijn/.
MAX_MEMBERS_MAILED = 10


class LidmaatschapError(RuleViolation):
    """A membership decision that the rules refuse."""


def propose_organisatie(*, naam: str, plaats: str = "", door: Persoon) -> Organisatie:
    """A person signing up proposes an organisatie that is not in the directory yet.

    It stays out of the directory until a coördinator approves it; the person asks to be
    its member at once, and approving the organisatie confirms that.
    """
    with transaction.atomic():
        organisatie = Organisatie(
            naam=naam.strip(),
            plaats=plaats.strip(),
            status=Organisatie.Status.VOORGESTELD,
            voorgesteld_door=door,
        )
        organisatie.full_clean(exclude=["slug"])
        save_with_unique_slug(organisatie, text=naam, fallback="organisatie")
        Persoon.objects.filter(pk=door.pk).update(organisatie=organisatie)
        door.organisatie = organisatie
        request_lidmaatschap(persoon=door, organisatie=organisatie)
    return organisatie


def approve_organisatie(*, organisatie: Organisatie, door: Persoon | None = None) -> Organisatie:
    """Show a proposed organisatie in the directory; its proposer becomes its member."""
    with transaction.atomic():
        organisatie = Organisatie.objects.select_for_update().get(pk=organisatie.pk)
        if organisatie.status != Organisatie.Status.GOEDGEKEURD:
            organisatie.status = Organisatie.Status.GOEDGEKEURD
            organisatie.save(update_fields=["status"])
            voorstel = (
                Lidmaatschap.objects.aangevraagd()
                .filter(organisatie=organisatie, persoon_id=organisatie.voorgesteld_door_id)
                .first()
            )
            if voorstel is not None:
                _decide(voorstel, door=door, via=Lidmaatschap.Via.COORDINATOR, confirm=True)
    return organisatie


def update_profiel(
    *,
    persoon: Persoon,
    naam: str,
    organisatie: Organisatie | None,
    functie: str,
    bio: str,
    profiel_zichtbaar: bool,
) -> Persoon:
    with transaction.atomic():
        persoon = Persoon.objects.select_for_update().get(pk=persoon.pk)
        persoon.naam = naam
        persoon.organisatie = organisatie
        persoon.functie = functie
        persoon.bio = bio
        persoon.profiel_zichtbaar = profiel_zichtbaar
        persoon.full_clean(exclude=["password"])
        persoon.save(update_fields=["naam", "organisatie", "functie", "bio", "profiel_zichtbaar"])
        request_lidmaatschap(persoon=persoon, organisatie=organisatie)
    return persoon


def opt_out_of_invitations(*, email: str) -> GeenUitnodiging:
    """Put an address on the list no invitation reaches; asking again changes nothing."""
    email = normalize_email_address(email)
    existing = _geen_uitnodiging(email)
    if existing is not None:
        return existing
    try:
        # A savepoint: two clicks at once both insert, the unique index keeps one.
        with transaction.atomic():
            return GeenUitnodiging.objects.create(email=email)
    except IntegrityError:
        return _geen_uitnodiging(email)


def _geen_uitnodiging(email: str) -> GeenUitnodiging | None:
    return GeenUitnodiging.objects.annotate(adres=Lower("email")).filter(adres=email).first()


def request_lidmaatschap(
    *, persoon: Persoon, organisatie: Organisatie | None
) -> Lidmaatschap | None:
    """`persoon` says they are with `organisatie` (None: with none).

    Any other open membership ends. Asking again for the same organisatie changes nothing;
    a declined request stays declined (a coördinator can still confirm it). A verified
    address on the organisatie's mail domain confirms at once; otherwise its confirmed
    members get a mail.
    """
    with transaction.atomic():
        persoon = lock_one(Persoon.objects, pk=persoon.pk)
        now = timezone.now()
        open_elders = Lidmaatschap.objects.filter(
            persoon=persoon, status__in=Lidmaatschap.OPEN_STATUSSEN
        )
        if organisatie is not None:
            open_elders = open_elders.exclude(organisatie=organisatie)
        open_elders.update(status=Lidmaatschap.Status.BEEINDIGD, besloten_op=now)
        if organisatie is None:
            return None
        lidmaatschap, created = Lidmaatschap.objects.get_or_create(
            persoon=persoon, organisatie=organisatie, defaults={"aangevraagd_op": now}
        )
        if not created:
            if lidmaatschap.status != Lidmaatschap.Status.BEEINDIGD:
                return lidmaatschap
            lidmaatschap.status = Lidmaatschap.Status.AANGEVRAAGD
            lidmaatschap.aangevraagd_op = now
            lidmaatschap.besloten_op = None
            lidmaatschap.besloten_door = None
            lidmaatschap.bevestigd_via = ""
            lidmaatschap.save()
        if _on_maildomein(persoon, organisatie):
            return _decide(lidmaatschap, door=None, via=Lidmaatschap.Via.MAILDOMEIN, confirm=True)
        _mail_members_about_request(lidmaatschap)
    return lidmaatschap


def confirm_by_maildomein(*, persoon: Persoon) -> Lidmaatschap | None:
    """After an address is verified: a waiting request on the mail domain is confirmed."""
    with transaction.atomic():
        lidmaatschap = (
            Lidmaatschap.objects.aangevraagd()
            .select_related("organisatie")
            .filter(persoon=persoon)
            .first()
        )
        if lidmaatschap is None or not _on_maildomein(persoon, lidmaatschap.organisatie):
            return None
        return _decide(lidmaatschap, door=None, via=Lidmaatschap.Via.MAILDOMEIN, confirm=True)


def confirm_lidmaatschap(*, lidmaatschap: Lidmaatschap, door: Persoon) -> Lidmaatschap:
    """A confirmed member or a coördinator confirms; the person gets a mail."""
    with transaction.atomic():
        lidmaatschap = _lock_waiting(lidmaatschap)
        return _decide(lidmaatschap, door=door, via=_via(door, lidmaatschap), confirm=True)


def decline_lidmaatschap(*, lidmaatschap: Lidmaatschap, door: Persoon) -> Lidmaatschap:
    """A confirmed member or a coördinator declines; the person takes part on their own
    title and gets a mail."""
    with transaction.atomic():
        lidmaatschap = _lock_waiting(lidmaatschap)
        return _decide(lidmaatschap, door=door, via="", confirm=False)


def _lock_waiting(lidmaatschap: Lidmaatschap) -> Lidmaatschap:
    locked = (
        Lidmaatschap.objects.select_for_update()
        .select_related("persoon", "organisatie")
        .filter(pk=lidmaatschap.pk)
        .first()
    )
    if locked is None or locked.status != Lidmaatschap.Status.AANGEVRAAGD:
        raise LidmaatschapError(_("Over dit lidmaatschap is al besloten."))
    return locked


def _via(door: Persoon, lidmaatschap: Lidmaatschap) -> str:
    is_member = (
        Lidmaatschap.objects.bevestigd()
        .filter(persoon=door, organisatie_id=lidmaatschap.organisatie_id)
        .exists()
    )
    return Lidmaatschap.Via.LID if is_member else Lidmaatschap.Via.COORDINATOR


def _decide(
    lidmaatschap: Lidmaatschap, *, door: Persoon | None, via: str, confirm: bool
) -> Lidmaatschap:
    now = timezone.now()
    lidmaatschap.status = (
        Lidmaatschap.Status.BEVESTIGD if confirm else Lidmaatschap.Status.AFGEWEZEN
    )
    lidmaatschap.bevestigd_via = via if confirm else ""
    lidmaatschap.besloten_op = now
    lidmaatschap.besloten_door = door
    lidmaatschap.full_clean()
    lidmaatschap.save()
    queue_mail(
        key=f"netwerk:lidmaatschap-besluit:{lidmaatschap.pk}:{now.isoformat()}",
        to=lidmaatschap.persoon.email,
        template="netwerk/mail/lidmaatschap_besluit",
        context={
            "lidmaatschap": lidmaatschap,
            "organisatie": lidmaatschap.organisatie,
            "bevestigd": confirm,
            "mijn_path": reverse("netwerk:mijn"),
        },
    )
    return lidmaatschap


def _on_maildomein(persoon: Persoon, organisatie: Organisatie) -> bool:
    domein = organisatie.maildomein.strip().lower()
    if not domein or persoon.email.rsplit("@", 1)[-1].lower() != domein:
        return False
    return EmailAddress.objects.filter(
        user=persoon, email__iexact=persoon.email, verified=True
    ).exists()


def _mail_members_about_request(lidmaatschap: Lidmaatschap) -> None:
    members = (
        Persoon.objects.filter(
            is_active=True,
            lidmaatschappen__organisatie_id=lidmaatschap.organisatie_id,
            lidmaatschappen__status=Lidmaatschap.Status.BEVESTIGD,
        )
        .exclude(pk=lidmaatschap.persoon_id)
        .order_by("pk")[:MAX_MEMBERS_MAILED]
    )
    for member in members:
        queue_mail(
            key=(
                f"netwerk:lidmaatschap-aanvraag:{lidmaatschap.pk}:"
                f"{lidmaatschap.aangevraagd_op.isoformat()}:{member.pk}"
            ),
            to=member.email,
            template="netwerk/mail/lidmaatschap_aanvraag",
            context={
                "aanvrager": lidmaatschap.persoon,
                "organisatie": lidmaatschap.organisatie,
                "mijn_path": reverse("netwerk:mijn"),
            },
        )
