from django.db import models
from django.utils.translation import gettext_lazy as _


class Leeratelier(models.Model):
    """Partners working together on one sociale kwestie, in the arena or on the tribune."""

    naam = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("leeratelier")
        verbose_name_plural = _("leerateliers")
        ordering = ["naam"]

    def __str__(self):
        return self.naam
