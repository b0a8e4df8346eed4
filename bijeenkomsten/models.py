import uuid
from pathlib import PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# new_token: the default of the token fields in migrations 0001 and 0004, which import it here.
from werkplaats.tokens import hash_token, new_token  # noqa: F401
from werkplaats.zoekindex import ZoekvectorField

# More than any venue holds; also keeps the number far inside PostgreSQL's integer.
MAX_CAPACITY = 100_000


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
        """Annotates `bezet` and `wachtend` for lists and pages, the same counts as
        `AanmeldingQuerySet.bezet()` and `.wachtend()`, and reads the quota with their use
        (`quota_met_gebruik`) in one query for the whole list."""
        taken = models.Q(
            aanmeldingen__status__in=Aanmelding.TAKEN_STATUSES,
            aanmeldingen__boven_capaciteit=False,
        )
        return self.prefetch_related(
            models.Prefetch(
                "quota",
                queryset=Quotum.objects.met_gebruik(),
                to_attr="quota_met_gebruik",
            )
        ).annotate(
            bezet=models.Count("aanmeldingen", filter=taken, distinct=True),
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
        _("capaciteit"),
        null=True,
        blank=True,
        help_text=_("Leeg: onbeperkt."),
        validators=[MaxValueValidator(MAX_CAPACITY)],
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
    met_goedkeuring = models.BooleanField(
        _("aanmelden met goedkeuring"),
        default=False,
        help_text=_(
            "Een aanmelding is dan eerst een aanvraag: pas als het team die goedkeurt, krijgt "
            "iemand een plek (of een plaats op de wachtlijst)."
        ),
    )
    bedenktijd_uren = models.PositiveSmallIntegerField(
        _("bedenktijd (uren)"),
        default=48,
        help_text=_("Zo lang heeft iemand van de wachtlijst om een aangeboden plek te claimen."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    # iCalendar SEQUENCE: raised with every change of time or place people were mailed about.
    ics_volgnummer = models.PositiveIntegerField(_("agendaversie"), default=0, editable=False)
    herinnering_verstuurd_op = models.DateTimeField(
        _("herinnering verstuurd op"), null=True, blank=True, editable=False
    )
    # Set once the evaluation went to those present (by the team or the periodic task).
    evaluatie_verstuurd_op = models.DateTimeField(
        _("evaluatie verstuurd op"), null=True, blank=True, editable=False
    )
    contact_email = models.EmailField(_("contactadres"), blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd"), auto_now=True)

    # Filled by PostgreSQL for the search (werkplaats.zoekindex).
    zoekvector = ZoekvectorField()

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

    def _counts(self) -> tuple[int, list]:
        """(taken places, the quota with their `gebruikt`): the `met_bezetting` annotation
        when the row has it (pages), else counted (services, under the row lock: a locked
        row never carries the annotation, so the count is fresh)."""
        bezet = getattr(self, "bezet", None)
        quota = getattr(self, "quota_met_gebruik", None)
        if bezet is None:
            bezet = self.aanmeldingen.bezet().count()
        if quota is None:
            quota = list(self.quota.met_gebruik())
        return bezet, quota

    def reservering_loopt(self, now=None) -> bool:
        """Some places are still held for a network (a quotum runs)."""
        return any(quotum.loopt(now) for quotum in self._counts()[1])

    def quotum_vrij(self, quotum, now=None) -> int:
        """Places of `quotum` still free while it runs; 0 otherwise."""
        if self.capaciteit is None:
            return 0
        bezet, quota = self._counts()
        quotum = next((q for q in quota if q.pk == quotum.pk), None)
        if quotum is None or not quotum.loopt(now):
            return 0
        return min(quotum.ongebruikt, max(self.capaciteit - bezet, 0))

    def gereserveerd_vrij(self, now=None) -> int:
        """The places of all running quota still free together; 0 when none runs."""
        if self.capaciteit is None:
            return 0
        bezet, quota = self._counts()
        vrij = sum(quotum.ongebruikt for quotum in quota if quotum.loopt(now))
        return min(vrij, max(self.capaciteit - bezet, 0))

    def open_plaatsen_vrij(self, now=None) -> int | None:
        """Places left for everyone (the free places of running quota excluded): the common
        pool; None: unlimited."""
        if self.capaciteit is None:
            return None
        bezet, _quota = self._counts()
        return max(self.capaciteit - bezet - self.gereserveerd_vrij(now), 0)

    @property
    def plaatsen_vrij(self) -> int | None:
        """Places left for everyone; None: unlimited. The one definition pages and
        services share (speakers and guests of honour above capacity are not counted)."""
        return self.open_plaatsen_vrij()

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
        """The registrations that hold one of the places (above-capacity ones do not)."""
        return self.filter(status__in=Aanmelding.TAKEN_STATUSES, boven_capaciteit=False)

    def wachtend(self):
        return self.filter(status=Aanmelding.Status.WACHTLIJST).order_by("wachtlijst_volgorde")

    def van_netwerk(self, organisatie):
        """The registrations that belong to a co-organising organisatie's network: confirmed
        members of it, and whoever its co-organisatoren of the bijeenkomst registered or
        invited (issue 21, point 5: what a co-organisator sees and manages)."""
        leden = apps.get_model("netwerk", "Lidmaatschap").objects.bevestigd()
        lidmaatschap = models.Q(persoon__in=leden.filter(organisatie=organisatie).values("persoon"))
        team = Teamlid.objects.filter(
            bijeenkomst=models.OuterRef("bijeenkomst"), organisatie=organisatie
        )
        door_team = models.Exists(team.filter(persoon=models.OuterRef("aangemeld_door")))
        uitgenodigd = models.Exists(
            Uitnodiging.objects.filter(
                aanmelding=models.OuterRef("pk"),
                uitgenodigd_door__in=Teamlid.objects.filter(organisatie=organisatie).values(
                    "persoon"
                ),
            )
        )
        return self.filter(lidmaatschap | door_team | uitgenodigd)


class Groep(models.Model):
    """People registered together by one of them or their contactpersoon
    (bijeenkomsten.services.groups, whose docstring has the rules of the wachtlijst)."""

    class Keuze(models.TextChoices):
        SPLITSEN = "splitsen", _("splitsen: wie past krijgt een plek, de rest wacht")
        SAMEN = "samen", _("samen: de groep wacht tot er plek is voor iedereen")

    bijeenkomst = models.ForeignKey(
        Bijeenkomst, on_delete=models.CASCADE, related_name="groepen", verbose_name=_("bijeenkomst")
    )
    aangemeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="aangemelde_groepen",
        verbose_name=_("aangemeld door"),
    )
    keuze = models.CharField(_("als er geen plek is voor iedereen"), max_length=10, choices=Keuze)
    aangemaakt_op = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    # A "samen" group at the head of the wachtlijst that does not fit holds the free places
    # until then (set the first time it does); after it, it is passed over (groups.py).
    vasthouden_tot = models.DateTimeField(_("houdt vrije plaatsen vast tot"), null=True, blank=True)
    doorgelaten_op = models.DateTimeField(
        _("anderen doorgelaten op"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["aangemaakt_op", "pk"]
        indexes = [
            # The periodic task's question: which holds ran out and were not yet passed on.
            models.Index(
                fields=["vasthouden_tot"],
                condition=models.Q(doorgelaten_op__isnull=True, vasthouden_tot__isnull=False),
                name="groep_vasthouden_idx",
            )
        ]

    def __str__(self):
        return f"{self.get_keuze_display()} — {self.bijeenkomst}"

    @property
    def is_samen(self) -> bool:
        return self.keuze == self.Keuze.SAMEN


class Aanmelding(models.Model):
    """One person's registration for a bijeenkomst, reachable through a personal token."""

    class Status(models.TextChoices):
        BEVESTIGD = "bevestigd", _("bevestigd")
        WACHTLIJST = "wachtlijst", _("op de wachtlijst")
        AANGEBODEN = "aangeboden", _("plek aangeboden")
        GEANNULEERD = "geannuleerd", _("geannuleerd")
        VERLOPEN = "verlopen", _("aanbod verlopen")
        # Registration with approval (services/approval.py): no place until approved.
        AANGEVRAAGD = "aangevraagd", _("aangevraagd, wacht op goedkeuring")
        AFGEWEZEN = "afgewezen", _("aanvraag afgewezen")

    class Bron(models.TextChoices):
        """How the registration came in: set by the service that creates it."""

        ZELF = "zelf", _("zelf")
        NAMENS = "namens", _("namens iemand, door een coördinator")
        IMPORT = "import", _("import")
        GAST = "gast", _("gast-link")
        UITNODIGING = "uitnodiging", _("uitnodiging")
        TER_PLEKKE = "ter-plekke", _("ter plekke")
        CONTACTPERSOON = "contactpersoon", _("door de contactpersoon van de organisatie")
        DOORGEGEVEN = "doorgegeven", _("plek doorgegeven door een collega")
        GROEP = "groep", _("in een groep aangemeld door een collega")

    # The statuses that are still in play, and those that hold one of the places: defined
    # here once for services and pages (Meta below cannot see them and spells them out).
    OPEN_STATUSES = [Status.BEVESTIGD, Status.WACHTLIJST, Status.AANGEBODEN, Status.AANGEVRAAGD]
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
        help_text=_(
            "Wordt bij plaatsing op de wachtlijst gegeven; alleen een coördinator verschuift "
            "iemand, met een reden in het logboek."
        ),
    )
    doorgeschoven_op = models.DateTimeField(
        _("van de wachtlijst doorgeschoven op"), null=True, blank=True, editable=False
    )
    aanbod_tot = models.DateTimeField(_("aanbod geldig tot"), null=True, blank=True)
    herinnerd_op = models.DateTimeField(_("herinnering gestuurd op"), null=True, blank=True)
    aangemeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemeld door"),
    )
    aangemeld_op = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    # A guest's mails are in the language they registered in; a person's follow the language
    # stored on them (netwerk.outbox.RecipientLanguages).
    taal = models.CharField(
        _("taal"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("De taal waarin een gast zich aanmeldde: die van de mails aan hem of haar."),
    )
    bron = models.CharField(
        _("bron"), max_length=20, choices=Bron.choices, default=Bron.ZELF, editable=False
    )
    opmerkingen = models.TextField(_("opmerkingen"), max_length=2000, blank=True)
    boven_capaciteit = models.BooleanField(
        _("boven capaciteit"),
        default=False,
        help_text=_("Spreker of eregast: telt niet mee voor de plaatsen van anderen."),
    )
    boven_capaciteit_reden = models.CharField(
        _("reden boven capaciteit"), max_length=300, blank=True
    )
    aanwezig_op = models.DateTimeField(_("aanwezig gemeld op"), null=True, blank=True)
    aanwezig_gemeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanwezig gemeld door"),
    )
    gewijzigd_op = models.DateTimeField(_("gewijzigd"), auto_now=True)
    # The registration whose place this one took over (bijeenkomsten.services.handing_on).
    doorgegeven_van = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("plek overgenomen van"),
    )
    # The free-text `organisatie` matched to a row (bijeenkomsten.services.organisaties);
    # `organisatie_bekeken` once matching looked at it, so it looks only once.
    gekoppelde_organisatie = models.ForeignKey(
        "netwerk.Organisatie",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aanmeldingen",
        verbose_name=_("gekoppelde organisatie"),
    )
    organisatie_bekeken = models.BooleanField(
        _("organisatie bekeken"), default=False, editable=False
    )
    # Only the day, and nothing that points at the EvaluatieInzending: which answers are
    # whose cannot be read back (bijeenkomsten.services.evaluatie).
    evaluatie_ingevuld_op = models.DateField(
        _("evaluatie ingevuld op"), null=True, blank=True, editable=False
    )
    # The group this registration came in with (bijeenkomsten.services.groups).
    groep = models.ForeignKey(
        "Groep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="aanmeldingen",
        verbose_name=_("groep"),
    )
    quotum = models.ForeignKey(
        "Quotum",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aanmeldingen",
        verbose_name=_("op een plaats van het quotum"),
        help_text=_(
            "Een van de plaatsen die voor een netwerk werden vastgehouden: de arena van de "
            "gekoppelde leerateliers of een co-organiserende organisatie."
        ),
    )

    objects = AanmeldingQuerySet.as_manager()

    # The raw token of a personal link issued (mailed) or used in this request; it is never
    # stored: the database keeps only its hash, in PersoonlijkeLink.
    token = None

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["aangemeld_op", "pk"]
        constraints = [
            models.UniqueConstraint(
                models.F("bijeenkomst"),
                Lower("email"),
                condition=models.Q(
                    status__in=["bevestigd", "wachtlijst", "aangeboden", "aangevraagd"]
                ),
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
            models.CheckConstraint(
                condition=models.Q(boven_capaciteit=False) | ~models.Q(boven_capaciteit_reden=""),
                name="aanmelding_boven_capaciteit_heeft_reden",
                violation_error_message=_("Geef de reden voor een plaats boven de capaciteit."),
            ),
        ]
        indexes = [
            models.Index(fields=["bijeenkomst", "status"], name="aanmelding_bijeenkomst_idx"),
            models.Index(
                fields=["aanbod_tot"],
                condition=models.Q(status="aangeboden"),
                name="aanmelding_open_aanbod_idx",
            ),
            # A person's registrations on /mijn/: by account or by address (iexact).
            models.Index(Upper("email"), name="aanmelding_email_idx"),
            # The ones matching has yet to look at.
            models.Index(
                fields=["id"],
                condition=models.Q(organisatie_bekeken=False) & ~models.Q(organisatie=""),
                name="aanmelding_te_koppelen_idx",
            ),
        ]

    def __str__(self):
        return f"{self.naam} <{self.email}> — {self.bijeenkomst}"

    def get_absolute_url(self):
        """The personal link when its token is known in this request; else the page that
        gives its owner, logged in, a new personal link."""
        if self.token:
            return reverse("bijeenkomsten:aanmelding", kwargs={"token": self.token})
        return reverse("bijeenkomsten:eigen-aanmelding", kwargs={"pk": self.pk})

    @property
    def op_reservering(self) -> bool:
        """On one of the places a quotum held (the arena's, or an organisatie's)."""
        return self.quotum_id is not None

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
        AANGEMAAKT = "aangemaakt", _("bijeenkomst aangemaakt")
        GEWIJZIGD = "gewijzigd", _("bijeenkomst gewijzigd")
        GEPUBLICEERD = "gepubliceerd", _("bijeenkomst gepubliceerd")
        BIJEENKOMST_GEANNULEERD = "bijeenkomst-geannuleerd", _("bijeenkomst geannuleerd")
        CAPACITEIT = "capaciteit", _("capaciteit gewijzigd")
        RESERVERING_VRIJGEGEVEN = "reservering-vrijgegeven", _("gereserveerde plaatsen vrijgegeven")
        AANGEMELD_NAMENS = "aangemeld-namens", _("aangemeld namens iemand")
        BOVEN_CAPACITEIT = "boven-capaciteit", _("aangemeld boven capaciteit")
        GEIMPORTEERD = "geimporteerd", _("aanmeldingen geïmporteerd")
        AANMELDING_GEANNULEERD = "aanmelding-geannuleerd", _("aanmelding geannuleerd")
        PLEK_AANGEBODEN = "plek-aangeboden", _("plek aangeboden")
        VERSCHOVEN = "verschoven", _("op de wachtlijst verschoven")
        VAN_WACHTLIJST = "van-wachtlijst", _("van de wachtlijst gehaald")
        AANWEZIG = "aanwezig", _("aanwezig gemeld")
        TER_PLEKKE = "ter-plekke", _("ter plekke aangemeld")
        AANWEZIG_ONGEDAAN = "aanwezig-ongedaan", _("aanwezigheid ongedaan gemaakt")
        BERICHT = "bericht", _("bericht verstuurd")
        UITGENODIGD = "uitgenodigd", _("uitnodigingen verstuurd")
        UITNODIGING_HERINNERD = "uitnodiging-herinnerd", _("uitgenodigden herinnerd")
        GOEDGEKEURD = "goedgekeurd", _("aanvraag goedgekeurd")
        AFGEWEZEN = "afgewezen", _("aanvraag afgewezen")
        VRAGEN = "vragen", _("vragen gewijzigd")
        DOORGEGEVEN = "doorgegeven", _("plek doorgegeven aan een collega")
        GROEP_AANGEMELD = "groep-aangemeld", _("als groep aangemeld")
        AANGEMELD_DOOR_CONTACTPERSOON = (
            "contactpersoon",
            _("aangemeld door de contactpersoon van de organisatie"),
        )
        TEAM = "team", _("team gewijzigd")
        QUOTUM = "quotum", _("quotum gewijzigd")

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


class Uitnodiging(models.Model):
    """One invitation of one address to one bijeenkomst; its link registers without the
    guest confirmation, because the link proves the address."""

    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="uitnodigingen",
        verbose_name=_("bijeenkomst"),
    )
    email = models.EmailField(_("e-mailadres"), max_length=254)
    naam = models.CharField(_("naam"), max_length=150, blank=True)
    persoon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uitnodigingen",
        verbose_name=_("persoon"),
    )
    uitgenodigd_op = models.DateTimeField(_("uitgenodigd op"), default=timezone.now)
    uitgenodigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    persoonlijk_bericht = models.TextField(
        _("persoonlijk bericht"),
        max_length=1000,
        blank=True,
        help_text=_("Van wie uitnodigde; gewone tekst, in de uitnodiging getoond."),
    )
    herinneringsronde = models.PositiveSmallIntegerField(_("herinneringsronde"), default=0)
    herinnerd_op = models.DateTimeField(_("laatst herinnerd op"), null=True, blank=True)
    aanmelding = models.ForeignKey(
        Aanmelding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanmelding"),
    )

    # As Aanmelding.token: known only in the request that issued or used the link.
    token = None

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["uitgenodigd_op", "pk"]
        constraints = [
            models.UniqueConstraint(
                models.F("bijeenkomst"),
                Lower("email"),
                name="uitnodiging_een_per_adres",
                violation_error_message=_("Dit adres is al uitgenodigd voor deze bijeenkomst."),
            )
        ]

    def __str__(self):
        return f"{self.email} — {self.bijeenkomst}"


class PersoonlijkeLinkQuerySet(models.QuerySet):
    def van_token(self, token: str):
        return self.filter(token_hash=hash_token(token))


class PersoonlijkeLink(models.Model):
    """One personal link mailed for a registration or an invitation: only the SHA-256 of its
    token is kept, so neither /beheer/ nor a copy of the database shows a working link.

    Every mail that carries a link gets a new one, and links mailed before keep working (a
    reminder does not break the QR code of the confirmation someone shows at the door);
    they all die with their registration or invitation, and when it is anonymised.
    """

    token_hash = models.CharField(_("hash van de sleutel"), max_length=64, unique=True)
    aanmelding = models.ForeignKey(
        Aanmelding,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="links",
        verbose_name=_("aanmelding"),
    )
    uitnodiging = models.ForeignKey(
        Uitnodiging,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="links",
        verbose_name=_("uitnodiging"),
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = PersoonlijkeLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("persoonlijke link")
        verbose_name_plural = _("persoonlijke links")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(aanmelding__isnull=False, uitnodiging__isnull=True)
                | models.Q(aanmelding__isnull=True, uitnodiging__isnull=False),
                name="persoonlijke_link_van_een_ding",
            )
        ]

    def __str__(self):
        return str(self.aanmelding or self.uitnodiging)


class Bericht(models.Model):
    """A mail from the coördinatoren to everyone registered (or one status group)."""

    class Doelgroep(models.TextChoices):
        OPEN = "open", _("iedereen met een lopende aanmelding")
        BEVESTIGD = "bevestigd", _("bevestigd")
        WACHTLIJST = "wachtlijst", _("op de wachtlijst")
        AANGEBODEN = "aangeboden", _("plek aangeboden")

    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="berichten",
        verbose_name=_("bijeenkomst"),
    )
    onderwerp = models.CharField(_("onderwerp"), max_length=200)
    tekst = models.TextField(_("tekst"), max_length=10000)
    doelgroep = models.CharField(
        _("aan"), max_length=20, choices=Doelgroep.choices, default=Doelgroep.OPEN
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    verstuurd_op = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    aantal = models.PositiveIntegerField(_("aantal ontvangers"), null=True, blank=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-aangemaakt_op", "-pk"]

    def __str__(self):
        return self.onderwerp


class GastAanmeldingQuerySet(models.QuerySet):
    def verlopen(self, now):
        return self.filter(verloopt_op__lte=now)


class GastAanmelding(models.Model):
    """A guest's registration waiting for them to confirm their address.

    The link in the mail carries only a random token; the data stays here, and only the
    token's hash is stored, so a copy of the database gives no working links. The link works
    once: confirming marks it used and clears the personal data (it now lives in the
    Aanmelding). A periodic task deletes the rows once expired.
    """

    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="gast_aanmeldingen",
        verbose_name=_("bijeenkomst"),
    )
    token_hash = models.CharField(_("hash van de sleutel"), max_length=64, unique=True)
    email = models.EmailField(_("e-mailadres"), max_length=254, blank=True)
    naam = models.CharField(_("naam"), max_length=150, blank=True)
    organisatie = models.CharField(_("organisatie"), max_length=200, blank=True)
    functie = models.CharField(_("functie"), max_length=200, blank=True)
    taal = models.CharField(_("taal"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # The answers to the bijeenkomst's questions, {vraag pk: value}, until confirmed.
    antwoorden = models.JSONField(_("antwoorden"), default=dict, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    verloopt_op = models.DateTimeField(_("verloopt op"), db_index=True)
    gebruikt_op = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    aanmelding = models.ForeignKey(
        Aanmelding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanmelding"),
    )

    objects = GastAanmeldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanmelding in afwachting van bevestiging")
        verbose_name_plural = _("aanmeldingen in afwachting van bevestiging")

    def __str__(self):
        return f"{self.bijeenkomst} ({self.aangemaakt_op:%Y-%m-%d %H:%M})"


class Import(models.Model):
    """A coördinator's confirmed CSV import, registered by a Celery task: thousands of rows
    take longer than a web request may. One per checked file (its token), so confirming
    twice imports once; the rows are kept only until the task has run."""

    class Status(models.TextChoices):
        WACHTRIJ = "wachtrij", _("wacht op verwerking")
        KLAAR = "klaar", _("geïmporteerd")
        MISLUKT = "mislukt", _("niet geïmporteerd")

    bijeenkomst = models.ForeignKey(
        Bijeenkomst, on_delete=models.CASCADE, related_name="imports", verbose_name=_("bijeenkomst")
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    token = models.CharField(_("sleutel"), max_length=64, unique=True)
    bestand = models.CharField(_("bestand"), max_length=255, blank=True)
    rijen = models.JSONField(_("rijen"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.WACHTRIJ
    )
    melding = models.CharField(_("melding"), max_length=1000, blank=True)
    aantal = models.PositiveIntegerField(_("aantal rijen"), default=0)
    bevestigd = models.PositiveIntegerField(_("bevestigd"), default=0)
    wachtlijst = models.PositiveIntegerField(_("op de wachtlijst"), default=0)
    aangemaakt_op = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    afgerond_op = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-aangemaakt_op", "-pk"]

    def __str__(self):
        return f"{self.bestand} — {self.bijeenkomst}"


class ImportControle(models.Model):
    """A checked CSV file waiting for the coördinator's confirmation (step two of the
    import): its valid rows, its errors per row and the columns it ignored. Kept in the
    database, not the cache, so a Redis that is away or evicts keys never loses it; deleted
    once its import is done or IMPORT_CHECK_KEPT has passed (it holds names and addresses)."""

    token = models.CharField(_("sleutel"), max_length=64, unique=True)
    bijeenkomst = models.ForeignKey(
        Bijeenkomst, on_delete=models.CASCADE, related_name="+", verbose_name=_("bijeenkomst")
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("door"),
    )
    bestand = models.CharField(_("bestand"), max_length=255, blank=True)
    rijen = models.JSONField(_("rijen"), default=list, blank=True)
    fouten = models.JSONField(_("fouten"), default=list, blank=True)
    genegeerde_kolommen = models.JSONField(_("genegeerde kolommen"), default=list, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("gecontroleerd importbestand")
        verbose_name_plural = _("gecontroleerde importbestanden")

    def __str__(self):
        return f"{self.bestand} — {self.bijeenkomst}"


class VraagQuerySet(models.QuerySet):
    def voor_aanmelding(self):
        return self.filter(doel=Vraag.Doel.AANMELDING).order_by("volgorde", "pk")

    def voor_evaluatie(self):
        return self.filter(doel=Vraag.Doel.EVALUATIE).order_by("volgorde", "pk")


class Vraag(models.Model):
    """A question the team asks: in the registration form now, in the evaluation form
    after the bijeenkomst (issue 22) with the same model: `doel` says which form, and the
    soort `schaal` (1 to 5) is for the evaluation only."""

    class Doel(models.TextChoices):
        AANMELDING = "aanmelding", _("aanmeldformulier")
        EVALUATIE = "evaluatie", _("evaluatie")

    class Soort(models.TextChoices):
        KORT = "kort", _("korte tekst")
        LANG = "lang", _("lange tekst")
        EEN_KEUZE = "een-keuze", _("één keuze")
        MEER_KEUZES = "meer-keuzes", _("meerdere keuzes")
        JA_NEE = "ja-nee", _("ja of nee")
        SCHAAL = "schaal", _("schaal van 1 tot 5")

    KEUZE_SOORTEN = (Soort.EEN_KEUZE, Soort.MEER_KEUZES)
    SOORTEN_PER_DOEL = {
        Doel.AANMELDING: (Soort.KORT, Soort.LANG, Soort.EEN_KEUZE, Soort.MEER_KEUZES, Soort.JA_NEE),
        Doel.EVALUATIE: (Soort.SCHAAL, Soort.KORT, Soort.LANG, Soort.EEN_KEUZE),
    }

    bijeenkomst = models.ForeignKey(
        Bijeenkomst, on_delete=models.CASCADE, related_name="vragen", verbose_name=_("bijeenkomst")
    )
    doel = models.CharField(
        _("formulier"), max_length=20, choices=Doel.choices, default=Doel.AANMELDING
    )
    soort = models.CharField(_("soort vraag"), max_length=20, choices=Soort.choices)
    tekst = models.CharField(_("vraag"), max_length=300)
    hulptekst = models.CharField(_("toelichting"), max_length=500, blank=True)
    verplicht = models.BooleanField(_("verplicht"), default=False)
    keuzes = models.TextField(
        _("keuzes"),
        max_length=3000,
        blank=True,
        help_text=_("Eén keuze per regel; alleen bij één keuze of meerdere keuzes."),
    )
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = VraagQuerySet.as_manager()

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["volgorde", "pk"]
        constraints = [
            # The import maps its extra columns to questions by their text.
            models.UniqueConstraint(
                models.F("bijeenkomst"),
                models.F("doel"),
                Lower("tekst"),
                name="vraag_unieke_tekst",
                violation_error_message=_("Deze bijeenkomst heeft deze vraag al."),
            ),
            models.CheckConstraint(
                condition=~models.Q(soort="schaal") | models.Q(doel="evaluatie"),
                name="vraag_schaal_alleen_in_evaluatie",
                violation_error_message=_("Een schaal van 1 tot 5 hoort bij de evaluatie."),
            ),
        ]
        indexes = [
            models.Index(fields=["bijeenkomst", "doel", "volgorde"], name="vraag_bijeenkomst_idx")
        ]

    def __str__(self):
        return self.tekst

    def keuzelijst(self) -> list[str]:
        """The choices, one per line, without empty lines or repeats."""
        seen: dict[str, None] = {}
        for line in self.keuzes.splitlines():
            if line.strip():
                seen.setdefault(line.strip(), None)
        return list(seen)

    def clean(self):
        super().clean()
        errors = {}
        if self.soort and self.soort not in self.SOORTEN_PER_DOEL.get(self.doel, ()):
            errors["soort"] = _("Deze soort vraag past niet bij dit formulier.")
        if self.soort in self.KEUZE_SOORTEN:
            if len(self.keuzelijst()) < 2:
                errors["keuzes"] = _("Geef minstens twee keuzes, één per regel.")
            elif any(len(keuze) > 200 for keuze in self.keuzelijst()):
                errors["keuzes"] = _("Een keuze is hoogstens 200 tekens.")
            elif any(";" in keuze for keuze in self.keuzelijst()):
                # The export separates several choices by "; ", and the import splits there.
                errors["keuzes"] = _("Een keuze bevat geen puntkomma.")
        elif self.keuzes.strip():
            errors["keuzes"] = _("Alleen een vraag met keuzes heeft keuzes.")
        if errors:
            raise ValidationError(errors)


class Antwoord(models.Model):
    """One registration's answer to one question; several choices are one per line.
    Deleted when the registration is anonymised (retention, account deletion)."""

    aanmelding = models.ForeignKey(
        Aanmelding,
        on_delete=models.CASCADE,
        related_name="antwoorden",
        verbose_name=_("aanmelding"),
    )
    vraag = models.ForeignKey(
        Vraag, on_delete=models.CASCADE, related_name="antwoorden", verbose_name=_("vraag")
    )
    waarde = models.TextField(_("antwoord"), max_length=3000)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(fields=["aanmelding", "vraag"], name="antwoord_een_per_vraag")
        ]
        indexes = [models.Index(fields=["vraag"], name="antwoord_vraag_idx")]

    def __str__(self):
        return self.waarde

    @property
    def getoond(self) -> str:
        """The answer as a line of text: several choices separated by commas."""
        return ", ".join(part for part in self.waarde.splitlines() if part)


class EvaluatieInzending(models.Model):
    """One filled-in evaluation of a bijeenkomst, without whoever filled it in: no link to
    the aanmelding or the person, no time. The key is random (a UUID), so neither the order
    of the rows nor their keys tell in which order people answered; the aanmelding only
    records the day it was filled in (`Aanmelding.evaluatie_ingevuld_op`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="evaluaties",
        verbose_name=_("bijeenkomst"),
    )

    class Meta:
        verbose_name = _("ingevulde evaluatie")
        verbose_name_plural = _("ingevulde evaluaties")
        ordering = ["id"]

    def __str__(self):
        return str(self.bijeenkomst)


class EvaluatieAntwoord(models.Model):
    """One answer of an anonymous evaluation to one of its questions (a scale value "1" to
    "5", a choice, or open text). Random keys too, for the same reason as its inzending."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inzending = models.ForeignKey(
        EvaluatieInzending,
        on_delete=models.CASCADE,
        related_name="antwoorden",
        verbose_name=_("ingevulde evaluatie"),
    )
    vraag = models.ForeignKey(
        Vraag,
        on_delete=models.CASCADE,
        related_name="evaluatie_antwoorden",
        verbose_name=_("vraag"),
    )
    waarde = models.TextField(_("antwoord"), max_length=3000)

    class Meta:
        verbose_name = _("antwoord op de evaluatie")
        verbose_name_plural = _("antwoorden op de evaluatie")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inzending", "vraag"], name="evaluatie_antwoord_een_per_vraag"
            )
        ]

    def __str__(self):
        return self.waarde


class ProgrammaOnderdeelQuerySet(models.QuerySet):
    def bovenste(self):
        """The items of the programme itself (the deelsessies belong to their ronde)."""
        return self.filter(ronde__isnull=True).order_by("start", "pk")

    def deelsessies(self):
        return self.filter(soort=ProgrammaOnderdeel.Soort.DEELSESSIE)

    def met_bezetting(self):
        """Annotates `bezet` and `wachtend` on deelsessies, as `SessieKeuze` counts them."""
        return self.annotate(
            bezet=models.Count(
                "keuzes",
                filter=models.Q(keuzes__status__in=SessieKeuze.TAKEN_STATUSES),
                distinct=True,
            ),
            wachtend=models.Count(
                "keuzes",
                filter=models.Q(keuzes__status=SessieKeuze.Status.WACHTLIJST),
                distinct=True,
            ),
        )


class ProgrammaOnderdeel(models.Model):
    """One item of a bijeenkomst's programme: a plenary part, a break, or a ronde whose
    deelsessies (items with `ronde` set) run side by side, each with its own places."""

    class Soort(models.TextChoices):
        PLENAIR = "plenair", _("plenair")
        RONDE = "ronde", _("ronde met deelsessies")
        PAUZE = "pauze", _("pauze")
        DEELSESSIE = "deelsessie", _("deelsessie")

    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="programma",
        verbose_name=_("bijeenkomst"),
    )
    ronde = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deelsessies",
        verbose_name=_("ronde"),
    )
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    titel = models.CharField(_("titel"), max_length=200)
    start = models.DateTimeField(_("begint"))
    eind = models.DateTimeField(_("eindigt"))
    zaal = models.CharField(_("zaal"), max_length=200, blank=True)
    beschrijving = models.TextField(_("beschrijving"), max_length=10000, blank=True)
    beschrijving_html = models.TextField(_("beschrijving als HTML"), blank=True, editable=False)
    capaciteit = models.PositiveIntegerField(
        _("capaciteit"),
        null=True,
        blank=True,
        help_text=_("Alleen voor een deelsessie. Leeg: onbeperkt."),
        validators=[MaxValueValidator(MAX_CAPACITY)],
    )
    wachtlijst_open = models.BooleanField(_("wachtlijst open"), default=True)

    objects = ProgrammaOnderdeelQuerySet.as_manager()

    class Meta:
        verbose_name = _("programmaonderdeel")
        verbose_name_plural = _("programmaonderdelen")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(eind__gt=models.F("start")),
                name="programmaonderdeel_eind_na_start",
                violation_error_message=_("Het einde moet na de start liggen."),
            ),
            models.CheckConstraint(
                condition=models.Q(soort="deelsessie", ronde__isnull=False)
                | (~models.Q(soort="deelsessie") & models.Q(ronde__isnull=True)),
                name="programmaonderdeel_deelsessie_in_ronde",
                violation_error_message=_("Een deelsessie hoort bij een ronde, en alleen die."),
            ),
            models.CheckConstraint(
                condition=models.Q(soort="deelsessie") | models.Q(capaciteit__isnull=True),
                name="programmaonderdeel_capaciteit_alleen_deelsessie",
                violation_error_message=_("Alleen een deelsessie heeft een eigen capaciteit."),
            ),
        ]
        indexes = [
            models.Index(fields=["bijeenkomst", "start"], name="programma_bijeenkomst_idx"),
        ]

    def __str__(self):
        return self.titel

    def clean(self):
        super().clean()
        if self.ronde_id is not None and self.ronde.soort != self.Soort.RONDE:
            raise ValidationError({"ronde": _("Kies een ronde met deelsessies.")})

    def _counts(self) -> int:
        bezet = getattr(self, "bezet", None)
        if bezet is None:
            bezet = self.keuzes.filter(status__in=SessieKeuze.TAKEN_STATUSES).count()
        return bezet

    @property
    def plaatsen_vrij(self) -> int | None:
        """Places left in this deelsessie; None: unlimited."""
        if self.capaciteit is None:
            return None
        return max(self.capaciteit - self._counts(), 0)

    @property
    def is_vol(self) -> bool:
        return self.plaatsen_vrij == 0


class Spreker(models.Model):
    """Who speaks at a programme item: a portal person (named only while their profile is
    visible) or a free name with a short bio."""

    onderdeel = models.ForeignKey(
        ProgrammaOnderdeel,
        on_delete=models.CASCADE,
        related_name="sprekers",
        verbose_name=_("programmaonderdeel"),
    )
    persoon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("persoon"),
    )
    naam = models.CharField(_("naam"), max_length=150, blank=True)
    bio = models.CharField(_("korte bio"), max_length=500, blank=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("spreker")
        verbose_name_plural = _("sprekers")
        ordering = ["volgorde", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(persoon__isnull=False) | ~models.Q(naam=""),
                name="spreker_persoon_of_naam",
                violation_error_message=_("Kies een persoon of geef een naam."),
            )
        ]

    def __str__(self):
        return self.naam or str(self.persoon_id)

    @property
    def getoonde_naam(self) -> str:
        """The name pages may show: a person's only while their profile is visible (their
        own choice, as the kennisbank decides it), else the free name, else nothing."""
        if self.persoon_id and self.persoon.profiel_zichtbaar and self.persoon.is_active:
            return self.persoon.naam
        return self.naam


class SessieKeuze(models.Model):
    """A registration's choice of one deelsessie in a ronde, with its own place or its own
    wachtlijst (bijeenkomsten.services.sessions holds the rules).

    `gekozen`: the registration waits for a place at the bijeenkomst itself; the choice
    takes a session place (or the session's wachtlijst) only once it has one. While
    switching, a registration holds its old session (bevestigd) and waits for the new one.
    """

    class Status(models.TextChoices):
        GEKOZEN = "gekozen", _("gekozen, wacht op een plek bij de bijeenkomst")
        BEVESTIGD = "bevestigd", _("bevestigd")
        WACHTLIJST = "wachtlijst", _("op de wachtlijst")
        AANGEBODEN = "aangeboden", _("plek aangeboden")
        GEANNULEERD = "geannuleerd", _("geannuleerd")
        VERLOPEN = "verlopen", _("aanbod verlopen")

    TAKEN_STATUSES = [Status.BEVESTIGD, Status.AANGEBODEN]
    PENDING_STATUSES = [Status.GEKOZEN, Status.WACHTLIJST, Status.AANGEBODEN]
    OPEN_STATUSES = [Status.GEKOZEN, Status.BEVESTIGD, Status.WACHTLIJST, Status.AANGEBODEN]

    aanmelding = models.ForeignKey(
        Aanmelding,
        on_delete=models.CASCADE,
        related_name="sessiekeuzes",
        verbose_name=_("aanmelding"),
    )
    deelsessie = models.ForeignKey(
        ProgrammaOnderdeel,
        on_delete=models.CASCADE,
        related_name="keuzes",
        verbose_name=_("deelsessie"),
    )
    # The deelsessie's ronde, kept on the row so the database can hold one choice per ronde.
    ronde = models.ForeignKey(
        ProgrammaOnderdeel,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ronde"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    wachtlijst_volgorde = models.PositiveIntegerField(
        _("plek in de wachtrij"), null=True, blank=True, editable=False
    )
    aanbod_tot = models.DateTimeField(_("aanbod geldig tot"), null=True, blank=True)
    doorgeschoven_op = models.DateTimeField(
        _("van de wachtlijst doorgeschoven op"), null=True, blank=True, editable=False
    )
    gekozen_op = models.DateTimeField(_("gekozen op"), default=timezone.now)
    gewijzigd_op = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("sessiekeuze")
        verbose_name_plural = _("sessiekeuzes")
        ordering = ["ronde__start", "ronde_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["aanmelding", "ronde"],
                condition=models.Q(status="bevestigd"),
                name="sessiekeuze_een_plek_per_ronde",
            ),
            models.UniqueConstraint(
                fields=["aanmelding", "ronde"],
                condition=models.Q(status__in=["gekozen", "wachtlijst", "aangeboden"]),
                name="sessiekeuze_een_wens_per_ronde",
            ),
            models.UniqueConstraint(
                fields=["deelsessie", "wachtlijst_volgorde"],
                name="sessiekeuze_unieke_wachtlijst_volgorde",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="wachtlijst")
                | models.Q(wachtlijst_volgorde__isnull=False),
                name="sessiekeuze_wachtlijst_heeft_volgorde",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="aangeboden") | models.Q(aanbod_tot__isnull=False),
                name="sessiekeuze_aanbod_heeft_termijn",
            ),
        ]
        indexes = [
            models.Index(fields=["deelsessie", "status"], name="sessiekeuze_deelsessie_idx"),
            models.Index(
                fields=["aanbod_tot"],
                condition=models.Q(status="aangeboden"),
                name="sessiekeuze_open_aanbod_idx",
            ),
        ]

    def __str__(self):
        return f"{self.aanmelding_id} → {self.deelsessie}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def aanbod_loopt(self, now=None) -> bool:
        """An offered session place that can still be claimed (the rule of Aanmelding)."""
        return self.status == self.Status.AANGEBODEN and (now or timezone.now()) < self.aanbod_tot

    def wachtlijst_positie(self) -> int | None:
        if self.status != self.Status.WACHTLIJST:
            return None
        return SessieKeuze.objects.filter(
            deelsessie_id=self.deelsessie_id,
            status=self.Status.WACHTLIJST,
            wachtlijst_volgorde__lte=self.wachtlijst_volgorde,
        ).count()


def _verslag_bestanden():
    # Not the media storage: a draft's slides must not be reachable at a URL of their own.
    return storages["kennisbank"]


def verslag_bestand_pad(verslag, filename: str) -> str:
    """A name the portal chooses (never the uploader's), keeping only the checked suffix."""
    return f"verslagen/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


def materiaal_bestand_pad(materiaal, filename: str) -> str:
    """A name the portal chooses (never the uploader's), keeping only the checked suffix."""
    return f"materialen/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class Materiaal(models.Model):
    """Slides or a link that the team attaches to a programme item, for afterwards: shown
    under the item once the bijeenkomst is over, or before that when the team says so
    (`direct_tonen`). A file is checked like the kennisbank's (werkplaats.bestanden) and
    kept out of the media storage: only its download view hands it out."""

    onderdeel = models.ForeignKey(
        ProgrammaOnderdeel,
        on_delete=models.CASCADE,
        related_name="materialen",
        verbose_name=_("programmaonderdeel"),
    )
    titel = models.CharField(_("titel"), max_length=200)
    link = models.URLField(_("link"), max_length=500, blank=True)
    bestand = models.FileField(
        _("bestand"),
        upload_to=materiaal_bestand_pad,
        storage=_verslag_bestanden,
        blank=True,
        max_length=200,
    )
    # The type the content check found (a key of werkplaats.bestanden.CONTENT_TYPES).
    bestand_type = models.CharField(_("soort bestand"), max_length=10, blank=True)
    direct_tonen = models.BooleanField(
        _("nu al tonen"),
        default=False,
        help_text=_("Zonder vinkje verschijnt het pas als de bijeenkomst voorbij is."),
    )
    toegevoegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toegevoegd door"),
    )
    toegevoegd_op = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("materiaal")
        verbose_name_plural = _("materialen")
        ordering = ["toegevoegd_op", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(link="") & ~models.Q(bestand=""))
                | (~models.Q(link="") & models.Q(bestand="")),
                name="materiaal_link_of_bestand",
                violation_error_message=_("Geef een link of een bestand, niet allebei."),
            )
        ]

    def __str__(self):
        return self.titel


class VerslagQuerySet(models.QuerySet):
    def gepubliceerd(self):
        return self.filter(status=Verslag.Status.GEPUBLICEERD)


class Verslag(models.Model):
    """The closing report of one bijeenkomst: attendance as the check-in left it, the
    organisaties present by soort, geleerde lessen and what it produced.

    The counts are filled in from the check-in whenever the verslag is saved and kept here,
    so they stay what they were once registrations are anonymised (retention, deletion)."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        GEPUBLICEERD = "gepubliceerd", _("gepubliceerd")

    bijeenkomst = models.OneToOneField(
        Bijeenkomst, on_delete=models.CASCADE, related_name="verslag", verbose_name=_("bijeenkomst")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    geleerde_lessen = models.TextField(_("geleerde lessen"), max_length=20_000, blank=True)
    geleerde_lessen_html = models.TextField(editable=False, blank=True)
    aantal_aangemeld = models.PositiveIntegerField(_("aangemeld"), default=0, editable=False)
    aantal_aanwezig = models.PositiveIntegerField(_("aanwezig"), default=0, editable=False)
    aantal_niet_verschenen = models.PositiveIntegerField(
        _("niet verschenen"), default=0, editable=False
    )
    # [{"ronde": title, "titel": title, "aangemeld": n, "aanwezig": n}] per deelsessie
    aanwezigheid_per_sessie = models.JSONField(
        _("aanwezigheid per deelsessie"), default=list, blank=True, editable=False
    )
    # {soort of organisatie: number of distinct organisaties present}
    organisaties_per_soort = models.JSONField(
        _("aanwezige organisaties per soort"), default=dict, blank=True, editable=False
    )
    updates = models.ManyToManyField(
        "themas.Update", blank=True, related_name="verslagen", verbose_name=_("updates")
    )
    kennisproducten = models.ManyToManyField(
        "kennisbank.Kennisproduct",
        blank=True,
        related_name="verslagen",
        verbose_name=_("kennisproducten"),
    )
    bestand = models.FileField(
        _("dia's of foto's (PDF of PPTX)"),
        upload_to=verslag_bestand_pad,
        storage=_verslag_bestanden,
        blank=True,
        max_length=200,
    )
    geschreven_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geschreven door"),
    )
    gepubliceerd_op = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = VerslagQuerySet.as_manager()

    class Meta:
        verbose_name = _("verslag")
        verbose_name_plural = _("verslagen")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="gepubliceerd")
                | models.Q(gepubliceerd_op__isnull=False),
                name="verslag_gepubliceerd_heeft_datum",
            )
        ]
        indexes = [models.Index(fields=["status", "gepubliceerd_op"], name="verslag_status_idx")]

    def __str__(self):
        return str(self.bijeenkomst)

    @property
    def is_gepubliceerd(self) -> bool:
        return self.status == self.Status.GEPUBLICEERD


class OrganisatieVoorstel(models.Model):
    """Matching was not sure: this registration's free-text organisatie may be this row. A
    coördinator accepts (the registration is linked, the spelling becomes an alias) or
    rejects it."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        GEACCEPTEERD = "geaccepteerd", _("geaccepteerd")
        AFGEWEZEN = "afgewezen", _("afgewezen")

    aanmelding = models.ForeignKey(
        Aanmelding,
        on_delete=models.CASCADE,
        related_name="organisatie_voorstellen",
        verbose_name=_("aanmelding"),
    )
    organisatie = models.ForeignKey(
        "netwerk.Organisatie",
        on_delete=models.CASCADE,
        related_name="voorstellen",
        verbose_name=_("organisatie"),
    )
    score = models.FloatField(_("overeenkomst"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    besloten_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    besloten_op = models.DateTimeField(_("besloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("voorstel voor een organisatie")
        verbose_name_plural = _("voorstellen voor organisaties")
        ordering = ["-score", "pk"]
        indexes = [models.Index(fields=["status", "-score"], name="voorstel_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["aanmelding", "organisatie"], name="voorstel_een_per_paar"
            )
        ]

    def __str__(self):
        return f"{self.aanmelding.organisatie} → {self.organisatie}"


class TeamlidQuerySet(models.QuerySet):
    def met_rol(self, *rollen):
        return self.filter(rol__in=rollen)


class Teamlid(models.Model):
    """A person in the team of one bijeenkomst, with a role for that bijeenkomst alone
    (issue 21, point 5), as a trekker is for one leeratelier. What each role may do is
    decided in bijeenkomsten/permissions.py."""

    class Rol(models.TextChoices):
        ORGANISATOR = "organisator", _("organisator")
        CO_ORGANISATOR = "co-organisator", _("co-organisator")
        DEUR = "deur", _("deur")

    bijeenkomst = models.ForeignKey(
        Bijeenkomst, on_delete=models.CASCADE, related_name="team", verbose_name=_("bijeenkomst")
    )
    persoon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="teamrollen",
        verbose_name=_("persoon"),
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    organisatie = models.ForeignKey(
        "netwerk.Organisatie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teamleden",
        verbose_name=_("namens organisatie"),
        help_text=_("Alleen voor een co-organisator: de partnerorganisatie of werkplaats."),
    )
    toegevoegd_op = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    objects = TeamlidQuerySet.as_manager()

    class Meta:
        verbose_name = _("teamlid")
        verbose_name_plural = _("teamleden")
        ordering = ["bijeenkomst", "rol", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bijeenkomst", "persoon"],
                name="teamlid_eenmaal_per_bijeenkomst",
                violation_error_message=_("Deze persoon staat al in het team."),
            ),
            models.CheckConstraint(
                condition=models.Q(rol="co-organisator", organisatie__isnull=False)
                | (~models.Q(rol="co-organisator") & models.Q(organisatie__isnull=True)),
                name="teamlid_organisatie_alleen_co_organisator",
                violation_error_message=_(
                    "Een co-organisator organiseert namens een organisatie; de andere rollen niet."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.persoon} ({self.get_rol_display()}, {self.bijeenkomst})"


class QuotumQuerySet(models.QuerySet):
    def met_gebruik(self):
        """Each with `gebruikt`: its places taken (above-capacity ones hold none)."""
        return (
            self.annotate(
                gebruikt=models.Count(
                    "aanmeldingen",
                    filter=models.Q(
                        aanmeldingen__status__in=Aanmelding.TAKEN_STATUSES,
                        aanmeldingen__boven_capaciteit=False,
                    ),
                )
            )
            .select_related("organisatie")
            .order_by("pk")
        )

    def te_vrijgeven(self, now=None):
        """Quota whose date has passed and whose unused places are not yet for everyone."""
        return self.filter(
            aantal__gt=0, vrijgegeven_op__isnull=True, tot__lte=now or timezone.now()
        )


class Quotum(models.Model):
    """Places of a bijeenkomst held for one network until a date (issue 21, point 6): for
    the arena deelnemers of its linked leerateliers (no organisatie: what used to be the
    bijeenkomst's reserved places) or for a co-organising organisatie's own people (its
    members, and whoever its co-organisatoren register). At `tot` the unused places return
    to everyone, once (`registration.release_reserved_places`)."""

    bijeenkomst = models.ForeignKey(
        Bijeenkomst, on_delete=models.CASCADE, related_name="quota", verbose_name=_("bijeenkomst")
    )
    organisatie = models.ForeignKey(
        "netwerk.Organisatie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quota",
        verbose_name=_("voor organisatie"),
        help_text=_("Leeg: voor de arena-deelnemers van de gekoppelde leerateliers."),
    )
    aantal = models.PositiveIntegerField(
        _("plaatsen"), validators=[MaxValueValidator(MAX_CAPACITY)]
    )
    tot = models.DateTimeField(_("vastgehouden tot"))
    vrijgegeven_op = models.DateTimeField(
        _("vrijgegeven op"), null=True, blank=True, editable=False
    )

    objects = QuotumQuerySet.as_manager()

    class Meta:
        verbose_name = _("quotum")
        verbose_name_plural = _("quota")
        ordering = ["bijeenkomst", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bijeenkomst", "organisatie"],
                name="quotum_een_per_organisatie",
                violation_error_message=_("Deze organisatie heeft al een quotum."),
            ),
            models.UniqueConstraint(
                fields=["bijeenkomst"],
                condition=models.Q(organisatie__isnull=True),
                name="quotum_een_voor_de_arena",
                violation_error_message=_("De arena heeft al een quotum."),
            ),
        ]
        indexes = [models.Index(fields=["vrijgegeven_op", "tot"], name="quotum_vrijgeven_idx")]

    def __str__(self):
        return f"{self.houder}: {self.aantal}"

    @property
    def houder(self) -> str:
        if self.organisatie_id is None:
            return str(_("arena-deelnemers van de gekoppelde leerateliers"))
        return self.organisatie.naam

    def loopt(self, now=None) -> bool:
        return (
            self.aantal > 0 and self.vrijgegeven_op is None and (now or timezone.now()) < self.tot
        )

    @property
    def ongebruikt(self) -> int:
        """Its places nobody took yet (`gebruikt` from `met_gebruik()`)."""
        return max(self.aantal - self.gebruikt, 0)

    @property
    def teruggegeven(self) -> int:
        """The places it returned to everyone when it was released."""
        return self.ongebruikt if self.vrijgegeven_op is not None else 0
