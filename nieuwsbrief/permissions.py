"""Who may do what with the nieuwsbrief; used by views and templates alike.

The coördinator's rights are the permissions the Coördinator group gets in nieuwsbrief
migration 0002; a beheerder (superuser) has every permission. Subscribing, unsubscribing
and the archive are for everyone.
"""


def can_compose(persoon) -> bool:
    """Compose an edition, edit and reorder its sections, preview it, send a test."""
    return persoon.is_authenticated and persoon.has_perm("nieuwsbrief.change_editie")


def can_send(persoon) -> bool:
    """Send an edition to the subscribers, or schedule it."""
    return persoon.is_authenticated and persoon.has_perm("nieuwsbrief.send_editie")


def can_send_test_to(persoon, adressen) -> bool:
    """A test mail to these addresses: to one's own address for whoever composes, to anyone
    else only for who may send the edition."""
    if not can_compose(persoon):
        return False
    eigen = (persoon.email or "").strip().lower()
    return can_send(persoon) or all(adres == eigen for adres in adressen)


def can_see_abonnees(persoon) -> bool:
    """The list of subscribers, with the paused ones."""
    return persoon.is_authenticated and persoon.has_perm("netwerk.view_abonnement")
