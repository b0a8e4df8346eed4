"""The coördinator role: one Django group, made by the migrations with exactly the
permissions it needs (leerateliers 0004, themas 0004, bijeenkomsten 0002).

Code never checks the group: it asks `has_perm()` through each app's `permissions.py`.
The name is needed only to put someone in the group (the demo, the tests).
"""

from django.contrib.auth.models import Group

COORDINATOR_GROUP = "Coördinator"


def make_coordinator(persoon) -> None:
    """Give `persoon` the coördinator role, exactly as adding them in /beheer/ does."""
    persoon.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
