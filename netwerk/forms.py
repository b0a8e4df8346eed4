from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from netwerk import selectors, services
from netwerk.models import Lidmaatschap, Organisatie, Persoon


def organisatie_label(organisatie) -> str:
    return f"{organisatie.naam} ({organisatie.plaats})" if organisatie.plaats else organisatie.naam


class OrganisatieChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return organisatie_label(obj)


# At most this many organisaties to choose from after a search.
MAX_CANDIDATES = 20


class OrganisatieSearchForm(forms.Form):
    """The organisatie one takes part for, found by name instead of picked from a list of
    thousands, without JavaScript: type (part of) the name; a unique match is taken, and
    when several match, the form comes back with them as a choice.

    `cleaned_data["organisatie"]` is the organisatie, or None for nobody.
    """

    organisatie_zoek = forms.CharField(
        label=_("Organisatie"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisatie = OrganisatieChoiceField(
        label=_("Welke organisatie bedoel je?"),
        queryset=Organisatie.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
    )

    # The organisatie that may be found even while it waits for approval.
    own_organisatie = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        search = self.data.get(self.add_prefix("organisatie_zoek"), "") if self.is_bound else ""
        # The search runs before the field's own validation: only what the field accepts is
        # searched for. PostgreSQL refuses a NUL byte (a 500), and every word is a condition in
        # the query (50,000 words kept a worker busy for minutes). The field reports both.
        if "\x00" in search or len(search) > self.fields["organisatie_zoek"].max_length:
            search = ""
        self.candidates = selectors.organisaties_gezocht(
            search, limit=MAX_CANDIDATES + 1, own=self.own_organisatie
        )
        self.found = self._unique(search)
        if len(self.candidates) > 1 and self.found is None:
            self.fields["organisatie"].queryset = Organisatie.objects.filter(
                pk__in=[organisatie.pk for organisatie in self.candidates[:MAX_CANDIDATES]]
            ).order_by("naam", "plaats", "pk")
        else:
            # Nothing to choose between: only the search field is shown.
            del self.fields["organisatie"]

    def _unique(self, search: str):
        search = " ".join(search.split()).casefold()
        exact = [
            organisatie
            for organisatie in self.candidates
            if search in (organisatie.naam.casefold(), organisatie_label(organisatie).casefold())
        ]
        if len(exact) == 1:
            return exact[0]
        if len(self.candidates) == 1:
            return self.candidates[0]
        return None

    def clean(self):
        cleaned_data = super().clean()
        search = cleaned_data.pop("organisatie_zoek", "").strip()
        chosen = cleaned_data.get("organisatie")
        if not search:
            chosen = None
        elif chosen is None and self.found is not None:
            chosen = self.found
        elif chosen is None and not self.candidates:
            self.add_error(
                "organisatie_zoek",
                _(
                    "We vinden geen organisatie met ‘%(zoek)s’. Controleer de naam, of laat "
                    "het veld leeg."
                )
                % {"zoek": search},
            )
        elif chosen is None and len(self.candidates) > MAX_CANDIDATES:
            self.add_error(
                "organisatie_zoek",
                _(
                    "Meer dan %(aantal)s organisaties passen bij ‘%(zoek)s’. Kies er hieronder "
                    "een, of typ meer van de naam en zoek opnieuw."
                )
                % {"aantal": MAX_CANDIDATES, "zoek": search},
            )
        elif chosen is None:
            self.add_error(
                "organisatie_zoek",
                _("%(aantal)s organisaties passen bij ‘%(zoek)s’. Kies hieronder welke je bedoelt.")
                % {"aantal": len(self.candidates), "zoek": search},
            )
        cleaned_data["organisatie"] = chosen
        return cleaned_data


class SignupForm(OrganisatieSearchForm):
    """Extra fields of allauth's sign-up form: name, and the organisation one acts for."""

    naam = forms.CharField(
        label=_("Naam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    nieuwe_organisatie = forms.CharField(
        label=_("Nieuwe organisatie voorstellen"),
        max_length=200,
        required=False,
        help_text=_(
            "Een coördinator keurt een nieuwe organisatie goed voor ze in het netwerk verschijnt."
        ),
    )
    nieuwe_organisatie_plaats = forms.CharField(
        label=_("Plaats van de nieuwe organisatie"), max_length=100, required=False
    )

    field_order = [
        "naam",
        "email",
        "password1",
        "password2",
        "organisatie_zoek",
        "organisatie",
        "nieuwe_organisatie",
        "nieuwe_organisatie_plaats",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisatie_zoek"].help_text = _(
            "Typ de naam van de organisatie waarvoor je meedoet, of een deel ervan. Leeg: je "
            "doet mee als inwoner, student of ervaringsdeskundige. Staat ze er niet bij? Stel "
            "haar hieronder voor."
        )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("organisatie") and cleaned_data.get("nieuwe_organisatie", "").strip():
            self.add_error(
                "nieuwe_organisatie",
                _("Zoek een bestaande organisatie óf stel een nieuwe voor, niet allebei."),
            )
        return cleaned_data

    def signup(self, request, user):
        user.naam = self.cleaned_data["naam"]
        user.organisatie = self.cleaned_data.get("organisatie")
        # The language one signs up in is that of one's mails, until one chooses another.
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.taal = language
        user.save(update_fields=["naam", "organisatie", "taal"])
        nieuwe = self.cleaned_data.get("nieuwe_organisatie", "").strip()
        if nieuwe:
            services.propose_organisatie(
                naam=nieuwe,
                plaats=self.cleaned_data.get("nieuwe_organisatie_plaats", ""),
                door=user,
            )
        elif user.organisatie is not None:
            # A request: it counts once a member, the mail domain or a coördinator confirms.
            # Its members hear of it once the address is verified (and a sign-up with a
            # known address queues as many mails as this one: one).
            services.request_lidmaatschap(
                persoon=user, organisatie=user.organisatie, mail_members=False
            )


class ProfielForm(OrganisatieSearchForm, forms.ModelForm):
    class Meta:
        model = Persoon
        fields = ["naam", "functie", "bio", "profiel_zichtbaar", "taal"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        labels = {"taal": _("Taal van je mails")}

    field_order = [
        "naam",
        "organisatie_zoek",
        "organisatie",
        "functie",
        "bio",
        "profiel_zichtbaar",
        "taal",
    ]

    def __init__(self, *args, instance=None, **kwargs):
        # A proposed organisatie waits for approval but stays the person's own to find.
        self.own_organisatie = instance.organisatie if instance is not None else None
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["organisatie_zoek"].help_text = _(
            "Typ de naam van je organisatie, of een deel ervan. Leeg: je doet mee op eigen titel."
        )
        if self.own_organisatie is not None and not self.is_bound:
            self.initial["organisatie_zoek"] = organisatie_label(self.own_organisatie)
        # A form that sends no language keeps the one stored (the select always sends one).
        self.fields["taal"].required = False

    def clean_taal(self):
        return self.cleaned_data.get("taal") or None


class ContactpersoonForm(forms.Form):
    persoon = forms.ModelChoiceField(
        label=_("Nieuwe contactpersoon"), queryset=None, empty_label=_("Kies een lid")
    )

    def __init__(self, *args, organisatie, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persoon"].queryset = Persoon.objects.filter(
            lidmaatschappen__organisatie=organisatie,
            lidmaatschappen__status=Lidmaatschap.Status.BEVESTIGD,
        ).order_by("naam", "pk")


class CollegaUitnodigenForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres van je collega"), max_length=254)


class DelenForm(forms.Form):
    deelt_aanmeldingen = forms.BooleanField(
        label=_("Mijn aanmeldingen delen met de contactpersoon van mijn organisatie"),
        required=False,
        help_text=Persoon._meta.get_field("deelt_aanmeldingen").help_text,
    )


class EvaluatiesForm(forms.Form):
    wil_evaluaties = forms.BooleanField(
        label=_("Na een bijeenkomst een mail met de evaluatie ontvangen"),
        required=False,
        help_text=Persoon._meta.get_field("wil_evaluaties").help_text,
    )


class SamenvoegenForm(forms.Form):
    bron = forms.ModelChoiceField(
        label=_("Samenvoegen: deze organisatie verdwijnt"),
        queryset=Organisatie.objects.only("pk", "naam", "plaats").order_by("naam", "pk"),
        empty_label=_("Kies een organisatie"),
    )
    doel = forms.ModelChoiceField(
        label=_("In deze organisatie, die blijft"),
        queryset=Organisatie.objects.only("pk", "naam", "plaats").order_by("naam", "pk"),
        empty_label=_("Kies een organisatie"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("bron", "doel"):
            self.fields[name].label_from_instance = organisatie_label

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("bron") and cleaned.get("bron") == cleaned.get("doel"):
            raise forms.ValidationError(_("Kies twee verschillende organisaties."))
        return cleaned
