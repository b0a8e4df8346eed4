from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from leerateliers import services
from leerateliers.models import Deelname, Leeratelier, LerendePraktijk, Voorwaarde
from themas.rendering import render_markdown


@admin.register(Voorwaarde)
class VoorwaardeAdmin(admin.ModelAdmin):
    list_display = ["naam", "volgorde"]
    prepopulated_fields = {"slug": ["naam"]}


class LerendePraktijkInline(admin.StackedInline):
    model = LerendePraktijk
    extra = 0
    autocomplete_fields = ["partners"]
    filter_horizontal = ["voorwaarden"]


@admin.register(Leeratelier)
class LeeratelierAdmin(admin.ModelAdmin):
    list_display = ["naam", "sociale_kwestie", "status", "samengevoegd_in", "startdatum"]
    list_filter = ["status", "voorwaarden"]
    search_fields = ["naam", "sociale_kwestie"]
    prepopulated_fields = {"slug": ["naam"]}
    autocomplete_fields = ["trekkers"]
    filter_horizontal = ["voorwaarden"]
    # Merging has rules (deelnames and praktijken move): only through the service.
    readonly_fields = ["samengevoegd_in"]
    inlines = [LerendePraktijkInline]

    # The admin edits past the services: the pages show the rendered text, so render it here.
    def save_model(self, request, obj, form, change):
        obj.beschrijving_html = render_markdown(obj.beschrijving)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for praktijk in formset.save(commit=False):
            praktijk.beschrijving_html = render_markdown(praktijk.beschrijving)
            praktijk.save()
        formset.save_m2m()
        for praktijk in formset.deleted_objects:
            praktijk.delete()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == Leeratelier.Status.SAMENGEVOEGD:
            fields.append("status")
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            kwargs["choices"] = [
                (value, label)
                for value, label in Leeratelier.Status.choices
                if value != Leeratelier.Status.SAMENGEVOEGD
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(Deelname)
class DeelnameAdmin(admin.ModelAdmin):
    list_display = ["persoon", "leeratelier", "organisatie", "rol", "status", "aangemaakt_op"]
    list_filter = ["status", "rol", "leeratelier"]
    search_fields = ["persoon__naam", "persoon__email", "organisatie__naam"]
    list_select_related = ["persoon", "leeratelier", "organisatie"]
    date_hierarchy = "aangemaakt_op"
    # State changes go through the services (with their mails): the admin only reads.
    readonly_fields = [field.name for field in Deelname._meta.fields]
    actions = ["approve", "decline"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Arena-aanvraag goedkeuren"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, services.approve_arena)

    @admin.action(description=_("Arena-aanvraag afwijzen"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, services.decline_arena)

    def _decide(self, request, queryset, decide):
        done = 0
        for deelname in queryset.arena_aanvragen():
            try:
                decide(deelname=deelname, door=request.user)
                done += 1
            except services.DeelnameError:
                pass
        self.message_user(request, _("%(aantal)s aanvragen verwerkt.") % {"aantal": done})


@admin.register(LerendePraktijk)
class LerendePraktijkAdmin(admin.ModelAdmin):
    list_display = ["titel", "leeratelier", "startdatum", "einddatum"]
    list_filter = ["leeratelier", "voorwaarden"]
    search_fields = ["titel"]
    autocomplete_fields = ["partners"]
    filter_horizontal = ["voorwaarden"]

    def save_model(self, request, obj, form, change):
        obj.beschrijving_html = render_markdown(obj.beschrijving)
        super().save_model(request, obj, form, change)
