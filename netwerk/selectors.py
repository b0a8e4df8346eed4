"""Reads of the partner network."""

import re
from collections.abc import Iterable

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from netwerk.models import (
    Abonnement,
    GeenUitnodiging,
    Lidmaatschap,
    Organisatie,
    OrganisatieAlias,
    OrganisatieSamenvoeging,
    Persoon,
    address_hash,
    normalize_email_address,
)
from werkplaats.tokens import hash_token

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def organisaties_voor_directory() -> QuerySet[Organisatie]:
    return Organisatie.objects.goedgekeurd().prefetch_related("domeinen")


def organisaties_voor_keuze() -> QuerySet[Organisatie]:
    return Organisatie.objects.goedgekeurd().only("pk", "naam", "plaats")


def organisaties_gezocht(
    search: str, *, limit: int, own: Organisatie | None = None
) -> list[Organisatie]:
    """Approved organisaties with every typed word in their name or place, an exact name
    first; `own` (a person's own, perhaps not yet approved, organisatie) counts as approved."""
    words = re.findall(r"\w+", search)
    if not words:
        return []
    found = Organisatie.objects.goedgekeurd()
    if own is not None:
        found = found | Organisatie.objects.filter(pk=own.pk)
    for word in words:
        # A merged organisatie's name (an alias) still finds the one it merged into.
        alias = OrganisatieAlias.objects.filter(organisatie=OuterRef("pk"), naam__icontains=word)
        found = found.filter(Q(naam__icontains=word) | Q(plaats__icontains=word) | Exists(alias))
    exact_first = Case(
        When(naam__iexact=search.strip(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    found = found.only("pk", "naam", "plaats", "status")
    return list(found.order_by(exact_first, "naam", "plaats", "pk")[:limit])


def plaatsen() -> list[str]:
    return list(
        Organisatie.objects.goedgekeurd()
        .exclude(plaats="")
        .order_by("plaats")
        .values_list("plaats", flat=True)
        .distinct()
    )


def bevestigd_lid(*, persoon="persoon", organisatie="organisatie") -> Exists:
    """An expression for other apps' queries: the row's persoon is a confirmed member of
    the row's organisatie. The arguments name the fields of the outer query."""
    return Exists(
        Lidmaatschap.objects.bevestigd().filter(
            persoon=OuterRef(persoon), organisatie=OuterRef(organisatie)
        )
    )


def is_bevestigd_lid(*, persoon, organisatie) -> bool:
    """Whether `persoon` is a confirmed member of `organisatie` (None: never)."""
    if organisatie is None:
        return False
    confirmed = Lidmaatschap.objects.bevestigd()
    return confirmed.filter(persoon=persoon, organisatie=organisatie).exists()


def zichtbare_personen(organisatie: Organisatie) -> QuerySet[Persoon]:
    """Confirmed members who show their profile."""
    return (
        Persoon.objects.filter(
            profiel_zichtbaar=True,
            is_active=True,
            lidmaatschappen__organisatie=organisatie,
            lidmaatschappen__status=Lidmaatschap.Status.BEVESTIGD,
        )
        .only("pk", "naam", "functie")
        .order_by("naam")
    )


def actief_account_met_adres(email: str) -> Persoon | None:
    """The active account of an address, for a form where someone names a person they
    know by address (a spreker): never a list of everyone to choose from."""
    return Persoon.objects.filter(email=normalize_email_address(email), is_active=True).first()


def persoon_voor_profiel(pk: int) -> Persoon:
    """An active person with `organisatie_bevestigd`; raises Persoon.DoesNotExist."""
    return (
        Persoon.objects.filter(is_active=True)
        .select_related("organisatie")
        .annotate(organisatie_bevestigd=bevestigd_lid(persoon="pk"))
        .get(pk=pk)
    )


def lidmaatschap_van(persoon: Persoon) -> Lidmaatschap | None:
    """The person's membership of the organisatie they say they are with, if any."""
    if not persoon.organisatie_id:
        return None
    return (
        Lidmaatschap.objects.filter(persoon=persoon, organisatie_id=persoon.organisatie_id)
        .select_related("organisatie")
        .first()
    )


def te_bevestigen_door_lid(persoon: Persoon) -> QuerySet[Lidmaatschap]:
    """Waiting requests of the organisaties this person is a confirmed member of."""
    organisaties = Lidmaatschap.objects.bevestigd().filter(persoon=persoon).values("organisatie")
    return (
        Lidmaatschap.objects.aangevraagd()
        .filter(organisatie__in=organisaties)
        .exclude(persoon=persoon)
        .select_related("persoon", "organisatie")
        .order_by("aangevraagd_op", "pk")
    )


def te_bevestigen() -> QuerySet[Lidmaatschap]:
    """Every waiting request, for coördinatoren."""
    return (
        Lidmaatschap.objects.aangevraagd()
        .select_related("persoon", "organisatie")
        .order_by("aangevraagd_op", "pk")
    )


def adressen_zonder_uitnodiging(emails: Iterable[str]) -> set[str]:
    """Those of `emails` (lower case) that asked for no more invitations."""
    by_hash = {address_hash(email): email.lower() for email in emails}
    found = GeenUitnodiging.objects.annotate(adres=Lower("email")).filter(
        Q(adres__in=list(by_hash.values())) | Q(email_hash__in=list(by_hash))
    )
    rows = found.values_list("adres", "email_hash")
    return {adres or by_hash[email_hash] for adres, email_hash in rows}


def abonnement_van(persoon) -> Abonnement | None:
    """The subscription of a logged-in person's own address, with its interests."""
    if not persoon.is_authenticated:
        return None
    return (
        Abonnement.objects.prefetch_related("leerateliers", "themas")
        .filter(email=persoon.email)
        .first()
    )


def abonnement_by_token(token: str) -> Abonnement | None:
    """The subscription of a personal unsubscribe link; None for anything else. Only the
    token's hash is stored (werkplaats.tokens)."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return Abonnement.objects.filter(token_hash=hash_token(token)).first()


def ontvangers(*, leeratelier_ids=None, thema_ids=None) -> QuerySet[Abonnement]:
    """Confirmed subscriptions; with ids given, only those interested in one of them."""
    abonnementen = Abonnement.objects.bevestigd()
    if leeratelier_ids is None and thema_ids is None:
        return abonnementen
    return abonnementen.met_interesse_in(
        leeratelier_ids=leeratelier_ids or (), thema_ids=thema_ids or ()
    )


def abonnementen_voor_lijst(*, status: str | None = None) -> QuerySet[Abonnement]:
    abonnementen = Abonnement.objects.prefetch_related("leerateliers", "themas").order_by("email")
    if status:
        abonnementen = abonnementen.filter(status=status)
    return abonnementen


def gegevens_van(persoon) -> dict:
    """What the network holds about a persoon, for their own export (privacy): profile,
    addresses, second factors (their kind, never a secret), memberships, the nieuwsbrief
    subscription with its consent records, the no-invitations choice, and the mails the
    outbox sent them (subject and date). A fixed number of queries."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from netwerk.models import OutboxMessage

    email = persoon.email
    abonnement = (
        Abonnement.objects.prefetch_related("leerateliers", "themas", "toestemmingen")
        .filter(email__iexact=email)
        .first()
    )
    geen_uitnodiging = (
        GeenUitnodiging.objects.filter(Q(email__iexact=email) | Q(email_hash=address_hash(email)))
        .order_by("sinds")
        .first()
    )
    return {
        "profiel": {
            "naam": persoon.naam,
            "email": persoon.email,
            "functie": persoon.functie,
            "bio": persoon.bio,
            "organisatie": persoon.organisatie.naam if persoon.organisatie else None,
            "profiel_zichtbaar": persoon.profiel_zichtbaar,
            "taal": persoon.taal,
            "deelt_aanmeldingen_met_contactpersoon": persoon.deelt_aanmeldingen,
            "wil_evaluaties": persoon.wil_evaluaties,
            "lid_sinds": persoon.date_joined,
            "laatst_ingelogd": persoon.last_login,
        },
        "emailadressen": list(
            EmailAddress.objects.filter(user=persoon)
            .order_by("-primary", "email")
            .values("email", "verified", "primary")
        ),
        "tweede_factoren": list(
            Authenticator.objects.filter(user=persoon)
            .order_by("created_at")
            .values("type", "created_at", "last_used_at")
        ),
        "lidmaatschappen": [
            {
                "organisatie": lidmaatschap.organisatie.naam,
                "status": lidmaatschap.get_status_display(),
                "contactpersoon": lidmaatschap.is_contactpersoon,
                "aangevraagd_op": lidmaatschap.aangevraagd_op,
                "besloten_op": lidmaatschap.besloten_op,
                "bevestigd_via": lidmaatschap.get_bevestigd_via_display(),
            }
            for lidmaatschap in persoon.lidmaatschappen.select_related("organisatie").order_by(
                "aangevraagd_op", "pk"
            )
        ],
        "nieuwsbrief": _abonnement_gegevens(abonnement) if abonnement else None,
        "geen_uitnodigingen_sinds": geen_uitnodiging.sinds if geen_uitnodiging else None,
        "mails": [
            {"onderwerp": subject, "status": status, "aangemaakt_op": created, "verzonden_op": sent}
            for subject, status, created, sent in OutboxMessage.objects.filter(to__iexact=email)
            .order_by("-created_at", "-pk")
            .values_list("subject", "status", "created_at", "sent_at")
        ],
    }


def _abonnement_gegevens(abonnement: Abonnement) -> dict:
    return {
        "email": abonnement.email,
        "naam": abonnement.naam,
        "status": abonnement.get_status_display(),
        "aangemeld_op": abonnement.aangemeld_op,
        "bevestigd_op": abonnement.bevestigd_op,
        "afgemeld_op": abonnement.afgemeld_op,
        "interesse_in_leerateliers": [atelier.naam for atelier in abonnement.leerateliers.all()],
        "interesse_in_themas": [thema.naam for thema in abonnement.themas.all()],
        "toestemmingen": [
            {
                "tekst_versie": toestemming.tekst_versie,
                "tekst": toestemming.tekst,
                "taal": toestemming.taal,
                "formulier": toestemming.get_formulier_display(),
                "interesses": toestemming.interesses,
                "gevraagd_op": toestemming.gevraagd_op,
                "bevestigd_op": toestemming.bevestigd_op,
            }
            for toestemming in abonnement.toestemmingen.all()
        ],
    }


def bevestigde_organisatie_van(persoon) -> Organisatie | None:
    """The organisatie `persoon` speaks for (a confirmed membership), or None."""
    if persoon is None:
        return None
    lidmaatschap = (
        Lidmaatschap.objects.bevestigd().filter(persoon=persoon).select_related("organisatie")
    ).first()
    return lidmaatschap.organisatie if lidmaatschap else None


def is_collega_adres(*, organisatie: Organisatie, email: str) -> bool:
    """Whether an address belongs to a colleague at `organisatie`: its account is a
    confirmed member, or the address is on the organisatie's mail domain."""
    email = normalize_email_address(email)
    domein = organisatie.maildomein.strip().lower()
    if domein and email.rsplit("@", 1)[-1] == domein:
        return True
    return (
        Lidmaatschap.objects.bevestigd()
        .filter(organisatie=organisatie, persoon__email=email)
        .exists()
    )


def geen_collega_adressen(*, organisatie: Organisatie, emails: Iterable[str]) -> list[str]:
    """Of the (normalised) `emails`, those that are no colleague's at `organisatie` (the
    rule of `is_collega_adres`), in their order: one query for all of them."""
    domein = organisatie.maildomein.strip().lower()
    rest = [email for email in emails if not (domein and email.rsplit("@", 1)[-1] == domein)]
    if not rest:
        return []
    leden = set(
        Lidmaatschap.objects.bevestigd()
        .filter(organisatie=organisatie, persoon__email__in=rest)
        .values_list("persoon__email", flat=True)
    )
    return [email for email in rest if email not in leden]


def bevestigde_leden(organisatie: Organisatie) -> QuerySet[Lidmaatschap]:
    """The confirmed memberships of an organisatie, for its members' page."""
    return (
        Lidmaatschap.objects.bevestigd()
        .filter(organisatie=organisatie)
        .select_related("persoon")
        .order_by("-is_contactpersoon", "persoon__naam", "pk")
    )


def contactpersoon_van(organisatie: Organisatie) -> Persoon | None:
    lidmaatschap = (
        Lidmaatschap.objects.bevestigd()
        .filter(organisatie=organisatie, is_contactpersoon=True)
        .select_related("persoon")
        .first()
    )
    return lidmaatschap.persoon if lidmaatschap else None


def laatste_samenvoegingen(limit: int = 20):
    return OrganisatieSamenvoeging.objects.select_related("doel", "door")[:limit]
