from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WerkplaatsConfig(AppConfig):
    name = "werkplaats"
    verbose_name = "Werkplaats"


class WerkplaatsAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site of werkplaats/admin.py."""

    default = False  # named in INSTALLED_APPS; werkplaats itself keeps WerkplaatsConfig
    default_site = "werkplaats.admin.WerkplaatsAdminSite"
