"""Who may see what in the partner network."""


def can_see_profiel(viewer, persoon) -> bool:
    """A profile is for logged-in members, and only when its owner chose to show it.

    The owner always sees their own; a coördinator sees every profile.
    """
    if not viewer.is_authenticated:
        return False
    if viewer.pk == persoon.pk or persoon.profiel_zichtbaar:
        return True
    return viewer.has_perm("netwerk.view_persoon")
