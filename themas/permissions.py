"""Who may write updates; used by views and templates alike.

Thematrekker and trekker are per object; a coördinator may write for every thema and
leeratelier through the `themas.change_update` permission of the Coördinator group.
"""

from leerateliers.permissions import is_trekker
from themas.models import Thema, Update


def is_thematrekker(persoon, thema: Thema) -> bool:
    if not persoon.is_authenticated:
        return False
    # Iterating uses the thematrekkers a page already prefetched instead of a query per check.
    return any(trekker.pk == persoon.pk for trekker in thema.thematrekkers.all())


def can_write_update_for(persoon, *, thema=None, leeratelier=None) -> bool:
    """Create, edit, schedule, publish or withdraw updates of this thema or leeratelier."""
    if not persoon.is_authenticated:
        return False
    if persoon.has_perm("themas.change_update"):
        return True
    if thema is not None:
        return is_thematrekker(persoon, thema)
    return leeratelier is not None and is_trekker(persoon, leeratelier)


def can_edit_update(persoon, update: Update) -> bool:
    return can_write_update_for(persoon, thema=update.thema, leeratelier=update.leeratelier)


def can_edit_thema(persoon, thema: Thema) -> bool:
    """Edit the thema page (introduction, invalshoeken, plans, contact people): its
    thematrekkers, or a coördinator."""
    if not persoon.is_authenticated:
        return False
    return persoon.has_perm("themas.change_thema") or is_thematrekker(persoon, thema)
