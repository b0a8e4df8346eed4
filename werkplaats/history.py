"""What an edit changed, as the rows of a page's history ("Geschiedenis") store it.

A service takes `values()` of an object before and after its change, in its transaction,
and stores `changes()` of the two in its app's history model (a JSON list), so the
history says who changed which field of which part from what to what. Values are kept as
text: a history row is a record of what was shown, not a second copy of the model.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Wijziging(models.Model):
    """The fields every app's history row has: who, when, and `changes()` of the edit."""

    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    op = models.DateTimeField(gettext_lazy("op"), auto_now_add=True)
    wijzigingen = models.JSONField(gettext_lazy("wijzigingen"), default=list)

    class Meta:
        abstract = True
        ordering = ["-op", "-pk"]


def values(obj: models.Model | None, fields: list[str]) -> dict[str, str]:
    """Each field of `obj` as text; a many-to-many field as its sorted names; {} for None."""
    if obj is None:
        return {}
    result = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            result[name] = ", ".join(sorted(str(related) for related in getattr(obj, name).all()))
        elif field.is_relation:
            related = getattr(obj, name)
            result[name] = "" if related is None else str(related)
        else:
            value = getattr(obj, name)
            if isinstance(value, bool):
                value = _("ja") if value else _("nee")
            result[name] = "" if value is None else str(value)
    return result


def changes(
    model: type[models.Model], before: dict[str, str], after: dict[str, str], *, onderdeel=""
) -> list[dict]:
    """One entry per field whose text differs: the part of the page (`onderdeel`, e.g.
    "Invalshoek: Sociaal-artistiek"), the field's label, and the old and new text."""
    return [
        {
            "onderdeel": str(onderdeel),
            "veld": str(model._meta.get_field(name).verbose_name),
            "oud": before.get(name, ""),
            "nieuw": after.get(name, ""),
        }
        for name in dict.fromkeys([*before, *after])
        if before.get(name, "") != after.get(name, "")
    ]
