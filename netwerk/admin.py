from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from netwerk.models import OutboxMessage, Persoon


class PersoonCreationForm(BaseUserCreationForm):
    class Meta:
        model = Persoon
        fields = ["email", "naam"]


class PersoonChangeForm(UserChangeForm):
    class Meta:
        model = Persoon
        fields = "__all__"


@admin.register(Persoon)
class PersoonAdmin(UserAdmin):
    add_form = PersoonCreationForm
    form = PersoonChangeForm
    ordering = ["naam"]
    list_display = ["naam", "email", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["naam", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Persoonlijk"), {"fields": ["naam"]}),
        (
            _("Rechten"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "naam", "password1", "password2"]}),
    ]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False
