from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling, Quotum, Teamlid


@admin.register(Bijeenkomst)
class BijeenkomstAdmin(admin.ModelAdmin):
    list_display = ["titel", "soort", "start", "status", "capaciteit"]
    list_filter = ["status", "soort"]
    search_fields = ["titel", "beschrijving"]
    prepopulated_fields = {"slug": ["titel"]}
    filter_horizontal = ["leerateliers", "themas", "organisaties"]
    date_hierarchy = "start"
    actions = ["cancel_selected"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # Once published, these have consequences a plain save would skip: who has a place
    # (capacity, reservations, the wachtlijst) and the mails with calendar updates (time,
    # place). They change through the coördinator's pages, which call the services.
    SERVICE_FIELDS = [
        "status",
        "capaciteit",
        "wachtlijst_open",
        "wachtlijst_modus",
        "bedenktijd_uren",
        "start",
        "eind",
        "locatie_naam",
        "locatie_adres",
        "locatie_plaats",
        "online_link",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.status == Bijeenkomst.Status.CONCEPT:
            return []
        return self.SERVICE_FIELDS

    @admin.action(
        description=_("Geselecteerde bijeenkomsten annuleren (mailt iedereen)"),
        permissions=["change"],
    )
    def cancel_selected(self, request, queryset):
        for bijeenkomst in queryset:
            try:
                services.cancel_bijeenkomst(bijeenkomst=bijeenkomst, door=request.user)
            except services.RegistrationError as error:
                self.message_user(request, f"{bijeenkomst}: {error}", messages.WARNING)
        self.message_user(request, _("De andere bijeenkomsten zijn geannuleerd."), messages.INFO)


@admin.register(Aanmelding)
class AanmeldingAdmin(admin.ModelAdmin):
    list_display = ["naam", "email", "bijeenkomst", "status", "wachtlijst_volgorde", "aanbod_tot"]
    list_filter = ["status", "bijeenkomst"]
    search_fields = ["naam", "email"]
    readonly_fields = [field.name for field in Aanmelding._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Handeling)
class HandelingAdmin(admin.ModelAdmin):
    """The coördinatoren's log: read only, it is history."""

    list_display = ["op", "bijeenkomst", "soort", "omschrijving", "door"]
    list_filter = ["soort"]
    search_fields = ["omschrijving", "reden", "bijeenkomst__titel"]
    list_select_related = ["bijeenkomst", "door"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Teamlid)
class TeamlidAdmin(admin.ModelAdmin):
    """The teams of bijeenkomsten; organisatoren keep them on the bijeenkomst's team page."""

    list_display = ["persoon", "bijeenkomst", "rol", "organisatie"]
    list_filter = ["rol"]
    search_fields = ["persoon__naam", "persoon__email", "bijeenkomst__titel"]
    list_select_related = ["persoon", "bijeenkomst", "organisatie"]
    raw_id_fields = ["persoon", "bijeenkomst"]


@admin.register(Quotum)
class QuotumAdmin(admin.ModelAdmin):
    """Read only: a quotum changes through the dashboard (`services.save_quotum`), which
    keeps the quota inside the capacity and offers freed places to the wachtlijst."""

    list_display = ["bijeenkomst", "organisatie", "aantal", "tot", "vrijgegeven_op"]
    list_select_related = ["bijeenkomst", "organisatie"]
    search_fields = ["bijeenkomst__titel", "organisatie__naam"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
