from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Thema(models.Model):
    """A professionaliseringsthema: knowledge built across the leerateliers."""

    naam = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    ondertitel = models.CharField(_("ondertitel"), max_length=300, blank=True)
    inleiding = models.TextField(_("inleiding"), blank=True)
    wat_gaan_we_doen = models.TextField(
        _("wat gaan we doen?"),
        blank=True,
        help_text=_("Eén activiteit per regel."),
    )
    thematrekkers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thematrekkers"),
        related_name="getrokken_themas",
        blank=True,
    )
    leerateliers = models.ManyToManyField(
        "leerateliers.Leeratelier",
        verbose_name=_("leerateliers die het kruist"),
        related_name="themas",
        blank=True,
    )

    class Meta:
        verbose_name = _("professionaliseringsthema")
        verbose_name_plural = _("professionaliseringsthema's")
        ordering = ["naam"]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("themas:detail", kwargs={"slug": self.slug})

    @property
    def activiteiten(self) -> list[str]:
        return [regel.strip() for regel in self.wat_gaan_we_doen.splitlines() if regel.strip()]
