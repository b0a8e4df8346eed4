from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.db import models
from django.utils.translation import gettext_lazy as _

from netwerk import services
from netwerk.models import Domein, Organisatie, OutboxMessage, Persoon


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
    list_display = ["naam", "email", "organisatie", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "profiel_zichtbaar"]
    list_select_related = ["organisatie"]
    autocomplete_fields = ["organisatie"]
    search_fields = ["naam", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Persoonlijk"),
            {"fields": ["naam", "organisatie", "functie", "bio", "profiel_zichtbaar"]},
        ),
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


@admin.register(Domein)
class DomeinAdmin(admin.ModelAdmin):
    list_display = ["code"]

    def has_add_permission(self, request):
        return False


@admin.register(Organisatie)
class OrganisatieAdmin(admin.ModelAdmin):
    list_display = ["naam", "soort", "plaats", "status", "voorgesteld_door"]
    list_filter = ["status", "soort", "domeinen"]
    search_fields = ["naam", "plaats"]
    prepopulated_fields = {"slug": ["naam"]}
    filter_horizontal = ["domeinen"]
    readonly_fields = ["voorgesteld_door", "aangemaakt_op"]
    list_select_related = ["voorgesteld_door"]
    actions = ["approve"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.action(description=_("Voorgestelde organisaties goedkeuren"), permissions=["change"])
    def approve(self, request, queryset):
        organisaties = list(queryset.filter(status=Organisatie.Status.VOORGESTELD))
        for organisatie in organisaties:
            services.approve_organisatie(organisatie=organisatie)
        self.message_user(
            request, _("%(aantal)s organisaties goedgekeurd.") % {"aantal": len(organisaties)}
        )
