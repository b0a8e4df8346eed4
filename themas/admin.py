from django.contrib import admin

from themas.models import Thema


@admin.register(Thema)
class ThemaAdmin(admin.ModelAdmin):
    list_display = ["naam", "ondertitel"]
    search_fields = ["naam", "ondertitel"]
    prepopulated_fields = {"slug": ["naam"]}
    autocomplete_fields = ["thematrekkers", "leerateliers"]
