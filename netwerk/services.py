"""State changes of the network: organisaties, memberships of them, editing a profile,
asking for no more invitations, nieuwsbrief subscriptions (double opt-in, consent,
unsubscribing, pausing after bounces).

A person says which organisatie they are with (sign-up, /mijn/); that is a membership
request. It counts only once confirmed: at once for a verified address on the
organisatie's mail domain, otherwise by a confirmed member of the organisatie or by a
coördinator. Until then the person takes part on their own title.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from netwerk.models import (
    ANONYMOUS_DOMAIN,
    HUIDIGE_TOESTEMMING,
    TOESTEMMINGSTEKSTEN,
    VOORMALIG_LID,
    Abonnement,
    GeenUitnodiging,
    Lidmaatschap,
    Organisatie,
    OrganisatieAlias,
    OrganisatieSamenvoeging,
    OutboxMessage,
    Persoon,
    Toestemming,
    address_hash,
    normalise_organisatie_naam,
    normalize_email_address,
)
from netwerk.outbox import forget_recipient, queue_mail
from werkplaats import cache
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one
from werkplaats.merging import lock_pair, move_references
from werkplaats.slugs import save_with_unique_slug

# A mail server that refuses an address for good (5xx) in this many editions in a row pauses
# the subscription.
REFUSALS_BEFORE_PAUSE = 2
# More members than this are not all mailed about a request; they see it on /mijn/.
MAX_MEMBERS_MAILED = 10
# Switching a request back and forth mails the members of an organisatie once in this time.
MEMBERSHIP_REQUEST_MAIL_WINDOW = timedelta(hours=1)
# One person's membership requests mail the members of at most this many organisaties a day.
MEMBERSHIP_REQUEST_ORGANISATIES_PER_DAY = 3


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
        cache.bump("netwerk")
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
            cache.bump("netwerk")
    return organisatie


def update_profiel(
    *,
    persoon: Persoon,
    naam: str,
    organisatie: Organisatie | None,
    functie: str,
    bio: str,
    profiel_zichtbaar: bool,
    taal: str | None = None,
) -> Persoon:
    """Save one's profile; `taal` (the language of one's mails) stays as it is when None."""
    with transaction.atomic():
        persoon = Persoon.objects.select_for_update().get(pk=persoon.pk)
        persoon.naam = naam
        persoon.organisatie = organisatie
        persoon.functie = functie
        persoon.bio = bio
        persoon.profiel_zichtbaar = profiel_zichtbaar
        if taal is not None:
            persoon.taal = taal
        persoon.full_clean(exclude=["password"])
        persoon.save(
            update_fields=["naam", "organisatie", "functie", "bio", "profiel_zichtbaar", "taal"]
        )
        request_lidmaatschap(persoon=persoon, organisatie=organisatie)
        cache.bump("netwerk")
    return persoon


def set_taal(*, persoon: Persoon, taal: str) -> Persoon:
    """The language a person chose with the site's language switch: their mails follow it.
    An unknown language changes nothing."""
    if taal not in dict(settings.LANGUAGES) or taal == persoon.taal:
        return persoon
    Persoon.objects.filter(pk=persoon.pk).update(taal=taal)
    persoon.taal = taal
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
            return GeenUitnodiging.objects.create(email=email, email_hash=address_hash(email))
    except IntegrityError:
        return _geen_uitnodiging(email)


def _geen_uitnodiging(email: str) -> GeenUitnodiging | None:
    return (
        GeenUitnodiging.objects.annotate(adres=Lower("email"))
        .filter(Q(adres=email) | Q(email_hash=address_hash(email)))
        .first()
    )


def request_lidmaatschap(
    *, persoon: Persoon, organisatie: Organisatie | None, mail_members: bool = True
) -> Lidmaatschap | None:
    """`persoon` says they are with `organisatie` (None: with none).

    Any other open membership ends. Asking again for the same organisatie changes nothing;
    a declined request stays declined (a coördinator can still confirm it). A verified
    address on the organisatie's mail domain confirms at once; otherwise its confirmed
    members get a mail, or, with `mail_members=False` (a sign-up, whose address is not
    verified yet), once the address is verified (`confirm_by_maildomein`).
    """
    with transaction.atomic():
        persoon = lock_one(Persoon.objects, pk=persoon.pk)
        now = timezone.now()
        open_elders = Lidmaatschap.objects.filter(
            persoon=persoon, status__in=Lidmaatschap.OPEN_STATUSSEN
        )
        if organisatie is not None:
            open_elders = open_elders.exclude(organisatie=organisatie)
        # An ended membership is nobody's contactpersoon any more.
        if open_elders.update(
            status=Lidmaatschap.Status.BEEINDIGD, besloten_op=now, is_contactpersoon=False
        ):
            cache.bump("netwerk")
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
        if mail_members:
            _mail_members_about_request(lidmaatschap)
    return lidmaatschap


def confirm_by_maildomein(*, persoon: Persoon) -> Lidmaatschap | None:
    """After an address is verified: a waiting request on the mail domain is confirmed;
    another waiting request whose members never heard of it (one made at sign-up) is mailed
    to them now. A sign-up mails nobody but its own address until that is verified, so it
    queues one mail whether the address is new or known (issue 18, M1)."""
    with transaction.atomic():
        lock_one(Persoon.objects, pk=persoon.pk)
        lidmaatschap = (
            Lidmaatschap.objects.aangevraagd()
            .select_related("organisatie", "persoon")
            .filter(persoon=persoon)
            .first()
        )
        if lidmaatschap is None:
            return None
        if not _on_maildomein(persoon, lidmaatschap.organisatie):
            announced = OutboxMessage.objects.filter(
                key__startswith=(
                    f"netwerk:lidmaatschap-aanvraag:{persoon.pk}:{lidmaatschap.organisatie_id}:"
                )
            ).exists()
            if not announced:
                _mail_members_about_request(lidmaatschap)
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
    # Who speaks for an organisatie shows on ateliers, the directory and profiles.
    cache.bump("netwerk")
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
        language=lidmaatschap.persoon.taal,
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
    """The members hear of a request for their organisatie once an hour at most, however
    often the person switches back and forth, and one person's requests mail the members of
    at most MEMBERSHIP_REQUEST_ORGANISATIES_PER_DAY organisaties a day: the request itself
    stands (members and coördinatoren see it on their pages), only the mail is left out.
    The caller holds the lock on the person, so two requests of one person queue in turn."""
    now = lidmaatschap.aangevraagd_op
    prefix = f"netwerk:lidmaatschap-aanvraag:{lidmaatschap.persoon_id}:"
    recent = set(
        OutboxMessage.objects.filter(
            key__startswith=prefix, created_at__gt=now - timedelta(days=1)
        ).values_list("key", "created_at")
    )
    this_organisatie = f"{prefix}{lidmaatschap.organisatie_id}:"
    if any(
        key.startswith(this_organisatie) and created > now - MEMBERSHIP_REQUEST_MAIL_WINDOW
        for key, created in recent
    ):
        return
    mailed_today = {key.removeprefix(prefix).split(":")[0] for key, _created in recent}
    if (
        str(lidmaatschap.organisatie_id) not in mailed_today
        and len(mailed_today) >= MEMBERSHIP_REQUEST_ORGANISATIES_PER_DAY
    ):
        return
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
            key=f"{this_organisatie}{now.isoformat()}:{member.pk}",
            to=member.email,
            template="netwerk/mail/lidmaatschap_aanvraag",
            language=member.taal,
            context={
                "aanvrager": lidmaatschap.persoon,
                "organisatie": lidmaatschap.organisatie,
                "mijn_path": reverse("netwerk:mijn"),
            },
        )


# The nieuwsbrief: subscribing with double opt-in, consent, unsubscribing, bounces.


class AbonnementError(RuleViolation):
    """A subscription rule refused the change."""


def save_own_subscription(
    *,
    persoon: Persoon,
    leeratelier_ids: Iterable[int] = (),
    thema_ids: Iterable[int] = (),
    language: str | None = None,
    now: datetime | None = None,
) -> Abonnement:
    """A logged-in person subscribes on /mijn/, or changes the interests of their subscription.

    The account's address was verified when it was made, so no confirmation link is needed;
    subscribing (again) records the consent, changing interests does not.
    """
    now = now or timezone.now()
    with transaction.atomic():
        abonnement = Abonnement.objects.select_for_update().filter(email=persoon.email).first()
        if abonnement is not None and abonnement.status == Abonnement.Status.BEVESTIGD:
            _set_interests(abonnement, leeratelier_ids, thema_ids)
            return abonnement
        return subscribe(
            email=persoon.email,
            naam=persoon.naam,
            leeratelier_ids=leeratelier_ids,
            thema_ids=thema_ids,
            tekst_versie=HUIDIGE_TOESTEMMING,
            taal=language or translation.get_language() or settings.LANGUAGE_CODE,
            formulier=Toestemming.Formulier.MIJN,
            gevraagd_op=now,
            bevestigd_op=now,
        )


def subscribe(
    *,
    email: str,
    naam: str,
    leeratelier_ids: Iterable[int],
    thema_ids: Iterable[int],
    tekst_versie: str,
    taal: str,
    formulier: str,
    gevraagd_op: datetime,
    bevestigd_op: datetime,
) -> Abonnement:
    """Confirm the subscription of a proven address and record the consent it gave.

    `tekst_versie`, `taal` and `formulier` say which consent text was shown, in which language
    and where; `gevraagd_op` when it was asked. Confirming the same request twice records one
    consent. A paused or unsubscribed address is subscribed again.
    """
    email = normalize_email_address(email)
    if tekst_versie not in TOESTEMMINGSTEKSTEN:
        raise AbonnementError(_("Deze bevestigingslink klopt niet."))
    with transaction.atomic():
        abonnement = _lock_or_create(email, bevestigd_op)
        if abonnement.toestemmingen.filter(gevraagd_op=gevraagd_op).exists():
            return abonnement  # this request was confirmed before
        abonnement.status = Abonnement.Status.BEVESTIGD
        abonnement.naam = naam.strip() or abonnement.naam
        abonnement.bevestigd_op = bevestigd_op
        abonnement.afgemeld_op = None
        abonnement.afgemeld_via = ""
        abonnement.gepauzeerd_op = None
        abonnement.pauze_reden = ""
        abonnement.weigeringen_op_rij = 0
        abonnement.full_clean(exclude=["token_hash"])
        abonnement.save()
        leerateliers, themas = _set_interests(abonnement, leeratelier_ids, thema_ids)
        with translation.override(taal):
            tekst = str(TOESTEMMINGSTEKSTEN[tekst_versie])
        Toestemming.objects.create(
            abonnement=abonnement,
            tekst_versie=tekst_versie,
            tekst=tekst,
            taal=taal,
            formulier=formulier,
            interesses=[item.naam for item in [*leerateliers, *themas]],
            gevraagd_op=gevraagd_op,
            bevestigd_op=bevestigd_op,
        )
    return abonnement


def _lock_or_create(email: str, now: datetime) -> Abonnement:
    abonnement = Abonnement.objects.select_for_update().filter(email=email).first()
    if abonnement is not None:
        return abonnement
    try:
        with transaction.atomic():
            return Abonnement.objects.create(email=email, aangemeld_op=now, bevestigd_op=now)
    except IntegrityError:
        # A concurrent confirmation of the same address created it first.
        return Abonnement.objects.select_for_update().get(email=email)


def _set_interests(abonnement: Abonnement, leeratelier_ids, thema_ids) -> tuple[list, list]:
    """Keep the interests that exist; a link may name an atelier that was removed since."""
    leeratelier_model = Abonnement.leerateliers.field.related_model
    thema_model = Abonnement.themas.field.related_model
    leerateliers = list(leeratelier_model.objects.filter(pk__in=list(leeratelier_ids)))
    themas = list(thema_model.objects.filter(pk__in=list(thema_ids)))
    abonnement.leerateliers.set(leerateliers)
    abonnement.themas.set(themas)
    return leerateliers, themas


def unsubscribe(*, abonnement: Abonnement, via: str, now: datetime | None = None) -> Abonnement:
    """Stop the nieuwsbrief for this address at once; an edition being sent skips it.

    Unsubscribing twice changes nothing the second time.
    """
    with transaction.atomic():
        abonnement = Abonnement.objects.select_for_update().get(pk=abonnement.pk)
        if abonnement.status == Abonnement.Status.AFGEMELD:
            return abonnement
        abonnement.status = Abonnement.Status.AFGEMELD
        abonnement.afgemeld_op = now or timezone.now()
        abonnement.afgemeld_via = via
        abonnement.save(update_fields=["status", "afgemeld_op", "afgemeld_via"])
    return abonnement


def unsubscribe_own(*, persoon: Persoon) -> Abonnement:
    """A logged-in person stops their own subscription on /mijn/."""
    abonnement = Abonnement.objects.filter(email=persoon.email).first()
    if abonnement is None:
        raise AbonnementError(_("Je bent niet aangemeld voor de nieuwsbrief."))
    return unsubscribe(abonnement=abonnement, via=Abonnement.Via.MIJN)


def record_edition_outcomes(
    *,
    delivered_ids: Iterable[int],
    refused_ids: Iterable[int],
    editie: str,
    now: datetime | None = None,
) -> list[int]:
    """After an edition: a permanent refusal (5xx) extends an address's streak, a delivery
    ends it; REFUSALS_BEFORE_PAUSE editions in a row pause the subscription. Returns the ids
    paused now. Call it once per edition; the ids may be given as a values_list queryset."""
    refused_ids = list(refused_ids)
    with transaction.atomic():
        Abonnement.objects.filter(pk__in=delivered_ids, weigeringen_op_rij__gt=0).update(
            weigeringen_op_rij=0
        )
        Abonnement.objects.filter(pk__in=refused_ids).update(
            weigeringen_op_rij=F("weigeringen_op_rij") + 1
        )
        paused = Abonnement.objects.filter(
            pk__in=refused_ids,
            status=Abonnement.Status.BEVESTIGD,
            weigeringen_op_rij__gte=REFUSALS_BEFORE_PAUSE,
        )
        paused_ids = list(paused.values_list("pk", flat=True))
        Abonnement.objects.filter(pk__in=paused_ids).update(
            status=Abonnement.Status.GEPAUZEERD,
            gepauzeerd_op=now or timezone.now(),
            pauze_reden=_(
                "De mailserver weigerde %(aantal)s edities op rij blijvend, het laatst %(editie)s."
            )
            % {"aantal": REFUSALS_BEFORE_PAUSE, "editie": editie},
        )
    return paused_ids


def forget_persoon(*, persoon: Persoon) -> Persoon:
    """What the network holds of a person who deletes their account (privacy, in the
    caller's transaction; run last, after the other apps, which look people up by address).

    Memberships, the nieuwsbrief subscription with its consent records, e-mail addresses and
    second factors go; of a no-invitations choice only the hash of the address stays, so no
    invitation reaches the address again while it cannot be read back; the outbox forgets
    them (`forget_recipient`). The Persoon row stays, anonymised and unable to log in, so
    what others see keeps its shape: updates by "voormalig lid", counts of ended deelnames.
    """
    from allauth.mfa.models import Authenticator

    email, naam = persoon.email, persoon.naam
    with transaction.atomic():
        Lidmaatschap.objects.filter(persoon=persoon).delete()
        Abonnement.objects.filter(email__iexact=email).delete()
        for row in GeenUitnodiging.objects.filter(email__iexact=email):
            row.email_hash = address_hash(email)
            row.email = ""
            row.save(update_fields=["email", "email_hash"])
        EmailAddress.objects.filter(user=persoon).delete()
        Authenticator.objects.filter(user=persoon).delete()
        forget_recipient(email=email, naam=naam)
        persoon.naam = VOORMALIG_LID
        persoon.email = f"verwijderd-{persoon.pk}@{ANONYMOUS_DOMAIN}"
        persoon.functie = ""
        persoon.bio = ""
        persoon.organisatie = None
        persoon.profiel_zichtbaar = False
        persoon.is_active = False
        persoon.is_staff = False
        persoon.is_superuser = False
        persoon.last_login = None
        # Also ends every other session of theirs: a session's hash of the password no
        # longer matches.
        persoon.set_unusable_password()
        persoon.save()
        persoon.groups.clear()
        persoon.user_permissions.clear()
        cache.bump("netwerk")
    return persoon


# The contactpersoon of an organisatie, and colleagues sharing their registrations.


def choose_contactpersoon(
    *, organisatie: Organisatie, persoon: Persoon, door: Persoon
) -> Lidmaatschap:
    """Make `persoon` (a confirmed member) the organisatie's one contactpersoon; the one
    before them, if any, stops being it. Who may: netwerk.permissions.can_choose_contactpersoon."""
    with transaction.atomic():
        # The organisatie row serialises two choices for one organisatie.
        lock_one(Organisatie.objects, pk=organisatie.pk)
        lidmaatschap = (
            Lidmaatschap.objects.select_for_update()
            .filter(organisatie=organisatie, persoon=persoon, status=Lidmaatschap.Status.BEVESTIGD)
            .first()
        )
        if lidmaatschap is None:
            raise LidmaatschapError(
                _("Alleen een bevestigd lid van de organisatie kan contactpersoon worden.")
            )
        Lidmaatschap.objects.filter(organisatie=organisatie, is_contactpersoon=True).exclude(
            pk=lidmaatschap.pk
        ).update(is_contactpersoon=False)
        if not lidmaatschap.is_contactpersoon:
            lidmaatschap.is_contactpersoon = True
            lidmaatschap.besloten_door = lidmaatschap.besloten_door or door
            lidmaatschap.save(update_fields=["is_contactpersoon", "besloten_door"])
        cache.bump("netwerk")
    return lidmaatschap


def set_deelt_aanmeldingen(*, persoon: Persoon, deelt: bool) -> Persoon:
    """Consent (or its withdrawal) to the contactpersoon seeing one's registrations. Pages
    ask the row each time, so a withdrawal counts from the next request on."""
    Persoon.objects.filter(pk=persoon.pk).update(deelt_aanmeldingen=deelt)
    persoon.deelt_aanmeldingen = deelt
    cache.bump("netwerk")
    return persoon


def set_wil_evaluaties(*, persoon: Persoon, wil: bool) -> Persoon:
    """Consent (or its withdrawal) to the evaluation mail after a bijeenkomst one attended;
    the sending reads the row each time, so a withdrawal counts at once."""
    Persoon.objects.filter(pk=persoon.pk).update(wil_evaluaties=wil)
    persoon.wil_evaluaties = wil
    return persoon


def invite_colleague(*, organisatie: Organisatie, door: Persoon, email: str) -> bool:
    """The contactpersoon invites a colleague to take part as a confirmed member: a mail
    with the way to do it. Once per address and organisatie (asking twice mails once), and
    never to an address that asked for no invitations, nor to a confirmed member already.
    True when a mail was queued."""
    email = normalize_email_address(email)
    if not email or "@" not in email:
        raise LidmaatschapError(_("Vul een geldig e-mailadres in."))
    if (
        Lidmaatschap.objects.bevestigd()
        .filter(organisatie=organisatie, persoon__email=email)
        .exists()
    ):
        raise LidmaatschapError(_("Deze collega is al bevestigd lid van de organisatie."))
    if _geen_uitnodiging(email) is not None:
        return False
    with transaction.atomic():
        account = Persoon.objects.filter(email=email).first()
        queue_mail(
            key=f"netwerk:collega-uitnodiging:{organisatie.pk}:{address_hash(email)}",
            to=email,
            template="netwerk/mail/collega_uitnodiging",
            context={
                "organisatie": organisatie,
                "door": door,
                "heeft_account": account is not None,
                "pad": reverse("netwerk:profiel") if account else reverse("account_signup"),
            },
        )
    return True


# One list of organisaties: merging duplicates.

_LIDMAATSCHAP_STRENGTH = {
    Lidmaatschap.Status.BEVESTIGD: 3,
    Lidmaatschap.Status.AANGEVRAAGD: 2,
    Lidmaatschap.Status.BEEINDIGD: 1,
    Lidmaatschap.Status.AFGEWEZEN: 0,
}


def merge_organisatie(
    *, bron: Organisatie, doel: Organisatie, door: Persoon
) -> OrganisatieSamenvoeging:
    """Merge `bron` into `doel`: memberships, deelnames, registrations, proposals and
    whatever else references it move (werkplaats.merging); `bron`'s name and aliases stay
    findable as aliases of `doel`; the log line says who did it. `bron` is then deleted.

    A person with a membership of both keeps the stronger one (bevestigd over aangevraagd
    over ended), with its contactpersoon role unless `doel` has a contactpersoon already.
    """
    with transaction.atomic():
        bron, doel = lock_pair(
            Organisatie.objects,
            bron_pk=bron.pk,
            doel_pk=doel.pk,
            same_message=_("Een organisatie kan niet met zichzelf worden samengevoegd."),
        )
        bron_naam = bron.naam
        lidmaatschappen = _merge_lidmaatschappen(bron, doel)
        moved = move_references(bron, doel, handled=[(Lidmaatschap, "organisatie")])
        moved["netwerk.lidmaatschap"] = lidmaatschappen
        for naam in [bron_naam, doel.naam]:
            _add_alias(doel, naam)
        if not doel.maildomein and bron.maildomein:
            doel.maildomein = bron.maildomein
            doel.save(update_fields=["maildomein"])
        bron.delete()
        samenvoeging = OrganisatieSamenvoeging.objects.create(
            doel=doel, bron_naam=bron_naam, door=door, verplaatst=moved
        )
        cache.bump("netwerk")
    return samenvoeging


def _merge_lidmaatschappen(bron: Organisatie, doel: Organisatie) -> int:
    in_doel = {
        lidmaatschap.persoon_id: lidmaatschap
        for lidmaatschap in Lidmaatschap.objects.select_for_update().filter(organisatie=doel)
    }
    doel_has_contactpersoon = any(lid.is_contactpersoon for lid in in_doel.values())
    moved = 0
    for lidmaatschap in Lidmaatschap.objects.select_for_update().filter(organisatie=bron):
        other = in_doel.get(lidmaatschap.persoon_id)
        stronger = other is None or (
            _LIDMAATSCHAP_STRENGTH[lidmaatschap.status] > _LIDMAATSCHAP_STRENGTH[other.status]
        )
        if not stronger:
            lidmaatschap.delete()
            continue
        if other is not None:
            # The unique (persoon, organisatie) pair is checked row by row: the weaker first.
            other.delete()
        lidmaatschap.organisatie = doel
        if doel_has_contactpersoon:
            lidmaatschap.is_contactpersoon = False
        lidmaatschap.save(update_fields=["organisatie", "is_contactpersoon"])
        moved += 1
    return moved


def _add_alias(organisatie: Organisatie, naam: str) -> None:
    genormaliseerd = normalise_organisatie_naam(naam)
    if genormaliseerd:
        OrganisatieAlias.objects.get_or_create(
            organisatie=organisatie, genormaliseerd=genormaliseerd, defaults={"naam": naam}
        )


def add_alias(*, organisatie: Organisatie, naam: str) -> None:
    """Remember another spelling of an organisatie's name (matching finds it by it)."""
    _add_alias(organisatie, naam)
