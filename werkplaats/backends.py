"""The one authentication backend: allauth's (log-in by e-mail address), with a person's
permissions read without Django's two queries per request where they cannot matter.

Every logged-in page that asks `has_perm` (whether to show a coördinator's link or button)
paid for two queries, the person's own permissions and those of their groups, mostly to
learn that a partner or trekker has none. Loading the person for the request now also tells
whether they have any group or permission at all (two EXISTS in the same query); only those
who do get their permissions read, in one query. Both are read anew for each request, so a
change of rights counts from the next request on, as before. The same query tells whether
they are in the team of any bijeenkomst (`in_een_team`), so only team members have their
roles read (bijeenkomsten.permissions.teamrollen).
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.annotate(
                heeft_rechten=Exists(_rows_of(model.groups))
                | Exists(_rows_of(model.user_permissions)),
                in_een_team=Exists(
                    apps.get_model("bijeenkomsten", "Teamlid").objects.filter(
                        persoon=OuterRef("pk")
                    )
                ),
            ).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if not user_obj.is_superuser and getattr(user_obj, "heeft_rechten", True) is False:
                user_obj._perm_cache = set()
            else:
                user_obj._perm_cache = _permissions_of(user_obj)
        return user_obj._perm_cache


def _rows_of(relation):
    """The rows of a many-to-many relation of the person (their groups, their permissions)."""
    field = relation.field
    return field.remote_field.through.objects.filter(**{field.m2m_field_name(): OuterRef("pk")})


def _permissions_of(user) -> set[str]:
    permissions = Permission.objects.all()
    if not user.is_superuser:
        permissions = permissions.filter(Q(user=user) | Q(group__user=user))
    rows = permissions.values_list("content_type__app_label", "codename").order_by()
    return {f"{app_label}.{codename}" for app_label, codename in rows}
