from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WerkplaatsConfig(AppConfig):
    name = "werkplaats"
    verbose_name = "Werkplaats"


class WerkplaatsAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's admin site (werkplaats.admin_site)."""

    default = False  # not the config of the werkplaats app itself
    default_site = "werkplaats.admin_site.WerkplaatsAdminSite"
