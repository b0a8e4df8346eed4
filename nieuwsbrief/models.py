from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EditieQuerySet(models.QuerySet):
    def in_archief(self):
        """Editions whose sending started: their web version is linked from every mail."""
        return self.filter(status__in=[Editie.Status.VERZENDEN, Editie.Status.VERZONDEN]).order_by(
            "-verzending_gestart_op", "-pk"
        )

    def verzonden_tot(self):
        """Where the updates of the sent editions end: the latest end of their windows
        (None before the first edition)."""
        return self.in_archief().aggregate(tot=models.Max("updates_tot"))["tot"]


class Editie(models.Model):
    """One edition of the nieuwsbrief: a voorwoord and sections in order, then its sending.

    At the start of sending the mail is rendered once (`onderwerp`, `mail_html`,
    `mail_tekst`) and frozen; every address gets that rendering with only its own unsubscribe
    link filled in.
    """

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        INGEPLAND = "ingepland", _("ingepland")
        VERZENDEN = "verzenden", _("wordt verzonden")
        VERZONDEN = "verzonden", _("verzonden")

    class Doelgroep(models.TextChoices):
        ALLE = "alle", _("alle bevestigde abonnees")
        INTERESSE = "interesse", _("abonnees met interesse in de gekozen leerateliers of thema's")

    titel = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    voorwoord = models.TextField(
        _("voorwoord"),
        blank=True,
        help_text=_("Markdown: **vet**, *schuin*, [link](https://…), lijstjes."),
    )
    voorwoord_html = models.TextField(_("voorwoord als HTML"), blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    # The updates it was composed from were published in (updates_vanaf, updates_tot]; the
    # next edition starts where the last sent one ended, so no update is skipped.
    updates_vanaf = models.DateTimeField(_("updates gepubliceerd na"))
    updates_tot = models.DateTimeField(_("updates gepubliceerd tot en met"))
    doelgroep = models.CharField(
        _("doelgroep"), max_length=20, choices=Doelgroep.choices, default=Doelgroep.ALLE
    )
    doel_leerateliers = models.ManyToManyField(
        "leerateliers.Leeratelier",
        verbose_name=_("leerateliers van de doelgroep"),
        related_name="+",
        blank=True,
    )
    doel_themas = models.ManyToManyField(
        "themas.Thema", verbose_name=_("thema's van de doelgroep"), related_name="+", blank=True
    )
    verzenden_op = models.DateTimeField(_("verzenden op"), null=True, blank=True)
    verzending_gestart_op = models.DateTimeField(_("verzending gestart op"), null=True, blank=True)
    verzonden_op = models.DateTimeField(_("verzending afgerond op"), null=True, blank=True)
    onderwerp = models.CharField(_("onderwerp van de mail"), max_length=255, blank=True)
    mail_html = models.TextField(_("mail (HTML)"), blank=True, editable=False)
    mail_tekst = models.TextField(_("mail (tekst)"), blank=True, editable=False)
    # Set once the delivery rows for the audience exist (null: not yet prepared).
    aantal_ontvangers = models.PositiveIntegerField(_("aantal ontvangers"), null=True, blank=True)
    # The one sender working on this edition, and until when its claim holds: one sender at
    # a time keeps the rate, and a sender that died is replaced once its claim ran out.
    bezorger = models.CharField(max_length=32, blank=True, editable=False)
    bezorger_tot = models.DateTimeField(null=True, blank=True, editable=False)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("samengesteld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = EditieQuerySet.as_manager()

    class Meta:
        verbose_name = _("editie")
        verbose_name_plural = _("edities")
        ordering = ["-aangemaakt_op", "-pk"]
        permissions = [("send_editie", _("Mag edities van de nieuwsbrief verzenden"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ingepland") | models.Q(verzenden_op__isnull=False),
                name="editie_ingepland_heeft_moment",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["verzenden", "verzonden"])
                | models.Q(verzending_gestart_op__isnull=False),
                name="editie_verzonden_heeft_start",
            ),
        ]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse("nieuwsbrief:editie", kwargs={"pk": self.pk})

    def get_archief_url(self):
        return reverse("nieuwsbrief:archief-editie", kwargs={"slug": self.slug})

    @property
    def is_bewerkbaar(self) -> bool:
        return self.status in (self.Status.CONCEPT, self.Status.INGEPLAND)


class Sectie(models.Model):
    """One section of an edition, in its place; Markdown, sanitised when saved."""

    class Soort(models.TextChoices):
        LEERATELIER = "leeratelier", _("leeratelier")
        THEMA = "thema", _("professionaliseringsthema")
        BIJEENKOMSTEN = "bijeenkomsten", _("komende bijeenkomsten")
        KENNISBANK = "kennisbank", _("nieuw in de kennisbank")
        VRIJ = "vrij", _("vrije sectie")

    editie = models.ForeignKey(
        Editie, on_delete=models.CASCADE, related_name="secties", verbose_name=_("editie")
    )
    volgorde = models.PositiveIntegerField(_("volgorde"))
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices, default=Soort.VRIJ)
    titel = models.CharField(_("titel"), max_length=200)
    tekst = models.TextField(
        _("tekst"), blank=True, help_text=_("Markdown: **vet**, *schuin*, [link](https://…).")
    )
    tekst_html = models.TextField(_("tekst als HTML"), blank=True, editable=False)
    leeratelier = models.ForeignKey(
        "leerateliers.Leeratelier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leeratelier"),
    )
    thema = models.ForeignKey(
        "themas.Thema",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thema"),
    )

    class Meta:
        verbose_name = _("sectie")
        verbose_name_plural = _("secties")
        ordering = ["volgorde", "pk"]

    def __str__(self):
        return self.titel


class Bezorging(models.Model):
    """One edition to one address: the record that makes sending resumable and never double.

    Unique per (edition, address). States as in the outbox: queued → sending → sent / failed,
    back to queued after a temporary failure, `onbekend` when the sender died during the SMTP
    conversation (never resent by itself); `overgeslagen` when the address unsubscribed or
    was paused before its turn.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        SENDING = "sending", _("wordt verstuurd")
        SENT = "sent", _("verzonden")
        FAILED = "failed", _("mislukt")
        ONBEKEND = "onbekend", _("onbekend")
        OVERGESLAGEN = "overgeslagen", _("overgeslagen")

    editie = models.ForeignKey(
        Editie, on_delete=models.PROTECT, related_name="bezorgingen", verbose_name=_("editie")
    )
    abonnement = models.ForeignKey(
        "netwerk.Abonnement",
        on_delete=models.SET_NULL,
        null=True,
        related_name="bezorgingen",
        verbose_name=_("abonnement"),
    )
    email = models.EmailField(_("e-mailadres"), max_length=254)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    pogingen = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    volgende_poging_op = models.DateTimeField(_("volgende poging"), default=timezone.now)
    gestart_op = models.DateTimeField(_("versturen begonnen op"), null=True, blank=True)
    verzonden_op = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    smtp_code = models.PositiveSmallIntegerField(_("SMTP-antwoord"), null=True, blank=True)
    fout = models.TextField(_("laatste fout"), blank=True)
    # The SHA-256 (werkplaats.tokens) of the unsubscribe token in this mail, made when it was
    # sent: the raw token is only in the mail. Never shown, not in /beheer/.
    token_hash = models.CharField(
        _("hash van de afmeldsleutel"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("bezorging")
        verbose_name_plural = _("bezorgingen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["editie", "email"], name="bezorging_eenmaal_per_adres"),
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(gestart_op__isnull=False),
                name="bezorging_sending_heeft_start",
            ),
        ]
        indexes = [
            models.Index(fields=["editie", "status"], name="bezorging_editie_status_idx"),
            # The sender reads the queued rows of one edition that are due, in order.
            models.Index(
                fields=["editie", "volgende_poging_op", "id"],
                condition=models.Q(status="queued"),
                name="bezorging_wachtrij_idx",
            ),
        ]

    def __str__(self):
        return f"{self.editie} → {self.email}"

    @property
    def is_geweigerd(self) -> bool:
        """Refused for good by the recipient's mail server (a 5xx answer)."""
        return self.status == self.Status.FAILED and 500 <= (self.smtp_code or 0) < 600


class Aanmeldverzoek(models.Model):
    """A subscription asked for on the public form, waiting for its address to confirm it.

    The confirmation mail's link carries only a random token, of which only the SHA-256 is
    stored here (werkplaats.tokens); what was asked waits in this row until the link is used
    (then the Abonnement and its consent record hold it, and the row keeps none of it) or it
    expires. The retention task deletes rows past their expiry.
    """

    token_hash = models.CharField(
        _("hash van de sleutel"), max_length=64, unique=True, editable=False
    )
    email = models.EmailField(_("e-mailadres"), max_length=254, blank=True)
    naam = models.CharField(_("naam"), max_length=150, blank=True)
    leeratelier_ids = models.JSONField(_("gekozen leerateliers"), default=list, blank=True)
    thema_ids = models.JSONField(_("gekozen thema's"), default=list, blank=True)
    tekst_versie = models.CharField(_("versie van de toestemmingstekst"), max_length=20)
    taal = models.CharField(_("taal"), max_length=10)
    gevraagd_op = models.DateTimeField(_("gevraagd op"), default=timezone.now)
    verloopt_op = models.DateTimeField(_("verloopt op"), db_index=True)
    gebruikt_op = models.DateTimeField(_("gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding voor de nieuwsbrief in afwachting van bevestiging")
        verbose_name_plural = _("aanmeldingen voor de nieuwsbrief in afwachting van bevestiging")

    def __str__(self):
        return f"{self.gevraagd_op:%Y-%m-%d %H:%M}"
