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
