"""Who may do what with bijeenkomsten; used by views and templates alike."""

from django.contrib.auth.models import Group

from bijeenkomsten.models import Bijeenkomst

COORDINATOR_GROUP = "coördinator"


def coordinator_group() -> Group:
    group, _created = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    return group


def is_coordinator(persoon) -> bool:
    if not persoon or not persoon.is_authenticated or not persoon.is_active:
        return False
    return persoon.is_superuser or persoon.groups.filter(name=COORDINATOR_GROUP).exists()


def can_manage(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Change capacity, cancel registrations on someone's behalf, see the attendee list."""
    return is_coordinator(persoon)


def can_view(persoon, bijeenkomst: Bijeenkomst) -> bool:
    return bijeenkomst.status != Bijeenkomst.Status.CONCEPT or is_coordinator(persoon)
