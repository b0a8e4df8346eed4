from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BijeenkomstenConfig(AppConfig):
    name = "bijeenkomsten"
    verbose_name = _("Bijeenkomsten")

    def ready(self):
        from bijeenkomsten.selectors import tijdgrenzen
        from werkplaats import cache

        # What visitors see of bijeenkomsten also changes when one starts or ends.
        cache.register_clock("bijeenkomsten", tijdgrenzen)
