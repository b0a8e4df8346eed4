import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class BijeenkomstQuerySet(models.QuerySet):
    def gepubliceerd(self):
        return self.filter(status=Bijeenkomst.Status.GEPUBLICEERD)

    def zichtbaar(self):
        """What visitors may see: published ones, and cancelled ones with their notice."""
        return self.filter(
            status__in=[Bijeenkomst.Status.GEPUBLICEERD, Bijeenkomst.Status.GEANNULEERD]
        )

    def komend(self, now=None):
        return self.filter(eind__gte=now or timezone.now()).order_by("start", "pk")

    def voorbij(self, now=None):
        return self.filter(eind__lt=now or timezone.now()).order_by("-start", "-pk")

    def met_bezetting(self):
        """Annotates `bezet` (Aanmelding.TAKEN_STATUSES) and `wachtend` for lists and pages."""
        return self.annotate(
            bezet=models.Count(
                "aanmeldingen",
                filter=models.Q(aanmeldingen__status__in=Aanmelding.TAKEN_STATUSES),
                distinct=True,
            ),
            wachtend=models.Count(
                "aanmeldingen",
                filter=models.Q(aanmeldingen__status=Aanmelding.Status.WACHTLIJST),
                distinct=True,
            ),
        )

    def voor_lijst(self):
        return self.prefetch_related("leerateliers", "themas").met_bezetting()


class Bijeenkomst(models.Model):
    """A meeting people register for: capacity, a wachtlijst and a registration window."""

    class Soort(models.TextChoices):
        SYMPOSIUM = "symposium", _("symposium")
        TRIBUNEBIJEENKOMST = "tribunebijeenkomst", _("tribunebijeenkomst")
        ARENABIJEENKOMST = "arenabijeenkomst", _("arenabijeenkomst")
        KENNISBIJEENKOMST = "kennisbijeenkomst", _("kennisbijeenkomst")
        MASTERCLASS = "masterclass", _("masterclass")
        LEARNING_LAB = "learning-lab", _("learning lab")
        WEBINAR = "webinar", _("webinar")
        OVERIG = "overig", _("overig")

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        GEPUBLICEERD = "gepubliceerd", _("gepubliceerd")
        GEANNULEERD = "geannuleerd", _("geannuleerd")

    class WachtlijstModus(models.TextChoices):
        AANBIEDEN = "aanbieden", _("plek aanbieden, met bedenktijd")
        DIRECT = "direct", _("direct bevestigen")

    titel = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    soort = models.CharField(_("soort"), max_length=30, choices=Soort.choices)
    beschrijving = models.TextField(_("beschrijving"), blank=True)
    start = models.DateTimeField(_("begint"))
    eind = models.DateTimeField(_("eindigt"))
    locatie_naam = models.CharField(_("locatie"), max_length=200, blank=True)
    locatie_adres = models.CharField(_("adres"), max_length=200, blank=True)
    locatie_plaats = models.CharField(_("plaats"), max_length=100, blank=True)
    online_link = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Alleen zichtbaar voor bevestigde deelnemers."),
    )
    leerateliers = models.ManyToManyField(
        "leerateliers.Leeratelier",
        blank=True,
        related_name="bijeenkomsten",
        verbose_name=_("leerateliers"),
    )
    themas = models.ManyToManyField(
        "themas.Thema",
        blank=True,
        related_name="bijeenkomsten",
        verbose_name=_("professionaliseringsthema's"),
    )
    organisaties = models.ManyToManyField(
        "netwerk.Organisatie",
        blank=True,
        related_name="bijeenkomsten",
        verbose_name=_("mede-organiserende organisaties"),
    )
    capaciteit = models.PositiveIntegerField(
        _("capaciteit"), null=True, blank=True, help_text=_("Leeg: onbeperkt.")
    )
    wachtlijst_open = models.BooleanField(_("wachtlijst open"), default=True)
    aanmelden_vanaf = models.DateTimeField(_("aanmelden vanaf"), null=True, blank=True)
    aanmelden_tot = models.DateTimeField(
        _("aanmelden tot"), null=True, blank=True, help_text=_("Leeg: tot de start.")
    )
    wachtlijst_modus = models.CharField(
        _("wachtlijst"),
        max_length=20,
        choices=WachtlijstModus.choices,
        default=WachtlijstModus.AANBIEDEN,
    )
    bedenktijd_uren = models.PositiveSmallIntegerField(
        _("bedenktijd (uren)"),
        default=48,
        help_text=_("Zo lang heeft iemand van de wachtlijst om een aangeboden plek te claimen."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    contact_email = models.EmailField(_("contactadres"), blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = BijeenkomstQuerySet.as_manager()

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(eind__gt=models.F("start")),
                name="bijeenkomst_eind_na_start",
                violation_error_message=_("Het einde moet na de start liggen."),
            ),
            models.CheckConstraint(
                condition=models.Q(bedenktijd_uren__gte=1),
                name="bijeenkomst_bedenktijd_minstens_een_uur",
                violation_error_message=_("De bedenktijd is minstens een uur."),
            ),
        ]
        indexes = [models.Index(fields=["status", "start"], name="bijeenkomst_status_start_idx")]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse("bijeenkomsten:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if not (self.locatie_naam or self.locatie_plaats or self.online_link):
            errors["locatie_naam"] = _("Geef een locatie, een online link of allebei.")
        if (
            self.aanmelden_vanaf
            and self.aanmelden_tot
            and self.aanmelden_tot <= self.aanmelden_vanaf
        ):
            errors["aanmelden_tot"] = _("Het sluiten van de aanmelding moet na het openen liggen.")
        if self.aanmelden_tot and self.eind and self.aanmelden_tot > self.eind:
            errors["aanmelden_tot"] = _("De aanmelding kan niet na afloop nog open staan.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_online(self) -> bool:
        return bool(self.online_link)

    @property
    def locatie(self) -> str:
        return ", ".join(
            part for part in [self.locatie_naam, self.locatie_adres, self.locatie_plaats] if part
        )

    def aanmelden_sluit(self):
        return self.aanmelden_tot or self.start

    def aanmelden_mogelijk(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.GEPUBLICEERD
            and (self.aanmelden_vanaf is None or self.aanmelden_vanaf <= now)
            and now < self.aanmelden_sluit()
        )

    @property
    def plaatsen_vrij(self) -> int | None:
        """Places left; None: unlimited. The one definition pages and services share.

        Pages read the `met_bezetting` annotation; services count under the row lock (a
        locked row never carries the annotation, so the count is fresh).
        """
        if self.capaciteit is None:
            return None
        bezet = getattr(self, "bezet", None)
        if bezet is None:
            bezet = self.aanmeldingen.bezet().count()
        return max(self.capaciteit - bezet, 0)

    @property
    def is_vol(self) -> bool:
        return self.plaatsen_vrij == 0

    def biedt_plaatsen_aan(self, now=None) -> bool:
        """Freed places go to the wachtlijst only while it is published and not started."""
        return self.status == self.Status.GEPUBLICEERD and (now or timezone.now()) < self.start


class AanmeldingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Aanmelding.OPEN_STATUSES)

    def bezet(self):
        return self.filter(status__in=Aanmelding.TAKEN_STATUSES)

    def wachtend(self):
        return self.filter(status=Aanmelding.Status.WACHTLIJST).order_by("wachtlijst_volgorde")


class Aanmelding(models.Model):
    """One person's registration for a bijeenkomst, reachable through a personal token."""

    class Status(models.TextChoices):
        BEVESTIGD = "bevestigd", _("bevestigd")
        WACHTLIJST = "wachtlijst", _("op de wachtlijst")
        AANGEBODEN = "aangeboden", _("plek aangeboden")
        GEANNULEERD = "geannuleerd", _("geannuleerd")
        VERLOPEN = "verlopen", _("aanbod verlopen")

    # The statuses that are still in play, and those that hold one of the places: defined
    # here once for services and pages (Meta below cannot see them and spells them out).
    OPEN_STATUSES = [Status.BEVESTIGD, Status.WACHTLIJST, Status.AANGEBODEN]
    TAKEN_STATUSES = [Status.BEVESTIGD, Status.AANGEBODEN]

    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="aanmeldingen",
        verbose_name=_("bijeenkomst"),
    )
    persoon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aanmeldingen",
        verbose_name=_("persoon"),
    )
    naam = models.CharField(_("naam"), max_length=150)
    email = models.EmailField(_("e-mailadres"), max_length=254)
    organisatie = models.CharField(_("organisatie"), max_length=200, blank=True)
    functie = models.CharField(_("functie"), max_length=200, blank=True)
    dieetwensen = models.CharField(_("dieetwensen"), max_length=500, blank=True)
    toegankelijkheid = models.CharField(
        _("wensen voor toegankelijkheid"), max_length=500, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    wachtlijst_volgorde = models.PositiveIntegerField(
        _("plek in de wachtrij"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Wordt bij plaatsing op de wachtlijst gegeven en verandert daarna nooit."),
    )
    doorgeschoven_op = models.DateTimeField(
        _("van de wachtlijst doorgeschoven op"), null=True, blank=True, editable=False
    )
    aanbod_tot = models.DateTimeField(_("aanbod geldig tot"), null=True, blank=True)
    herinnerd_op = models.DateTimeField(_("herinnering gestuurd op"), null=True, blank=True)
    token = models.CharField(
        _("persoonlijke sleutel"), max_length=64, unique=True, default=new_token
    )
    aangemeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemeld door"),
    )
    aangemeld_op = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    gewijzigd_op = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = AanmeldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["aangemeld_op", "pk"]
        constraints = [
            models.UniqueConstraint(
                models.F("bijeenkomst"),
                Lower("email"),
                condition=models.Q(status__in=["bevestigd", "wachtlijst", "aangeboden"]),
                name="aanmelding_een_open_per_email",
                violation_error_message=_("Dit e-mailadres is al aangemeld voor deze bijeenkomst."),
            ),
            models.UniqueConstraint(
                fields=["bijeenkomst", "wachtlijst_volgorde"],
                name="aanmelding_unieke_wachtlijst_volgorde",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="wachtlijst")
                | models.Q(wachtlijst_volgorde__isnull=False),
                name="aanmelding_wachtlijst_heeft_volgorde",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="aangeboden") | models.Q(aanbod_tot__isnull=False),
                name="aanmelding_aanbod_heeft_termijn",
            ),
        ]
        indexes = [
            models.Index(fields=["bijeenkomst", "status"], name="aanmelding_bijeenkomst_idx"),
            models.Index(
                fields=["aanbod_tot"],
                condition=models.Q(status="aangeboden"),
                name="aanmelding_open_aanbod_idx",
            ),
        ]

    def __str__(self):
        return f"{self.naam} <{self.email}> — {self.bijeenkomst}"

    def get_absolute_url(self):
        return reverse("bijeenkomsten:aanmelding", kwargs={"token": self.token})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def aanbod_loopt(self, now=None) -> bool:
        """An offered place that can still be claimed: the one rule `claim()` applies."""
        return self.status == self.Status.AANGEBODEN and (now or timezone.now()) < self.aanbod_tot

    def wachtlijst_positie(self) -> int | None:
        """1 for the first one waiting; None when not waiting."""
        if self.status != self.Status.WACHTLIJST:
            return None
        return Aanmelding.objects.filter(
            bijeenkomst_id=self.bijeenkomst_id,
            status=self.Status.WACHTLIJST,
            wachtlijst_volgorde__lte=self.wachtlijst_volgorde,
        ).count()


class Handeling(models.Model):
    """What a coördinator did to a bijeenkomst or a registration: who, when, what, why."""

    class Soort(models.TextChoices):
        CAPACITEIT = "capaciteit", _("capaciteit gewijzigd")
        AANMELDING_GEANNULEERD = "aanmelding-geannuleerd", _("aanmelding geannuleerd")
        BIJEENKOMST_GEANNULEERD = "bijeenkomst-geannuleerd", _("bijeenkomst geannuleerd")

    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="handelingen",
        verbose_name=_("bijeenkomst"),
    )
    aanmelding = models.ForeignKey(
        Aanmelding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handelingen",
        verbose_name=_("aanmelding"),
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    soort = models.CharField(_("wat"), max_length=30, choices=Soort.choices)
    omschrijving = models.CharField(_("omschrijving"), max_length=300)
    reden = models.CharField(_("waarom"), max_length=500, blank=True)
    op = models.DateTimeField(_("wanneer"), default=timezone.now)

    class Meta:
        verbose_name = _("handeling")
        verbose_name_plural = _("handelingen")
        ordering = ["-op", "-pk"]
        indexes = [models.Index(fields=["bijeenkomst", "-op"], name="handeling_bijeenkomst_idx")]

    def __str__(self):
        return f"{self.get_soort_display()}: {self.omschrijving}"
