"""Personal links of registrations and invitations.

Each mail that carries a personal link gets a new random token, made the moment the mail is
queued; only its SHA-256 is stored (a `PersoonlijkeLink`), so the link exists in the mail
alone. Links mailed before keep working rather than being rotated out: the QR code of a
confirmation must still open at the door after the reminder the day before brought a new
link. They die with their registration or invitation, and when it is anonymised.
"""

from collections.abc import Sequence

from django.db import transaction

from bijeenkomsten.models import Aanmelding, PersoonlijkeLink, Uitnodiging
from werkplaats.tokens import hash_token, new_token


def _issue_links(objects: Sequence[Aanmelding | Uitnodiging]) -> None:
    """Give each a new personal link, its raw token on `.token` for the mail being queued:
    one INSERT however many."""
    links = []
    for obj in objects:
        obj.token = new_token()
        owner = "aanmelding_id" if isinstance(obj, Aanmelding) else "uitnodiging_id"
        links.append(PersoonlijkeLink(token_hash=hash_token(obj.token), **{owner: obj.pk}))
    PersoonlijkeLink.objects.bulk_create(links, batch_size=1000)


def _issue_tokens(model: type[Aanmelding] | type[Uitnodiging], pks: Sequence[int]) -> list[str]:
    """New personal links for rows known by pk only; their tokens, in the order of `pks`."""
    stand_ins = [model(pk=pk) for pk in pks]
    _issue_links(stand_ins)
    return [stand_in.token for stand_in in stand_ins]


def personal_link(*, aanmelding: Aanmelding) -> str:
    """A new personal link to a registration, for its owner: logged in, or holding a link
    that proves the address. The links mailed before keep working."""
    with transaction.atomic():
        _issue_links([aanmelding])
    return aanmelding.get_absolute_url()
