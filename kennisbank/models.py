"""What the werkplaats learns, kept findable: kennisproducten and the kennisdossiers that
gather them around one subject."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from werkplaats.zoekindex import ZoekvectorField

MARKDOWN_HELP = _("Markdown: **vet**, *schuin*, [link](https://…), lijstjes, ## kopjes.")


def _bestanden():
    # Not the media storage: a concept's file must not be reachable at a URL of its own.
    return storages["kennisbank"]


def bestand_pad(product, filename: str) -> str:
    """A name the portal chooses (never the uploader's), keeping only the checked suffix."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"producten/{uuid.uuid4().hex}{suffix}"


class KennisproductQuerySet(models.QuerySet):
    def gepubliceerd(self):
        return self.filter(status=Kennisproduct.Status.GEPUBLICEERD)

    def voor_lijst(self):
        return self.only(
            "pk",
            "titel",
            "slug",
            "soort",
            "samenvatting",
            "jaar",
            "fase",
            "gepubliceerd_op",
            "bestand_type",
            "link",
        ).order_by("-gepubliceerd_op", "-pk")


class Kennisproduct(models.Model):
    """A publication, tool, report, podcast …: an uploaded file or a link, tagged so that it
    is found by voorwaarde, leeratelier, thema and Toolbox fase."""

    class Soort(models.TextChoices):
        PUBLICATIE = "publicatie", _("publicatie")
        TOOL = "tool", _("tool of werkvorm")
        HANDREIKING = "handreiking", _("handreiking")
        ONDERZOEKSRAPPORT = "onderzoeksrapport", _("onderzoeksrapport")
        DRAAIBOEK = "draaiboek", _("draaiboek")
        PODCAST = "podcast", _("podcast")
        VIDEO = "video", _("video")
        PRESENTATIE = "presentatie", _("presentatie")

    class Fase(models.TextChoices):
        """The four phases of the Toolbox voor samenwerken in de wijk (seed 003)."""

        VERKENNEN = "verkennen", _("verkennen")
        VORMGEVEN = "vormgeven", _("vormgeven")
        VERDIEPEN = "verdiepen", _("verdiepen")
        VERANKEREN = "verankeren", _("verankeren")

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        GEPUBLICEERD = "gepubliceerd", _("gepubliceerd")
        INGETROKKEN = "ingetrokken", _("ingetrokken")

    class Licentie(models.TextChoices):
        CC_BY = "cc-by-4.0", "CC BY 4.0"
        CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
        CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
        CC_BY_NC_SA = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
        CC0 = "cc0-1.0", "CC0 1.0"
        VOORBEHOUDEN = "voorbehouden", _("alle rechten voorbehouden")

    class BestandType(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        PPTX = "pptx", "PowerPoint (PPTX)"
        XLSX = "xlsx", "Excel (XLSX)"

    titel = models.CharField(_("titel"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    samenvatting = models.CharField(_("samenvatting"), max_length=600)
    tekst = models.TextField(_("toelichting"), blank=True, help_text=MARKDOWN_HELP)
    tekst_html = models.TextField(_("toelichting als HTML"), blank=True, editable=False)

    auteurs = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteurs van het portaal"),
        related_name="kennisproducten",
        blank=True,
    )
    overige_auteurs = models.TextField(
        _("overige auteurs"), blank=True, help_text=_("Eén naam per regel.")
    )
    organisaties = models.ManyToManyField(
        "netwerk.Organisatie",
        verbose_name=_("organisaties"),
        related_name="kennisproducten",
        blank=True,
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    datum = models.DateField(_("datum"), null=True, blank=True)
    taal = models.CharField(_("taal"), max_length=8, choices=settings.LANGUAGES, default="nl")
    licentie = models.CharField(
        _("licentie"), max_length=20, choices=Licentie.choices, default=Licentie.CC_BY
    )

    bestand = models.FileField(
        _("bestand"), upload_to=bestand_pad, storage=_bestanden, blank=True, max_length=200
    )
    bestand_type = models.CharField(
        _("soort bestand"), max_length=8, choices=BestandType.choices, blank=True
    )
    bestand_grootte = models.PositiveIntegerField(_("grootte in bytes"), default=0)
    bestand_tekst = models.TextField(_("tekst uit het bestand"), blank=True, editable=False)
    link = models.URLField(_("link"), max_length=500, blank=True)
    identifier = models.CharField(
        _("persistente identifier"),
        max_length=300,
        blank=True,
        help_text=_("Een DOI (10.…), handle of Sharekit-URL, als die er is."),
    )

    voorwaarden = models.ManyToManyField(
        "leerateliers.Voorwaarde",
        verbose_name=_("voorwaarden"),
        related_name="kennisproducten",
        blank=True,
    )
    leerateliers = models.ManyToManyField(
        "leerateliers.Leeratelier",
        verbose_name=_("leerateliers"),
        related_name="kennisproducten",
        blank=True,
    )
    themas = models.ManyToManyField(
        "themas.Thema", verbose_name=_("thema's"), related_name="kennisproducten", blank=True
    )
    fase = models.CharField(_("Toolbox-fase"), max_length=12, choices=Fase.choices, blank=True)
    lerende_praktijk = models.ForeignKey(
        "leerateliers.LerendePraktijk",
        verbose_name=_("komt uit de lerende praktijk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kennisproducten",
    )
    bijeenkomst = models.ForeignKey(
        "bijeenkomsten.Bijeenkomst",
        verbose_name=_("komt uit de bijeenkomst"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kennisproducten",
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    gepubliceerd_op = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    # Filled by PostgreSQL for the search (werkplaats.zoekindex).
    zoekvector = ZoekvectorField()

    objects = KennisproductQuerySet.as_manager()

    class Meta:
        verbose_name = _("kennisproduct")
        verbose_name_plural = _("kennisproducten")
        ordering = ["-gepubliceerd_op", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(bestand="") & ~Q(link="")) | (~Q(bestand="") & Q(link="")),
                name="kennisproduct_bestand_of_link",
                violation_error_message=_("Voeg een bestand toe of geef een link, niet allebei."),
            ),
            models.CheckConstraint(
                condition=Q(bestand="") | ~Q(bestand_type=""),
                name="kennisproduct_bestand_heeft_type",
            ),
            models.CheckConstraint(
                condition=~Q(status="gepubliceerd") | Q(gepubliceerd_op__isnull=False),
                name="kennisproduct_gepubliceerd_heeft_tijd",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "gepubliceerd_op"], name="kennisproduct_status_idx"),
            models.Index(fields=["soort"], name="kennisproduct_soort_idx"),
            models.Index(fields=["fase"], name="kennisproduct_fase_idx"),
            models.Index(fields=["jaar"], name="kennisproduct_jaar_idx"),
        ]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse("kennisbank:detail", kwargs={"slug": self.slug})

    @property
    def is_gepubliceerd(self) -> bool:
        return self.status == self.Status.GEPUBLICEERD

    @property
    def overige_auteurs_lijst(self) -> list[str]:
        return [naam.strip() for naam in self.overige_auteurs.splitlines() if naam.strip()]

    @property
    def identifier_url(self) -> str:
        """The identifier as a link a reader can follow: a DOI or handle through its
        resolver, a URL as it is."""
        value = self.identifier.strip()
        if value.startswith("10."):
            return f"https://doi.org/{value}"
        if value.startswith(("http://", "https://")):
            return value
        if value.startswith("hdl:"):
            return f"https://hdl.handle.net/{value.removeprefix('hdl:')}"
        return ""


class KennisdossierQuerySet(models.QuerySet):
    def gepubliceerd(self):
        return self.filter(gepubliceerd=True)


class Kennisdossier(models.Model):
    """A curated, ordered collection of products, updates and bijeenkomsten around one
    subject (seed 002: ervaringsdeskundigheid), with an introduction."""

    titel = models.CharField(_("titel"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    samenvatting = models.CharField(_("samenvatting"), max_length=600)
    inleiding = models.TextField(_("inleiding"), blank=True, help_text=MARKDOWN_HELP)
    inleiding_html = models.TextField(_("inleiding als HTML"), blank=True, editable=False)
    gepubliceerd = models.BooleanField(_("gepubliceerd"), default=False)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = KennisdossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("kennisdossier")
        verbose_name_plural = _("kennisdossiers")
        ordering = ["titel"]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse("kennisbank:dossier", kwargs={"slug": self.slug})


class DossierOnderdeel(models.Model):
    """One entry of a kennisdossier: a product, an update or a bijeenkomst, in order."""

    dossier = models.ForeignKey(
        Kennisdossier,
        verbose_name=_("kennisdossier"),
        on_delete=models.CASCADE,
        related_name="onderdelen",
    )
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    product = models.ForeignKey(
        Kennisproduct,
        verbose_name=_("kennisproduct"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    update = models.ForeignKey(
        "themas.Update",
        verbose_name=_("update"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    bijeenkomst = models.ForeignKey(
        "bijeenkomsten.Bijeenkomst",
        verbose_name=_("bijeenkomst"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    toelichting = models.CharField(_("toelichting"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("onderdeel van een kennisdossier")
        verbose_name_plural = _("onderdelen van een kennisdossier")
        ordering = ["volgorde", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(product__isnull=False, update__isnull=True, bijeenkomst__isnull=True)
                    | Q(product__isnull=True, update__isnull=False, bijeenkomst__isnull=True)
                    | Q(product__isnull=True, update__isnull=True, bijeenkomst__isnull=False)
                ),
                name="dossieronderdeel_een_ding",
                violation_error_message=_(
                    "Een onderdeel is precies één kennisproduct, update of bijeenkomst."
                ),
            )
        ]

    def __str__(self):
        return str(self.product or self.update or self.bijeenkomst)
