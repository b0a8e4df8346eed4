"""Signed links for deciding on an arena request from a mail.

The token names the Deelname and the moment of the request it was mailed for, and expires
after DECISION_LINK_MAX_AGE. The page shows the Deelname's request as it stands: "decided"
once decided, and the open request when the person switched to the tribune and back (a
switch that mails the trekkers no new link).
"""

from datetime import datetime, timedelta

from django.core import signing

from leerateliers.models import Deelname

SALT = "leerateliers.arena-besluit"
DECISION_LINK_MAX_AGE = timedelta(days=14)


class InvalidDecisionLink(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "tampered" or "expired"


def make_decision_token(deelname: Deelname) -> str:
    return signing.dumps(
        {"d": deelname.pk, "t": deelname.arena_aangevraagd_op.isoformat()},
        salt=SALT,
        compress=True,
    )


def read_decision_token(token: str) -> tuple[int, datetime]:
    try:
        data = signing.loads(token, salt=SALT, max_age=DECISION_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise InvalidDecisionLink("expired") from error
    except signing.BadSignature as error:
        raise InvalidDecisionLink("tampered") from error
    try:
        return int(data["d"]), datetime.fromisoformat(data["t"])
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidDecisionLink("tampered") from error
