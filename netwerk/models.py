import hashlib
import re
import secrets
import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Case, Value, When
from django.db.models.functions import Cast, Concat, Left, Lower, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from werkplaats.db_functions import Sha256Hex
from werkplaats.zoekindex import ZoekvectorField


def normalize_email_address(email: str) -> str:
    """Addresses are stored in lower case: the e-mail is the login and compares case-blind."""
    return (email or "").strip().lower()


class PersoonManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email=normalize_email_address(email))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        persoon = self.model(email=normalize_email_address(email), **extra_fields)
        persoon.set_password(password)
        persoon.save(using=self._db)
        return persoon

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser needs is_staff and is_superuser.")
        return self._create_user(email, password, **extra_fields)


class Persoon(AbstractBaseUser, PermissionsMixin):
    """A person using the portal; the e-mail address is the login."""

    email = models.EmailField(_("e-mailadres"), max_length=254, unique=True)
    naam = models.CharField(_("naam"), max_length=150)
    is_staff = models.BooleanField(
        _("toegang tot beheer"),
        default=False,
        help_text=_("Mag inloggen in de beheeromgeving."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("lid sinds"), default=timezone.now)
    # Optional: inwoners, students and ervaringsdeskundigen take part as individuals.
    organisatie = models.ForeignKey(
        "netwerk.Organisatie",
        verbose_name=_("organisatie"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personen",
    )
    functie = models.CharField(_("functie"), max_length=150, blank=True)
    bio = models.TextField(
        _("korte bio"),
        max_length=1000,
        blank=True,
        help_text=_("Een paar zinnen over jezelf en je werk."),
    )
    profiel_zichtbaar = models.BooleanField(
        _("profiel zichtbaar voor ingelogde leden"),
        default=False,
        help_text=_(
            "Alleen als je dit aanzet, zien andere ingelogde leden je naam en profiel, en staat "
            "je naam bij de updates die je schrijft. Ben je trekker of thematrekker, dan staan "
            "je naam en functie hoe dan ook op de openbare pagina van je leeratelier of thema: "
            "dat hoort bij die rol."
        ),
    )
    taal = models.CharField(
        _("taal"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("De taal van de mails die je van het portaal krijgt."),
    )
    # Off by default; withdrawn, the contactpersoon sees nothing more at once, because
    # every page asks netwerk.permissions.can_see_aanmeldingen_of, never a stored copy.
    deelt_aanmeldingen = models.BooleanField(
        _("aanmeldingen delen met de contactpersoon"),
        default=False,
        help_text=_(
            "Zet je dit aan, dan ziet de contactpersoon van je organisatie voor welke "
            "bijeenkomsten je bent aangemeld, en kan die je plek doorgeven aan een collega."
        ),
    )

    # The consent for the one mail after a bijeenkomst one attended: on until switched off
    # on /mijn/ (bijeenkomsten.services.evaluatie never mails who switched it off).
    wil_evaluaties = models.BooleanField(
        _("evaluatie na een bijeenkomst ontvangen"),
        default=True,
        help_text=_(
            "Na een bijeenkomst waar je was, krijg je één mail met een link naar een korte "
            "evaluatie. Zet je dit uit, dan krijg je die mail niet meer."
        ),
    )

    # Filled by PostgreSQL for the search (werkplaats.zoekindex).
    zoekvector = ZoekvectorField()

    objects = PersoonManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["naam"]

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="persoon_email_unique_case_insensitive",
                violation_error_message=_("Er is al een account met dit e-mailadres."),
            ),
        ]

    def __str__(self):
        return self.naam or self.email

    def clean(self):
        super().clean()
        self.email = normalize_email_address(self.email)

    def get_absolute_url(self):
        return reverse("netwerk:persoon", kwargs={"pk": self.pk})

    def get_full_name(self):
        return self.naam

    def get_short_name(self):
        return self.naam.split(" ")[0] if self.naam else self.email


# What stays of a person who deleted their account, where their name stood (the author of
# updates they wrote, coördinator log entries), and the domain of the unreachable addresses
# that replace theirs (RFC 2606: .invalid never resolves).
VOORMALIG_LID = "voormalig lid"
ANONYMOUS_DOMAIN = "verwijderd.invalid"


def anonymous_address(prefix: str = "verwijderd") -> Concat:
    """An SQL expression for an unreachable, unique address per row (by its pk), for the
    address columns of anonymised rows; unique, so the per-address constraints still hold."""
    return Concat(
        Value(f"{prefix}-"),
        Cast("pk", output_field=models.CharField()),
        Value(f"@{ANONYMOUS_DOMAIN}"),
        output_field=models.CharField(),
    )


def anonymisation_key() -> str:
    """The secret of `pseudonymous_address`: ANONYMISATION_KEY, or one derived from
    SECRET_KEY (a key of its own, not the SECRET_KEY itself, ends up in the SQL)."""
    return (
        settings.ANONYMISATION_KEY
        or salted_hmac("werkplaats.anonymisation", "address", algorithm="sha256").hexdigest()
    )


def pseudonymous_address(field: str = "email", prefix: str = "aanmelding") -> Concat:
    """An SQL expression for the unreachable address an anonymised row gets in place of its
    address `field`: a keyed SHA-256 of the address in lower case (128 bits of it), the same
    for the same address in every row and every run, so a person anonymised row by row over
    several retention runs (or at once, deleting their account) is still one person to the
    reach report. The address cannot be read back from it without the key; with the key,
    a guessed address can be confirmed, which is why the key stays out of the database."""
    return Concat(
        Value(f"{prefix}-"),
        Left(Sha256Hex(Concat(Value(anonymisation_key() + ":"), Lower(field))), 32),
        Value(f"@{ANONYMOUS_DOMAIN}"),
        output_field=models.CharField(),
    )


def pseudonymous_address_of(email: str, prefix: str = "aanmelding") -> str:
    """`pseudonymous_address` of one address, computed in Python."""
    key = anonymisation_key() + ":" + (email or "").lower()
    return f"{prefix}-{hashlib.sha256(key.encode()).hexdigest()[:32]}@{ANONYMOUS_DOMAIN}"


def person_count_key(field: str = "email", prefix: str = "aanmelding") -> Case:
    """What distinct persons are counted by: an anonymised address as it is, any other as
    the address its anonymisation will give it. So a count of distinct persons is the same
    before, during and after the retention runs that anonymise a person's rows."""
    return Case(
        When(**{f"{field}__endswith": f"@{ANONYMOUS_DOMAIN}"}, then=Lower(field)),
        default=pseudonymous_address(field, prefix),
        output_field=models.CharField(),
    )


def address_hash(email: str) -> str:
    """The SHA-256 of a normalised address: what the portal keeps of an address it must
    recognise but may no longer hold (computed in SQL too, by `SHA256(Lower(...))`)."""
    return hashlib.sha256(normalize_email_address(email).encode()).hexdigest()


class GeenUitnodiging(models.Model):
    """An address that asked for no more invitations: no later invitation reaches it.

    Matched by the address or by its hash. When its owner deletes their account only the
    hash stays: the address remains unreachable for invitations, but cannot be read back.
    """

    email = models.EmailField(_("e-mailadres"), max_length=254, blank=True)
    email_hash = models.CharField(_("hash van het e-mailadres"), max_length=64, blank=True)
    sinds = models.DateTimeField(_("sinds"), default=timezone.now)

    class Meta:
        verbose_name = _("adres zonder uitnodigingen")
        verbose_name_plural = _("adressen zonder uitnodigingen")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="geen_uitnodiging_uniek_adres",
            ),
            models.UniqueConstraint(
                fields=["email_hash"],
                condition=~models.Q(email_hash=""),
                name="geen_uitnodiging_uniek_hash",
            ),
        ]

    def __str__(self):
        return self.email or str(_("(verwijderd adres)"))


class OutboxMessage(models.Model):
    """One e-mail to one address, written in the transaction of its cause.

    The unique key makes queueing idempotent; the status makes delivery idempotent.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        SENDING = "sending", _("wordt verstuurd")
        SENT = "sent", _("verzonden")
        FAILED = "failed", _("mislukt")
        # The SMTP conversation started and its end was never recorded (the worker died):
        # the mail may or may not have arrived, so it is never sent again by itself.
        ONBEKEND = "onbekend", _("onbekend")

    key = models.CharField(_("sleutel"), max_length=255, unique=True)
    to = models.EmailField(_("aan"), max_length=254)
    subject = models.CharField(_("onderwerp"), max_length=255)
    body_text = models.TextField(_("tekst"))
    body_html = models.TextField(_("HTML"))
    headers = models.JSONField(_("extra kopregels"), default=dict, blank=True)
    attachments = models.JSONField(
        _("bijlagen"),
        default=list,
        blank=True,
        help_text=_("Lijst van {filename, mimetype, content (base64)}."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
        help_text=_(
            "Onbekend: het versturen begon, maar de uitkomst is nooit vastgelegd. De mail is "
            "misschien aangekomen en wordt daarom niet vanzelf opnieuw verstuurd."
        ),
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    sending_started_at = models.DateTimeField(_("versturen begonnen op"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitgaande mail")
        verbose_name_plural = _("uitgaande mails")
        ordering = ["-created_at"]
        indexes = [
            # The sweep for stuck mail reads only queued rows.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="queued"),
                name="outbox_queued_due_idx",
            ),
            # The sweep for lost deliveries reads sending rows; the admin counts onbekend ones.
            models.Index(
                fields=["status", "sending_started_at"],
                condition=models.Q(status__in=["sending", "onbekend"]),
                name="outbox_unsettled_idx",
            ),
            # A person's own mails (their export, deleting their account): to__iexact.
            models.Index(Upper("to"), name="outbox_to_idx"),
        ]
        constraints = [
            # Without a start time a lost delivery could never be found by the sweep.
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(sending_started_at__isnull=False),
                name="outbox_sending_has_start_time",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"


def new_token() -> str:
    """Named by migration 0008; new tokens come from werkplaats.tokens."""
    return secrets.token_urlsafe(32)


# The consent text a subscriber agrees to, per version. A changed text gets a new version;
# old versions stay, because consent records and confirmation links name them.
TOESTEMMINGSTEKSTEN = {
    "1": _(
        "Ja, ik wil de nieuwsbrief van de Werkplaats Sociaal Domein Arnhem Nijmegen per e-mail "
        "ontvangen. De werkplaats gebruikt mijn e-mailadres, naam en interesses alleen voor de "
        "nieuwsbrief. Afmelden kan altijd, met de link onderaan elke nieuwsbrief."
    ),
}
HUIDIGE_TOESTEMMING = "1"


class AbonnementQuerySet(models.QuerySet):
    def bevestigd(self):
        return self.filter(status=Abonnement.Status.BEVESTIGD)

    def met_interesse_in(self, *, leeratelier_ids=(), thema_ids=()):
        """Those interested in at least one of the given leerateliers or thema's."""
        leerateliers = Abonnement.leerateliers.through.objects.filter(
            abonnement_id=models.OuterRef("pk"), leeratelier_id__in=list(leeratelier_ids)
        )
        themas = Abonnement.themas.through.objects.filter(
            abonnement_id=models.OuterRef("pk"), thema_id__in=list(thema_ids)
        )
        return self.filter(models.Exists(leerateliers) | models.Exists(themas))


class Abonnement(models.Model):
    """A nieuwsbrief subscription of one address.

    It exists once the address confirmed it (double opt-in: nothing is stored for an address
    that never does); every confirmation leaves a `Toestemming`. Only `bevestigd` ones receive
    editions; `gepauzeerd` ones were refused permanently by their mail server twice in a row.
    """

    class Status(models.TextChoices):
        BEVESTIGD = "bevestigd", _("bevestigd")
        GEPAUZEERD = "gepauzeerd", _("gepauzeerd")
        AFGEMELD = "afgemeld", _("afgemeld")

    class Via(models.TextChoices):
        LINK = "link", _("afmeldlink")
        ONE_CLICK = "one-click", _("afmeldknop van het mailprogramma")
        MIJN = "mijn", _("eigen pagina")

    email = models.EmailField(_("e-mailadres"), max_length=254, unique=True)
    naam = models.CharField(_("naam"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.BEVESTIGD
    )
    leerateliers = models.ManyToManyField(
        "leerateliers.Leeratelier",
        verbose_name=_("interesse in leerateliers"),
        related_name="abonnementen",
        blank=True,
    )
    themas = models.ManyToManyField(
        "themas.Thema",
        verbose_name=_("interesse in thema's"),
        related_name="abonnementen",
        blank=True,
    )
    # The SHA-256 (werkplaats.tokens) of the personal unsubscribe link that editions carried
    # before each delivery got a link of its own (nieuwsbrief.Bezorging.token_hash): those
    # links keep working. The raw token is stored nowhere; never shown, not in /beheer/.
    token_hash = models.CharField(
        _("hash van de persoonlijke sleutel"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    aangemeld_op = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    bevestigd_op = models.DateTimeField(_("laatst bevestigd op"), default=timezone.now)
    afgemeld_op = models.DateTimeField(_("afgemeld op"), null=True, blank=True)
    afgemeld_via = models.CharField(
        _("afgemeld via"), max_length=20, choices=Via.choices, blank=True
    )
    gepauzeerd_op = models.DateTimeField(_("gepauzeerd op"), null=True, blank=True)
    pauze_reden = models.CharField(_("reden van de pauze"), max_length=300, blank=True)
    weigeringen_op_rij = models.PositiveSmallIntegerField(
        _("edities op rij geweigerd"),
        default=0,
        help_text=_("Zo vaak op rij weigerde de mailserver een editie blijvend (5xx)."),
    )

    objects = AbonnementQuerySet.as_manager()

    class Meta:
        verbose_name = _("nieuwsbriefabonnement")
        verbose_name_plural = _("nieuwsbriefabonnementen")
        ordering = ["email"]
        indexes = [models.Index(fields=["status", "email"], name="abonnement_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="afgemeld") | models.Q(afgemeld_op__isnull=False),
                name="abonnement_afgemeld_heeft_moment",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="gepauzeerd") | models.Q(gepauzeerd_op__isnull=False),
                name="abonnement_gepauzeerd_heeft_moment",
            ),
        ]

    def __str__(self):
        return self.email


class Toestemming(models.Model):
    """One confirmation of a subscription: what was shown, where, when asked and confirmed.

    Written once and never changed: the record of consent.
    """

    class Formulier(models.TextChoices):
        NIEUWSBRIEF = "nieuwsbrief", _("aanmeldformulier op /nieuwsbrief/")
        MIJN = "mijn", _("eigen pagina /mijn/ (ingelogd)")

    abonnement = models.ForeignKey(
        Abonnement,
        on_delete=models.CASCADE,
        related_name="toestemmingen",
        verbose_name=_("abonnement"),
    )
    tekst_versie = models.CharField(_("versie van de tekst"), max_length=20)
    tekst = models.TextField(_("getoonde tekst"))
    taal = models.CharField(_("taal"), max_length=10)
    formulier = models.CharField(_("formulier"), max_length=20, choices=Formulier.choices)
    interesses = models.JSONField(_("gekozen interesses"), default=list, blank=True)
    gevraagd_op = models.DateTimeField(_("gevraagd op"))
    bevestigd_op = models.DateTimeField(_("bevestigd op"))

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-bevestigd_op"]
        constraints = [
            # The same confirmation link used twice is one consent.
            models.UniqueConstraint(
                fields=["abonnement", "gevraagd_op"], name="toestemming_eenmaal_per_verzoek"
            )
        ]

    def __str__(self):
        return f"{self.abonnement} ({self.bevestigd_op:%Y-%m-%d})"


class Domein(models.Model):
    """A field of society an organisatie works in (welzijn, zorg, wonen …)."""

    class Code(models.TextChoices):
        WELZIJN = "welzijn", _("welzijn")
        ZORG = "zorg", _("zorg")
        WONEN = "wonen", _("wonen")
        WERK_EN_INKOMEN = "werk-en-inkomen", _("werk en inkomen")
        SPORT = "sport", _("sport")
        CULTUUR = "cultuur", _("cultuur")
        ONDERWIJS = "onderwijs", _("onderwijs")
        VEILIGHEID = "veiligheid", _("veiligheid")

    code = models.SlugField(_("code"), max_length=30, unique=True, choices=Code.choices)

    class Meta:
        verbose_name = _("domein")
        verbose_name_plural = _("domeinen")
        ordering = ["code"]

    def __str__(self):
        return self.get_code_display()


class OrganisatieQuerySet(models.QuerySet):
    def goedgekeurd(self):
        return self.filter(status=Organisatie.Status.GOEDGEKEURD)


class Organisatie(models.Model):
    """A partner organisation of the network."""

    class Soort(models.TextChoices):
        GEMEENTE = "gemeente", _("gemeente")
        WELZIJNSORGANISATIE = "welzijnsorganisatie", _("welzijnsorganisatie")
        ZORGORGANISATIE = "zorgorganisatie", _("zorgorganisatie")
        ONDERWIJSINSTELLING = "onderwijsinstelling", _("onderwijsinstelling")
        KENNISINSTITUUT = "kennisinstituut", _("kennisinstituut")
        WONINGCORPORATIE = "woningcorporatie", _("woningcorporatie")
        CULTUURORGANISATIE = "cultuurorganisatie", _("cultuurorganisatie")
        INWONERSINITIATIEF = "inwonersinitiatief", _("inwonersinitiatief")
        WERKPLAATS = "werkplaats", _("werkplaats")
        OVERIG = "overig", _("overig")

    class Status(models.TextChoices):
        VOORGESTELD = "voorgesteld", _("voorgesteld")
        GOEDGEKEURD = "goedgekeurd", _("goedgekeurd")

    naam = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    soort = models.CharField(
        _("soort"), max_length=30, choices=Soort.choices, default=Soort.OVERIG, db_index=True
    )
    domeinen = models.ManyToManyField(
        Domein, verbose_name=_("domeinen"), related_name="organisaties", blank=True
    )
    plaats = models.CharField(_("plaats"), max_length=100, blank=True, db_index=True)
    website = models.URLField(_("website"), blank=True)
    beschrijving = models.TextField(_("beschrijving"), blank=True)
    maildomein = models.CharField(
        _("maildomein"),
        max_length=253,
        blank=True,
        help_text=_(
            "Bijvoorbeeld presikhaaf.nl. Wie een bevestigd e-mailadres op precies dit domein "
            "heeft, is meteen bevestigd lid. Leeg: leden en coördinatoren bevestigen."
        ),
    )
    # A proposed organisatie (from a sign-up) stays out of the directory until a
    # coördinator approves it.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.GOEDGEKEURD,
        db_index=True,
    )
    voorgesteld_door = models.ForeignKey(
        "netwerk.Persoon",
        verbose_name=_("voorgesteld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    # Filled by PostgreSQL for the search (werkplaats.zoekindex).
    zoekvector = ZoekvectorField()

    objects = OrganisatieQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["naam"]
        permissions = [("merge_organisatie", _("Mag organisaties samenvoegen"))]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("netwerk:organisatie", kwargs={"slug": self.slug})

    @property
    def is_goedgekeurd(self) -> bool:
        return self.status == self.Status.GOEDGEKEURD

    def clean(self):
        super().clean()
        self.maildomein = self.maildomein.strip().lstrip("@").lower()


class LidmaatschapQuerySet(models.QuerySet):
    def bevestigd(self):
        return self.filter(status=Lidmaatschap.Status.BEVESTIGD)

    def aangevraagd(self):
        return self.filter(status=Lidmaatschap.Status.AANGEVRAAGD)


class Lidmaatschap(models.Model):
    """A person's membership of an organisatie.

    Only a confirmed membership counts: then the person's deelnames count for the
    organisatie, they are listed under it and speak for it. Until then they take part on
    their own title. A member, the organisatie's mail domain or a coördinator confirms.
    """

    class Status(models.TextChoices):
        AANGEVRAAGD = "aangevraagd", _("wacht op bevestiging")
        BEVESTIGD = "bevestigd", _("bevestigd")
        AFGEWEZEN = "afgewezen", _("afgewezen")
        BEEINDIGD = "beeindigd", _("beëindigd")

    class Via(models.TextChoices):
        LID = "lid", _("een lid van de organisatie")
        MAILDOMEIN = "maildomein", _("het maildomein van de organisatie")
        COORDINATOR = "coordinator", _("een coördinator")

    OPEN_STATUSSEN = (Status.AANGEVRAAGD, Status.BEVESTIGD)

    persoon = models.ForeignKey(
        Persoon,
        verbose_name=_("persoon"),
        on_delete=models.CASCADE,
        related_name="lidmaatschappen",
    )
    organisatie = models.ForeignKey(
        Organisatie,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="lidmaatschappen",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.AANGEVRAAGD
    )
    aangevraagd_op = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    besloten_op = models.DateTimeField(_("besloten op"), null=True, blank=True)
    besloten_door = models.ForeignKey(
        Persoon,
        verbose_name=_("besloten door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    bevestigd_via = models.CharField(
        _("bevestigd via"), max_length=12, choices=Via.choices, blank=True
    )
    # Chosen by a coördinator or by the organisatie's contactpersoon before them.
    is_contactpersoon = models.BooleanField(_("contactpersoon"), default=False)

    objects = LidmaatschapQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["-aangevraagd_op"]
        constraints = [
            models.UniqueConstraint(
                fields=["persoon", "organisatie"],
                name="lidmaatschap_een_per_persoon_per_organisatie",
            ),
            # A person is with one organisatie at a time (Persoon.organisatie).
            models.UniqueConstraint(
                fields=["persoon"],
                condition=models.Q(status__in=["aangevraagd", "bevestigd"]),
                name="lidmaatschap_een_open_per_persoon",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="bevestigd") | ~models.Q(bevestigd_via=""),
                name="lidmaatschap_bevestigd_zegt_door_wie",
            ),
            models.UniqueConstraint(
                fields=["organisatie"],
                condition=models.Q(is_contactpersoon=True),
                name="lidmaatschap_een_contactpersoon_per_organisatie",
            ),
            models.CheckConstraint(
                condition=models.Q(is_contactpersoon=False) | models.Q(status="bevestigd"),
                name="lidmaatschap_contactpersoon_is_bevestigd",
            ),
        ]
        indexes = [
            models.Index(fields=["organisatie", "status"], name="lidmaatschap_organisatie_idx"),
        ]

    def __str__(self):
        return f"{self.persoon} · {self.organisatie} · {self.get_status_display()}"

    @property
    def is_bevestigd(self) -> bool:
        return self.status == self.Status.BEVESTIGD


def normalise_organisatie_naam(naam: str) -> str:
    """A name as matching compares it: lower case, no accents, punctuation or legal forms,
    and the soort words in front ("Gemeente Arnhem", "gem. arnhem" → "arnhem")."""
    text = unicodedata.normalize("NFKD", naam or "").encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9 ]+", " ", text.lower())
    words = [word for word in text.split() if word not in _NAAM_RUIS]
    return " ".join(words)


# Words that tell nothing apart: "gemeente", "stichting", "b.v." …
_NAAM_RUIS = {"gemeente", "gem", "stichting", "st", "bv", "b", "v", "vereniging", "de", "het"}


class OrganisatieAlias(models.Model):
    """Another name of an organisatie: a merged one's, or a spelling a coördinator accepted.
    Matching and the directory search find the organisatie by it."""

    organisatie = models.ForeignKey(
        Organisatie,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="aliassen",
    )
    naam = models.CharField(_("naam"), max_length=200)
    genormaliseerd = models.CharField(_("genormaliseerde naam"), max_length=200, db_index=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("andere naam van een organisatie")
        verbose_name_plural = _("andere namen van organisaties")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "genormaliseerd"], name="organisatie_alias_uniek"
            )
        ]

    def __str__(self):
        return f"{self.naam} → {self.organisatie}"


class OrganisatieSamenvoeging(models.Model):
    """The log line of one merge of organisaties: who merged what into what, and what moved."""

    doel = models.ForeignKey(
        Organisatie,
        verbose_name=_("samengevoegd in"),
        on_delete=models.CASCADE,
        related_name="samenvoegingen",
    )
    bron_naam = models.CharField(_("samengevoegde organisatie"), max_length=200)
    door = models.ForeignKey(
        Persoon,
        verbose_name=_("door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    op = models.DateTimeField(_("op"), default=timezone.now)
    verplaatst = models.JSONField(_("verplaatst"), default=dict)

    class Meta:
        verbose_name = _("samenvoeging van organisaties")
        verbose_name_plural = _("samenvoegingen van organisaties")
        ordering = ["-op", "-pk"]

    def __str__(self):
        return f"{self.bron_naam} → {self.doel}"
