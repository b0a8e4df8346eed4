from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerk.models import ANONYMOUS_DOMAIN
from werkplaats.history import Wijziging
from werkplaats.zoekindex import ZoekvectorField

MARKDOWN_HELP = _("Markdown: **vet**, *schuin*, [link](https://…), lijstjes, ## kopjes.")


class Thema(models.Model):
    """A professionaliseringsthema: knowledge built across the leerateliers."""

    naam = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    ondertitel = models.CharField(_("ondertitel"), max_length=300, blank=True)
    inleiding = models.TextField(_("inleiding"), blank=True, help_text=MARKDOWN_HELP)
    inleiding_html = models.TextField(_("inleiding als HTML"), blank=True, editable=False)
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
        help_text=_(
            "Hun naam en functie staan openbaar op de pagina van het thema, ook als hun "
            "profiel niet zichtbaar is: dat hoort bij de rol. Zeg het ze als je ze toevoegt."
        ),
    )
    leerateliers = models.ManyToManyField(
        "leerateliers.Leeratelier",
        verbose_name=_("leerateliers die het kruist"),
        related_name="themas",
        blank=True,
    )

    # Filled by PostgreSQL for the search (werkplaats.zoekindex).
    zoekvector = ZoekvectorField()

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


class Invalshoek(models.Model):
    """One angle a thema takes (seed 000: sociaal-artistiek samenwerken; formele en
    informele werelden), with its own text, in the order the thema page shows them."""

    thema = models.ForeignKey(
        Thema, verbose_name=_("thema"), on_delete=models.CASCADE, related_name="invalshoeken"
    )
    titel = models.CharField(_("titel"), max_length=200)
    tekst = models.TextField(_("tekst"), blank=True, help_text=MARKDOWN_HELP)
    tekst_html = models.TextField(_("tekst als HTML"), blank=True, editable=False)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("invalshoek")
        verbose_name_plural = _("invalshoeken")
        ordering = ["volgorde", "pk"]

    def __str__(self):
        return self.titel


class ContactpersoonQuerySet(models.QuerySet):
    def zichtbaar(self):
        """Who may be shown on the public page: the thematrekker recorded the person's consent,
        and a person with an account has not hidden their profile."""
        return self.filter(toestemming=True).filter(
            models.Q(persoon__isnull=True)
            | models.Q(persoon__profiel_zichtbaar=True, persoon__is_active=True)
        )


class Contactpersoon(models.Model):
    """Whom to ask about a thema (or one of its invalshoeken), with role and address.

    Either a person of the portal or a free name. Shown publicly only with consent
    (`ContactpersoonQuerySet.zichtbaar`): the thematrekker states the person agreed, and is
    recorded as the one who did.
    """

    thema = models.ForeignKey(
        Thema, verbose_name=_("thema"), on_delete=models.CASCADE, related_name="contactpersonen"
    )
    persoon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persoon van het portaal"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_voor_themas",
    )
    naam = models.CharField(_("naam"), max_length=150, blank=True)
    rol = models.CharField(_("rol"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    onderwerp = models.CharField(
        _("onderwerp"),
        max_length=200,
        blank=True,
        help_text=_("Waarover je deze persoon kunt benaderen, bijvoorbeeld een invalshoek."),
    )
    toestemming = models.BooleanField(
        _("toestemming gegeven"),
        default=False,
        help_text=_(
            "De persoon heeft ermee ingestemd dat naam, rol en e-mailadres openbaar op de "
            "themapagina staan."
        ),
    )
    toestemming_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toestemming vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    toestemming_op = models.DateTimeField(_("toestemming vastgelegd op"), null=True, blank=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = ContactpersoonQuerySet.as_manager()

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["volgorde", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(persoon__isnull=False) | ~models.Q(naam=""),
                name="contactpersoon_heeft_naam_of_persoon",
                violation_error_message=_("Kies een persoon van het portaal of vul een naam in."),
            ),
        ]

    def __str__(self):
        return self.getoonde_naam

    @property
    def getoonde_naam(self) -> str:
        return self.persoon.naam if self.persoon_id else self.naam

    @property
    def getoond_email(self) -> str:
        return self.email or (self.persoon.email if self.persoon_id else "")


class ThemaWijziging(Wijziging):
    """Who changed what on a thema page, and when (werkplaats.history)."""

    thema = models.ForeignKey(
        Thema, verbose_name=_("thema"), on_delete=models.CASCADE, related_name="wijzigingen"
    )

    class Meta(Wijziging.Meta):
        verbose_name = _("wijziging van een thema")
        verbose_name_plural = _("wijzigingen van thema's")

    def __str__(self):
        return f"{self.thema} · {self.op:%Y-%m-%d %H:%M}"


class UpdateQuerySet(models.QuerySet):
    def gepubliceerd(self):
        return self.filter(status=Update.Status.GEPUBLICEERD)

    def voor_lijst(self):
        return self.select_related("thema", "leeratelier", "auteur").order_by(
            "-gepubliceerd_op", "-pk"
        )

    def van(self, *, thema=None, leeratelier=None):
        return (
            self.filter(thema=thema) if thema is not None else self.filter(leeratelier=leeratelier)
        )


class Update(models.Model):
    """News from one thema or one leeratelier, written in Markdown by its (thema)trekkers."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        INGEPLAND = "ingepland", _("ingepland")
        GEPUBLICEERD = "gepubliceerd", _("gepubliceerd")
        INGETROKKEN = "ingetrokken", _("ingetrokken")

    titel = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    samenvatting = models.CharField(_("samenvatting"), max_length=400)
    tekst = models.TextField(
        _("tekst"),
        help_text=MARKDOWN_HELP,
    )
    tekst_html = models.TextField(_("tekst als HTML"), editable=False)
    thema = models.ForeignKey(
        Thema,
        verbose_name=_("thema"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="updates",
    )
    leeratelier = models.ForeignKey(
        "leerateliers.Leeratelier",
        verbose_name=_("leeratelier"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="updates",
    )
    vermelde_leerateliers = models.ManyToManyField(
        "leerateliers.Leeratelier",
        verbose_name=_("vermelde leerateliers"),
        related_name="vermeld_in_updates",
        blank=True,
    )
    voorwaarden = models.ManyToManyField(
        "leerateliers.Voorwaarde", verbose_name=_("voorwaarden"), related_name="updates", blank=True
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="updates",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    publiceren_op = models.DateTimeField(_("publiceren op"), null=True, blank=True)
    gepubliceerd_op = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    afbeelding = models.ImageField(_("afbeelding"), upload_to="updates/%Y/", blank=True)
    afbeelding_alt = models.CharField(
        _("beschrijving van de afbeelding"),
        max_length=250,
        blank=True,
        help_text=_("Wat er op de afbeelding te zien is, voor wie haar niet kan zien."),
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    # Filled by PostgreSQL for the search (werkplaats.zoekindex).
    zoekvector = ZoekvectorField()

    objects = UpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-gepubliceerd_op", "-aangemaakt_op"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(thema__isnull=False, leeratelier__isnull=True)
                    | models.Q(thema__isnull=True, leeratelier__isnull=False)
                ),
                name="update_hoort_bij_thema_of_leeratelier",
                violation_error_message=_(
                    "Een update hoort bij precies één thema of één leeratelier."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(afbeelding="") | ~models.Q(afbeelding_alt=""),
                name="update_afbeelding_heeft_alt",
                violation_error_message=_("Beschrijf wat er op de afbeelding staat."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ingepland") | models.Q(publiceren_op__isnull=False),
                name="update_ingepland_heeft_tijd",
                violation_error_message=_("Een ingeplande update heeft een publicatietijd."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "gepubliceerd_op"], name="update_status_gepubl_idx"),
            models.Index(fields=["status", "publiceren_op"], name="update_status_plan_idx"),
        ]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse("themas:update-detail", kwargs={"slug": self.slug})

    @property
    def onderwerp(self):
        """The thema or leeratelier the update belongs to."""
        return self.thema or self.leeratelier

    @property
    def genoemde_auteur(self):
        """The author as pages and feeds name them: only with a profile they made visible
        (Persoon.profiel_zichtbaar). Trekkers and thematrekkers are named on their atelier
        or thema page as part of their role; the author of an update is their own choice.
        A deleted account is named as what it now is, "voormalig lid": that names nobody."""
        if self.auteur is None:
            return None
        deleted = self.auteur.email.endswith(f"@{ANONYMOUS_DOMAIN}")
        return self.auteur if self.auteur.profiel_zichtbaar or deleted else None


class Volging(models.Model):
    """A person following a thema or a leeratelier, and how they want to hear about it.

    Deelnemers of a leeratelier follow it without a row here (weekly digest); a row records
    an explicit choice and overrides that default.
    """

    class Frequentie(models.TextChoices):
        PER_UPDATE = "per_update", _("een mail per update")
        WEKELIJKS = "wekelijks", _("een wekelijks overzicht")
        GEEN = "geen", _("geen mail")

    persoon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persoon"),
        on_delete=models.CASCADE,
        related_name="volgingen",
    )
    thema = models.ForeignKey(
        Thema, on_delete=models.CASCADE, null=True, blank=True, related_name="volgingen"
    )
    leeratelier = models.ForeignKey(
        "leerateliers.Leeratelier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="volgingen",
    )
    frequentie = models.CharField(
        _("mail"), max_length=20, choices=Frequentie.choices, default=Frequentie.PER_UPDATE
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("volging")
        verbose_name_plural = _("volgingen")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(thema__isnull=False, leeratelier__isnull=True)
                    | models.Q(thema__isnull=True, leeratelier__isnull=False)
                ),
                name="volging_thema_of_leeratelier",
            ),
            models.UniqueConstraint(
                fields=["persoon", "thema"],
                condition=models.Q(thema__isnull=False),
                name="volging_uniek_per_thema",
            ),
            models.UniqueConstraint(
                fields=["persoon", "leeratelier"],
                condition=models.Q(leeratelier__isnull=False),
                name="volging_uniek_per_leeratelier",
            ),
        ]

    def __str__(self):
        return f"{self.persoon} → {self.thema or self.leeratelier}"


class UpdateBezorging(models.Model):
    """That an update was mailed to a person, per update or in a digest: never twice."""

    class Via(models.TextChoices):
        PER_UPDATE = "per_update", _("per update")
        OVERZICHT = "overzicht", _("wekelijks overzicht")

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="bezorgingen")
    persoon = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="update_bezorgingen"
    )
    via = models.CharField(max_length=20, choices=Via.choices)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bezorgde update")
        verbose_name_plural = _("bezorgde updates")
        constraints = [
            models.UniqueConstraint(fields=["update", "persoon"], name="update_eenmaal_per_persoon")
        ]

    def __str__(self):
        return f"{self.update} → {self.persoon}"


class VoorlopigeAfbeelding(models.Model):
    """An image chosen in the update form before its preview: a browser does not send a
    chosen file again, so it waits here until the form is saved (then the update takes it
    and this row and its file go) or PREVIEW_IMAGE_MAX_AGE passed (the periodic task
    deletes it with its file). The form carries a random token, of which only the hash is
    stored, and only the person who chose the image can use it."""

    token_hash = models.CharField(
        _("hash van de sleutel"), max_length=64, unique=True, editable=False
    )
    persoon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("gekozen door"),
    )
    # Under themas.services.PREVIEW_IMAGE_FOLDER, which the periodic task sweeps.
    afbeelding = models.ImageField(_("afbeelding"), upload_to="voorlopig/%Y/")
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("afbeelding van een voorbeeld")
        verbose_name_plural = _("afbeeldingen van voorbeelden")

    def __str__(self):
        return self.afbeelding.name
