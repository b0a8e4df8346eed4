from django.contrib import admin
from django.db import models

from kennisbank.models import DossierOnderdeel, Kennisdossier, Kennisproduct
from themas.rendering import render_markdown
from werkplaats import cache


@admin.register(Kennisproduct)
class KennisproductAdmin(admin.ModelAdmin):
    """For beheerders; trekkers and coördinatoren write products on the portal itself
    (kennisbank:nieuw), where the file is checked by content. Here the file is shown, not
    replaced."""

    list_display = ["titel", "soort", "jaar", "status", "gepubliceerd_op"]
    list_filter = ["status", "soort", "fase"]
    search_fields = ["titel", "samenvatting"]
    readonly_fields = ["bestand", "bestand_type", "bestand_grootte", "gepubliceerd_op"]
    autocomplete_fields = ["auteurs", "organisaties", "leerateliers", "themas"]
    raw_id_fields = ["lerende_praktijk", "bijeenkomst"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        obj.tekst_html = render_markdown(obj.tekst)
        super().save_model(request, obj, form, change)
        cache.bump("kennisbank")


class DossierOnderdeelInline(admin.TabularInline):
    model = DossierOnderdeel
    extra = 1
    raw_id_fields = ["product", "update", "bijeenkomst"]


@admin.register(Kennisdossier)
class KennisdossierAdmin(admin.ModelAdmin):
    list_display = ["titel", "gepubliceerd"]
    search_fields = ["titel", "samenvatting"]
    prepopulated_fields = {"slug": ["titel"]}
    inlines = [DossierOnderdeelInline]

    def save_model(self, request, obj, form, change):
        obj.inleiding_html = render_markdown(obj.inleiding)
        super().save_model(request, obj, form, change)
        cache.bump("kennisbank")
