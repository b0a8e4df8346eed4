"""Who may see what in the partner network."""

from netwerk.models import Lidmaatschap


def can_see_profiel(viewer, persoon) -> bool:
    """A profile is for logged-in members, and only when its owner chose to show it.

    The owner always sees their own; a coördinator sees every profile.
    """
    if not viewer.is_authenticated:
        return False
    if viewer.pk == persoon.pk or persoon.profiel_zichtbaar:
        return True
    return viewer.has_perm("netwerk.view_persoon")


def can_decide_lidmaatschappen(user) -> bool:
    """Coördinatoren confirm or decline any membership request."""
    return user.is_authenticated and user.has_perm("netwerk.change_lidmaatschap")


def can_decide_lidmaatschap(user, lidmaatschap) -> bool:
    """A coördinator, or a confirmed member of the organisatie; never the person asking."""
    if not user.is_authenticated or user.pk == lidmaatschap.persoon_id:
        return False
    if can_decide_lidmaatschappen(user):
        return True
    return (
        Lidmaatschap.objects.bevestigd()
        .filter(persoon=user, organisatie_id=lidmaatschap.organisatie_id)
        .exists()
    )


def _contactpersoon_of(user, organisatie_id) -> bool:
    return (
        organisatie_id is not None
        and Lidmaatschap.objects.bevestigd()
        .filter(persoon=user, organisatie_id=organisatie_id, is_contactpersoon=True)
        .exists()
    )


def is_contactpersoon(user, organisatie) -> bool:
    return user.is_authenticated and _contactpersoon_of(user, organisatie.pk)


def can_view_organisatie_leden(user, organisatie) -> bool:
    """The members' page of an organisatie: its confirmed members and coördinatoren."""
    if not user.is_authenticated:
        return False
    if can_decide_lidmaatschappen(user):
        return True
    return Lidmaatschap.objects.bevestigd().filter(persoon=user, organisatie=organisatie).exists()


def can_choose_contactpersoon(user, organisatie) -> bool:
    """A coördinator, or the organisatie's contactpersoon (who hands the role on)."""
    return user.is_authenticated and (
        can_decide_lidmaatschappen(user) or _contactpersoon_of(user, organisatie.pk)
    )


def can_act_for_colleagues(user, organisatie) -> bool:
    """Register colleagues and invite them to confirm their membership: the contactpersoon."""
    return is_contactpersoon(user, organisatie)


def _colleague_organisatie_id(persoon) -> int | None:
    return (
        Lidmaatschap.objects.bevestigd()
        .filter(persoon=persoon)
        .values_list("organisatie_id", flat=True)
        .first()
    )


def is_contactpersoon_for(user, persoon) -> bool:
    """`user` is the contactpersoon of the organisatie `persoon` is a confirmed member of."""
    if not user.is_authenticated or persoon is None:
        return False
    return _contactpersoon_of(user, _colleague_organisatie_id(persoon))


def can_see_aanmeldingen_of(user, persoon) -> bool:
    """A person's registrations: their own, and their contactpersoon's only while they
    consent (read from the row every time, so a withdrawal counts at once)."""
    if not user.is_authenticated or persoon is None:
        return False
    if user.pk == persoon.pk:
        return True
    return bool(persoon.deelt_aanmeldingen) and is_contactpersoon_for(user, persoon)


def can_hand_on(user, aanmelding) -> bool:
    """Give a registration's place to a colleague: its own person, or their contactpersoon
    while they consent to it seeing their registrations."""
    persoon = aanmelding.persoon
    return persoon is not None and can_see_aanmeldingen_of(user, persoon)


def can_register_group(user) -> bool:
    """Register colleagues together for a bijeenkomst: any confirmed member of an
    organisatie (the contactpersoon among them); which addresses are colleagues' the service
    checks (bijeenkomsten.services.groups)."""
    return user.is_authenticated and Lidmaatschap.objects.bevestigd().filter(persoon=user).exists()


def can_claim_group(user, groep) -> bool:
    """The places offered to a waiting group: claimed by whoever registered it."""
    return user.is_authenticated and groep.aangemeld_door_id == user.pk


def can_merge_organisaties(user) -> bool:
    return user.is_authenticated and user.has_perm("netwerk.merge_organisatie")


def organisatie_als_contactpersoon(user):
    """The organisatie `user` is contactpersoon of, or None."""
    if not user.is_authenticated:
        return None
    lidmaatschap = (
        Lidmaatschap.objects.bevestigd()
        .filter(persoon=user, is_contactpersoon=True)
        .select_related("organisatie")
        .first()
    )
    return lidmaatschap.organisatie if lidmaatschap else None
