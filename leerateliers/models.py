from django.conf import settings
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkplaats.history import Wijziging
from werkplaats.zoekindex import ZoekvectorField

MARKDOWN_HELP = _("Markdown: **vet**, *schuin*, [link](https://…), lijstjes, ## kopjes.")


class Voorwaarde(models.Model):
    """One of the four conditions of Sociale Kwaliteit."""

    naam = models.CharField(_("naam"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    beschrijving = models.CharField(_("beschrijving"), max_length=300, blank=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("voorwaarde")
        verbose_name_plural = _("voorwaarden")
        ordering = ["volgorde", "naam"]

    def __str__(self):
        return self.naam


class LeeratelierQuerySet(models.QuerySet):
    def actief(self):
        return self.filter(status=Leeratelier.Status.ACTIEF)

    def zichtbaar(self):
        """What the public lists show: everything except ateliers merged into another."""
        return self.exclude(status=Leeratelier.Status.SAMENGEVOEGD)

    def met_aantallen(self):
        open_deelname = Q(deelnames__status=Deelname.Status.ACTIEF)
        return self.annotate(
            aantal_arena=Count(
                "deelnames", filter=open_deelname & Q(deelnames__rol=Deelname.Rol.ARENA)
            ),
            aantal_tribune=Count(
                "deelnames", filter=open_deelname & Q(deelnames__rol=Deelname.Rol.TRIBUNE)
            ),
        ).order_by("naam", "pk")

    def voor_lijst(self):
        return self.met_aantallen().prefetch_related(
            Prefetch("voorwaarden", queryset=Voorwaarde.objects.order_by("volgorde"))
        )


class Leeratelier(models.Model):
    """Partners working together on one sociale kwestie, in the arena or on the tribune."""

    class Status(models.TextChoices):
        ACTIEF = "actief", _("actief")
        SAMENGEVOEGD = "samengevoegd", _("samengevoegd")
        BEEINDIGD = "beeindigd", _("beëindigd")

    naam = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    sociale_kwestie = models.CharField(_("sociale kwestie"), max_length=200, blank=True)
    samenvatting = models.CharField(_("samenvatting"), max_length=400, blank=True)
    beschrijving = models.TextField(_("beschrijving"), blank=True, help_text=MARKDOWN_HELP)
    beschrijving_html = models.TextField(_("beschrijving als HTML"), blank=True, editable=False)
    trekkers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trekkers"),
        related_name="getrokken_leerateliers",
        blank=True,
        help_text=_(
            "Hun naam en functie staan openbaar op de pagina van het leeratelier, ook als hun "
            "profiel niet zichtbaar is: dat hoort bij de rol. Zeg het ze als je ze toevoegt."
        ),
    )
    voorwaarden = models.ManyToManyField(
        Voorwaarde, verbose_name=_("voorwaarden"), related_name="leerateliers", blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIEF, db_index=True
    )
    samengevoegd_in = models.ForeignKey(
        "self",
        verbose_name=_("samengevoegd in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="samengevoegde_leerateliers",
    )
    startdatum = models.DateField(_("startdatum"), null=True, blank=True)
    einddatum = models.DateField(_("einddatum"), null=True, blank=True)

    # Filled by PostgreSQL for the search (werkplaats.zoekindex).
    zoekvector = ZoekvectorField()

    objects = LeeratelierQuerySet.as_manager()

    class Meta:
        verbose_name = _("leeratelier")
        verbose_name_plural = _("leerateliers")
        ordering = ["naam"]
        permissions = [("merge_leeratelier", _("Mag leerateliers samenvoegen"))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="samengevoegd", samengevoegd_in__isnull=False)
                    | (~Q(status="samengevoegd") & Q(samengevoegd_in__isnull=True))
                ),
                name="leeratelier_samengevoegd_heeft_doel",
                violation_error_message=_(
                    "Een samengevoegd leeratelier hoort bij precies één ander leeratelier."
                ),
            ),
        ]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("leerateliers:detail", kwargs={"slug": self.slug})


class DeelnameQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Deelname.OPEN_STATUSSEN)

    def actief(self):
        return self.filter(status=Deelname.Status.ACTIEF)

    def arena_aanvragen(self):
        """Open deelnames waiting for a trekker's decision on the arena."""
        return self.open().filter(arena_aangevraagd_op__isnull=False)


class Deelname(models.Model):
    """A person's participation in a leeratelier, for their organisatie or as an individual.

    A fresh arena request is `aangevraagd`; a tribune member asking for the arena stays an
    active tribune member until the decision. Both carry `arena_aangevraagd_op`.
    """

    class Rol(models.TextChoices):
        ARENA = "arena", _("arena")
        TRIBUNE = "tribune", _("tribune")

    class Status(models.TextChoices):
        AANGEVRAAGD = "aangevraagd", _("aangevraagd")
        ACTIEF = "actief", _("actief")
        AFGEWEZEN = "afgewezen", _("afgewezen")
        BEEINDIGD = "beeindigd", _("beëindigd")

    OPEN_STATUSSEN = (Status.AANGEVRAAGD, Status.ACTIEF)

    leeratelier = models.ForeignKey(
        Leeratelier,
        verbose_name=_("leeratelier"),
        on_delete=models.CASCADE,
        related_name="deelnames",
    )
    persoon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persoon"),
        on_delete=models.CASCADE,
        related_name="deelnames",
    )
    organisatie = models.ForeignKey(
        "netwerk.Organisatie",
        verbose_name=_("namens organisatie"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deelnames",
    )
    rol = models.CharField(_("rol"), max_length=10, choices=Rol.choices)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices)
    arena_aangevraagd_op = models.DateTimeField(_("arena aangevraagd op"), null=True, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    besloten_op = models.DateTimeField(_("besloten op"), null=True, blank=True)
    besloten_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besloten door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    beeindigd_op = models.DateTimeField(_("beëindigd op"), null=True, blank=True)

    objects = DeelnameQuerySet.as_manager()

    class Meta:
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")
        ordering = ["-aangemaakt_op"]
        constraints = [
            models.UniqueConstraint(
                fields=["persoon", "leeratelier"],
                condition=Q(status__in=["aangevraagd", "actief"]),
                name="deelname_een_open_per_persoon_per_leeratelier",
                violation_error_message=_("Je doet al mee aan dit leeratelier."),
            ),
            models.CheckConstraint(
                condition=~Q(status="aangevraagd") | Q(rol="arena"),
                name="deelname_aanvraag_is_voor_arena",
            ),
        ]
        indexes = [
            models.Index(fields=["leeratelier", "status", "rol"], name="deelname_atelier_idx"),
            models.Index(fields=["organisatie", "status"], name="deelname_organisatie_idx"),
            models.Index(
                fields=["leeratelier"],
                condition=Q(arena_aangevraagd_op__isnull=False),
                name="deelname_aanvraag_idx",
            ),
        ]

    def __str__(self):
        return f"{self.persoon} · {self.leeratelier} · {self.get_rol_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSSEN

    @property
    def wacht_op_arena(self) -> bool:
        return self.is_open and self.arena_aangevraagd_op is not None


class LerendePraktijk(models.Model):
    """A practice where partners of a leeratelier work and learn on its questions."""

    titel = models.CharField(_("titel"), max_length=200)
    beschrijving = models.TextField(_("beschrijving"), blank=True, help_text=MARKDOWN_HELP)
    beschrijving_html = models.TextField(_("beschrijving als HTML"), blank=True, editable=False)
    leeratelier = models.ForeignKey(
        Leeratelier,
        verbose_name=_("leeratelier"),
        on_delete=models.CASCADE,
        related_name="lerende_praktijken",
    )
    partners = models.ManyToManyField(
        "netwerk.Organisatie",
        verbose_name=_("partnerorganisaties"),
        related_name="lerende_praktijken",
        blank=True,
    )
    startdatum = models.DateField(_("startdatum"), null=True, blank=True)
    einddatum = models.DateField(_("einddatum"), null=True, blank=True)
    voorwaarden = models.ManyToManyField(
        Voorwaarde, verbose_name=_("voorwaarden"), related_name="lerende_praktijken", blank=True
    )

    # Filled by PostgreSQL for the search (werkplaats.zoekindex).
    zoekvector = ZoekvectorField()

    class Meta:
        verbose_name = _("lerende praktijk")
        verbose_name_plural = _("lerende praktijken")
        ordering = ["titel"]

    def __str__(self):
        return self.titel


class LeeratelierWijziging(Wijziging):
    """Who changed what on a leeratelier page or one of its lerende praktijken, and when
    (werkplaats.history)."""

    leeratelier = models.ForeignKey(
        Leeratelier,
        verbose_name=_("leeratelier"),
        on_delete=models.CASCADE,
        related_name="wijzigingen",
    )
    lerende_praktijk = models.ForeignKey(
        LerendePraktijk,
        verbose_name=_("lerende praktijk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wijzigingen",
    )

    class Meta(Wijziging.Meta):
        verbose_name = _("wijziging van een leeratelier")
        verbose_name_plural = _("wijzigingen van leerateliers")

    def __str__(self):
        return f"{self.leeratelier} · {self.op:%Y-%m-%d %H:%M}"
