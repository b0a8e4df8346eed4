from django.contrib import admin

from nieuwsbrief.models import Bezorging, Editie, Sectie


class SectieInline(admin.StackedInline):
    model = Sectie
    extra = 0
    fields = ["volgorde", "soort", "titel", "tekst"]
    readonly_fields = ["soort"]


@admin.register(Editie)
class EditieAdmin(admin.ModelAdmin):
    """Editions are composed and sent in the portal; here they are read and corrected."""

    list_display = ["titel", "status", "verzenden_op", "verzending_gestart_op", "verzonden_op"]
    list_filter = ["status"]
    search_fields = ["titel"]
    readonly_fields = [
        "slug",
        "status",
        "updates_vanaf",
        "updates_tot",
        "verzending_gestart_op",
        "verzonden_op",
        "aantal_ontvangers",
        "onderwerp",
        "aangemaakt_door",
    ]
    exclude = ["doel_leerateliers", "doel_themas"]
    inlines = [SectieInline]

    def has_add_permission(self, request):
        return False


@admin.register(Bezorging)
class BezorgingAdmin(admin.ModelAdmin):
    """What happened to each address of an edition; never resent from here."""

    list_display = ["email", "editie", "status", "pogingen", "smtp_code", "verzonden_op"]
    list_filter = ["status", "editie"]
    search_fields = ["email"]
    list_select_related = ["editie"]
    # The hash of the unsubscribe token is not editable, so never shown.
    readonly_fields = [field.name for field in Bezorging._meta.fields if field.name != "token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
