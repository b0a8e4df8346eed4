"""Row locks with a bound: nobody waits forever behind one slow transaction.

`lock_timeout` makes PostgreSQL give up waiting for a row lock after a few seconds; the
request then ends as a `Busy` page ("probeer het zo nog eens") instead of a 500 or a
request that hangs until the proxy gives up.
"""

from django.conf import settings
from django.db import OperationalError, connection

from werkplaats.exceptions import Busy

LOCK_NOT_AVAILABLE = "55P03"


def lock_one(queryset, **lookup):
    """`select_for_update().get(**lookup)` that waits at most LOCK_TIMEOUT_SECONDS.

    Call it inside `transaction.atomic()`; the timeout applies to the rest of that
    transaction (SET LOCAL), which is what a service holding the lock wants.
    """
    if connection.vendor == "postgresql":
        milliseconds = int(settings.LOCK_TIMEOUT_SECONDS * 1000)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{milliseconds}ms"])
    try:
        return queryset.select_for_update().get(**lookup)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise Busy from error
        raise
