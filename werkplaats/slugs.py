"""The one slug helper: a readable, unique slug, also when two writers race for it."""

import itertools
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.text import slugify

# Room for "-" and a counter at the end of a slug that is cut to the field's length.
SUFFIX_ROOM = 6


def save_with_unique_slug(
    instance, *, text: str, fallback: str, field: str = "slug", reserved: Iterable[str] = ()
):
    """Give a new `instance` a slug made from `text` and save it.

    `reserved` are slugs a URL of the app already uses beside the object's own
    (`kennisbank/nieuw/` beside `kennisbank/<slug>/`): never given, so no page is hidden.

    The first free candidate of `text`, `text-2`, `text-3` … is taken. A concurrent writer
    may take the same candidate between our check and our insert; the unique index then
    refuses ours and the next candidate is tried, so both writers succeed. Call it inside
    the service's transaction: the insert runs in a savepoint.
    """
    max_length = instance._meta.get_field(field).max_length
    base = (slugify(text) or fallback)[: max_length - SUFFIX_ROOM].strip("-") or fallback
    manager = type(instance)._default_manager
    for number in itertools.count(1):
        candidate = base if number == 1 else f"{base}-{number}"
        if candidate in reserved or manager.filter(**{field: candidate}).exists():
            continue
        setattr(instance, field, candidate)
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
        except IntegrityError:
            # Another unique rule than the slug's: not ours to retry.
            if not manager.filter(**{field: candidate}).exists():
                raise
            continue
        return instance
    raise AssertionError("unreachable")
