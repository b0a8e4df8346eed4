"""Merging two rows of one model into one: the shared pattern of the leeratelier merge and
the organisatie merge.

`lock_pair()` locks both rows in a fixed order (by pk), so two merges of the same pair in
opposite directions cannot deadlock, and refuses a merge of a row with itself.
`move_references()` repoints everything else that references the merged row (foreign keys
and many-to-many rows of any app, found through the model's meta, so the owning app names
no app above it); the caller first handles, by its own rules, the references it knows
better (memberships, deelnames), and passes them as `handled`.
"""

from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from werkplaats.exceptions import RuleViolation


def lock_pair(queryset: models.QuerySet, *, bron_pk: int, doel_pk: int, same_message: str):
    """(bron, doel), both locked with `select_for_update`, in pk order."""
    if bron_pk == doel_pk:
        raise RuleViolation(same_message)
    locked = {
        row.pk: row
        for row in queryset.select_for_update().filter(pk__in=[bron_pk, doel_pk]).order_by("pk")
    }
    if len(locked) != 2:
        raise queryset.model.DoesNotExist
    return locked[bron_pk], locked[doel_pk]


def move_references(bron: models.Model, doel: models.Model, *, handled=()) -> dict[str, int]:
    """Repoint every foreign key and many-to-many row that references `bron` to `doel`.

    A row that would then duplicate one `doel` already has (a unique constraint says no)
    is dropped: `doel` already has what it said. `handled` lists the (model, field name)
    pairs the caller moved itself. Returns, per "app_label.model", how many rows moved.
    """
    moved: dict[str, int] = {}
    skip = {(model._meta.label_lower, name) for model, name in handled}
    for relation in type(bron)._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many:
            field = relation.field
            through = field.remote_field.through
            source = field.m2m_reverse_field_name()
            key = (model._meta.label_lower, field.name)
            if key in skip:
                continue
            count = _repoint(through.objects.filter(**{source: bron}), source, doel)
        else:
            name = relation.field.name
            if (model._meta.label_lower, name) in skip:
                continue
            count = _repoint(model._base_manager.filter(**{name: bron}), name, doel)
        if count:
            moved[model._meta.label_lower] = moved.get(model._meta.label_lower, 0) + count
    # The merged row's own many-to-many fields (domeinen, voorwaarden …): doel gets them too.
    for field in type(bron)._meta.many_to_many:
        getattr(doel, field.name).add(*getattr(bron, field.name).all())
    return moved


def _repoint(rows: models.QuerySet, field_name: str, doel) -> int:
    try:
        with transaction.atomic():
            return rows.update(**{field_name: doel})
    except IntegrityError:
        pass
    # Some would duplicate a row of doel: move them one by one, dropping the duplicates.
    count = 0
    for row in rows:
        try:
            with transaction.atomic():
                setattr(row, field_name, doel)
                row.save(update_fields=[field_name])
                count += 1
        except IntegrityError:
            try:
                with transaction.atomic():
                    type(row)._base_manager.filter(pk=row.pk).delete()
            except ProtectedError as error:
                # The duplicate cannot just go: others hang on it (a quotum with its
                # registrations, say). The caller's transaction rolls the merge back.
                raise RuleViolation(
                    _(
                        "Samenvoegen kan niet: beide hebben een %(soort)s voor hetzelfde "
                        "(%(rij)s), waar nog andere gegevens aan vastzitten. Haal er eerst één "
                        "weg of pas die aan."
                    )
                    % {"soort": type(row)._meta.verbose_name, "rij": row}
                ) from error
    return count
