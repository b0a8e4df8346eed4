from django.contrib import admin

from themas.models import Thema
from themas.rendering import render_markdown


@admin.register(Thema)
class ThemaAdmin(admin.ModelAdmin):
    list_display = ["naam", "ondertitel"]
    search_fields = ["naam", "ondertitel"]
    prepopulated_fields = {"slug": ["naam"]}
    autocomplete_fields = ["thematrekkers", "leerateliers"]

    # The admin edits past the services; invalshoeken and contact people are edited on the
    # thema page itself (themas:thema-bewerken), where consent is recorded.
    def save_model(self, request, obj, form, change):
        obj.inleiding_html = render_markdown(obj.inleiding)
        super().save_model(request, obj, form, change)
