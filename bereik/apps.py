from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BereikConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bereik"
    verbose_name = _("bereik")
