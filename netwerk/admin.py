from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from netwerk import outbox, services
from netwerk.models import (
    Abonnement,
    Domein,
    Lidmaatschap,
    Organisatie,
    OutboxMessage,
    Persoon,
    Toestemming,
)
from werkplaats.exceptions import RuleViolation


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
            {"fields": ["naam", "organisatie", "functie", "bio", "profiel_zichtbaar", "taal"]},
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
    list_display = [
        "subject",
        "to",
        "status",
        "attempts",
        "created_at",
        "sending_started_at",
        "sent_at",
    ]
    list_filter = ["status"]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        onbekend = 0
        if request.method == "GET":  # not again on the POST of an action
            onbekend = OutboxMessage.objects.filter(status=OutboxMessage.Status.ONBEKEND).count()
        if onbekend:
            self.message_user(
                request,
                ngettext(
                    "%(aantal)s mail heeft status onbekend: het versturen begon, maar de "
                    "uitkomst is nooit vastgelegd. Misschien is hij aangekomen, daarom wordt "
                    "hij niet vanzelf opnieuw verstuurd. Ga bij de ontvanger na of hij er is "
                    "en kies anders ‘Opnieuw versturen’.",
                    "%(aantal)s mails hebben status onbekend: het versturen begon, maar de "
                    "uitkomst is nooit vastgelegd. Misschien zijn ze aangekomen, daarom worden "
                    "ze niet vanzelf opnieuw verstuurd. Ga bij de ontvangers na of ze er zijn "
                    "en kies anders ‘Opnieuw versturen’.",
                    onbekend,
                )
                % {"aantal": onbekend},
                level=messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Opnieuw versturen"), permissions=["change"])
    def resend(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        queued = outbox.resend(message_ids=selected)
        self.message_user(
            request,
            ngettext(
                "%(aantal)s mail staat weer in de wachtrij.",
                "%(aantal)s mails staan weer in de wachtrij.",
                len(queued),
            )
            % {"aantal": len(queued)},
        )
        if len(queued) < len(selected):
            self.message_user(
                request,
                _(
                    "Alleen mails met status onbekend of mislukt worden opnieuw verstuurd; "
                    "%(aantal)s overgeslagen."
                )
                % {"aantal": len(selected) - len(queued)},
                level=messages.WARNING,
            )


class ToestemmingInline(admin.TabularInline):
    model = Toestemming
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in Toestemming._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Abonnement)
class AbonnementAdmin(admin.ModelAdmin):
    """Subscriptions start through the confirmation link; the consent records stay as given.
    The hash of the unsubscribe link is never shown (it is not editable)."""

    list_display = ["email", "naam", "status", "bevestigd_op", "weigeringen_op_rij"]
    list_filter = ["status", "afgemeld_via"]
    search_fields = ["email", "naam"]
    readonly_fields = [
        "email",
        "aangemeld_op",
        "bevestigd_op",
        "afgemeld_op",
        "afgemeld_via",
        "gepauzeerd_op",
        "pauze_reden",
        "weigeringen_op_rij",
    ]
    filter_horizontal = ["leerateliers", "themas"]
    inlines = [ToestemmingInline]

    def has_add_permission(self, request):
        return False


@admin.register(Domein)
class DomeinAdmin(admin.ModelAdmin):
    list_display = ["code"]

    def has_add_permission(self, request):
        return False


@admin.register(Organisatie)
class OrganisatieAdmin(admin.ModelAdmin):
    list_display = ["naam", "soort", "plaats", "maildomein", "status", "voorgesteld_door"]
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
            services.approve_organisatie(organisatie=organisatie, door=request.user)
        self.message_user(
            request, _("%(aantal)s organisaties goedgekeurd.") % {"aantal": len(organisaties)}
        )


@admin.register(Lidmaatschap)
class LidmaatschapAdmin(admin.ModelAdmin):
    list_display = ["persoon", "organisatie", "status", "bevestigd_via", "aangevraagd_op"]
    list_filter = ["status", "bevestigd_via"]
    search_fields = ["persoon__naam", "persoon__email", "organisatie__naam"]
    list_select_related = ["persoon", "organisatie"]
    readonly_fields = [field.name for field in Lidmaatschap._meta.fields]
    actions = ["confirm", "decline"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Bevestigen"), permissions=["change"])
    def confirm(self, request, queryset):
        self._decide(request, queryset, services.confirm_lidmaatschap)

    @admin.action(description=_("Afwijzen"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, services.decline_lidmaatschap)

    def _decide(self, request, queryset, service):
        done = 0
        for lidmaatschap in queryset.filter(status=Lidmaatschap.Status.AANGEVRAAGD):
            try:
                service(lidmaatschap=lidmaatschap, door=request.user)
            except RuleViolation as error:
                self.message_user(request, str(error), level=messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(aantal)s lidmaatschappen verwerkt.") % {"aantal": done})
