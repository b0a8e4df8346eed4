"""Who may write and publish kennisproducten; used by views and templates alike.

A product belongs to the leerateliers and thema's it is tagged with: their trekkers and
thematrekkers write and publish it, and coördinatoren do so for every product through the
`kennisbank.change_kennisproduct` permission of the Coördinator group. Kennisdossiers are
curated by coördinatoren (`kennisbank.change_kennisdossier`).
"""

from kennisbank.models import Kennisproduct
from leerateliers.permissions import is_trekker
from themas.permissions import is_thematrekker


def can_write_products(persoon) -> bool:
    """Start a new product: who leads a leeratelier or thema, or a coördinator."""
    if not persoon.is_authenticated:
        return False
    return (
        persoon.has_perm("kennisbank.add_kennisproduct")
        or persoon.getrokken_leerateliers.exists()
        or persoon.getrokken_themas.exists()
    )


def can_edit_product(persoon, product: Kennisproduct) -> bool:
    """Edit, publish or withdraw `product`."""
    if not persoon.is_authenticated:
        return False
    if persoon.has_perm("kennisbank.change_kennisproduct"):
        return True
    return any(is_trekker(persoon, atelier) for atelier in product.leerateliers.all()) or any(
        is_thematrekker(persoon, thema) for thema in product.themas.all()
    )


def can_see_product(persoon, product: Kennisproduct) -> bool:
    """A published product is for everyone; a concept or withdrawn one for its writers."""
    return product.is_gepubliceerd or can_edit_product(persoon, product)


def can_manage_kennisbank(persoon) -> bool:
    """Every product, whoever leads its ateliers or thema's: a coördinator."""
    return persoon.is_authenticated and persoon.has_perm("kennisbank.change_kennisproduct")


def can_curate_dossiers(persoon) -> bool:
    """Start, edit and fill kennisdossiers, and see one before it is published."""
    return persoon.is_authenticated and persoon.has_perm("kennisbank.change_kennisdossier")
