from django.db import models
from django.utils.translation import gettext_lazy as _


class Thema(models.Model):
    """A professionaliseringsthema: knowledge built across the leerateliers."""

    naam = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("professionaliseringsthema")
        verbose_name_plural = _("professionaliseringsthema's")
        ordering = ["naam"]

    def __str__(self):
        return self.naam
