from django.apps import AppConfig


class WerkplaatsConfig(AppConfig):
    name = "werkplaats"
    verbose_name = "Werkplaats"
