"""The one exception a service raises when a rule refuses a change.

Every app's service errors derive from `RuleViolation`. Its message is already translated
and meant for the person who tried: views show `str(error)`. Nothing was changed when it
is raised.
"""


class RuleViolation(Exception):
    """A rule refused the change; `str(error)` is the translated reason for the person."""


class Busy(Exception):
    """A lock was not granted within the lock timeout; nothing changed, try again soon."""


class TooManyRequests(Exception):
    """A client reached a limit of werkplaats.ratelimit; nothing was done or mailed."""

    def __init__(self, *, retry_after: int):
        super().__init__(f"rate limit reached, retry after {retry_after} s")
        self.retry_after = retry_after
