from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The rights of the people the portal holds data about (AVG): see and take one's data,
    delete one's account, and how long the portal keeps what. The top of the rule chain:
    deleting an account ends things in every other app, through that app's own services."""

    name = "privacy"
    verbose_name = _("Privacy")
