"""Who may do what with leerateliers; used by views and templates alike.

Trekker is per object (a member of `Leeratelier.trekkers`); the coördinator's rights come
from the permissions of the Coördinator group.
"""

from leerateliers.models import Deelname, Leeratelier, LerendePraktijk


def is_trekker(persoon, leeratelier: Leeratelier) -> bool:
    if not persoon.is_authenticated:
        return False
    # Known from the page's own query (selectors.leeratelier_voor_pagina), else from the
    # trekkers, prefetched where a page checks many.
    known = getattr(leeratelier, "trekker_bekend", {})
    if persoon.pk in known:
        return known[persoon.pk]
    return any(trekker.pk == persoon.pk for trekker in leeratelier.trekkers.all())


def can_decide_deelname(persoon, deelname: Deelname) -> bool:
    """Approve or decline an arena request: a trekker of that atelier, or a coördinator."""
    if not persoon.is_authenticated:
        return False
    return persoon.has_perm("leerateliers.change_deelname") or is_trekker(
        persoon, deelname.leeratelier
    )


def can_manage_deelname(persoon, deelname: Deelname) -> bool:
    """Switch rol or leave: only the person it belongs to."""
    return persoon.is_authenticated and deelname.persoon_id == persoon.pk


def can_merge_leeratelier(persoon) -> bool:
    return persoon.is_authenticated and persoon.has_perm("leerateliers.merge_leeratelier")


def can_edit_leeratelier(persoon, leeratelier: Leeratelier) -> bool:
    """Edit the atelier's page and add or edit its lerende praktijken: its trekkers, or a
    coördinator."""
    if not persoon.is_authenticated:
        return False
    # The trekker first: known from the page's own query, where has_perm() reads the rights.
    return is_trekker(persoon, leeratelier) or persoon.has_perm("leerateliers.change_leeratelier")


def can_edit_lerende_praktijk(persoon, praktijk: LerendePraktijk) -> bool:
    if not persoon.is_authenticated:
        return False
    return persoon.has_perm("leerateliers.change_lerendepraktijk") or is_trekker(
        persoon, praktijk.leeratelier
    )
