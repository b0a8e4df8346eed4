from django import forms
from django.utils.translation import gettext_lazy as _

from netwerk import selectors, services
from netwerk.models import Persoon


class OrganisatieChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.naam} ({obj.plaats})" if obj.plaats else obj.naam


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up form: name, and the organisation one acts for."""

    naam = forms.CharField(
        label=_("Naam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisatie = OrganisatieChoiceField(
        label=_("Organisatie"),
        queryset=selectors.organisaties_voor_keuze(),
        required=False,
        empty_label=_("Geen: ik doe mee als inwoner, student of ervaringsdeskundige"),
        help_text=_(
            "De organisatie waarvoor je meedoet. Een lid van de organisatie of een coördinator "
            "bevestigt dat je erbij hoort. Staat ze er niet bij? Stel haar hieronder voor."
        ),
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
        "organisatie",
        "nieuwe_organisatie",
        "nieuwe_organisatie_plaats",
    ]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("organisatie") and cleaned_data.get("nieuwe_organisatie", "").strip():
            self.add_error(
                "nieuwe_organisatie",
                _("Kies een organisatie uit de lijst óf stel een nieuwe voor, niet allebei."),
            )
        return cleaned_data

    def signup(self, request, user):
        user.naam = self.cleaned_data["naam"]
        user.organisatie = self.cleaned_data.get("organisatie")
        user.save(update_fields=["naam", "organisatie"])
        nieuwe = self.cleaned_data.get("nieuwe_organisatie", "").strip()
        if nieuwe:
            services.propose_organisatie(
                naam=nieuwe,
                plaats=self.cleaned_data.get("nieuwe_organisatie_plaats", ""),
                door=user,
            )
        elif user.organisatie is not None:
            # A request: it counts once a member, the mail domain or a coördinator confirms.
            services.request_lidmaatschap(persoon=user, organisatie=user.organisatie)


class ProfielForm(forms.ModelForm):
    organisatie = OrganisatieChoiceField(
        label=_("Organisatie"),
        queryset=selectors.organisaties_voor_keuze(),
        required=False,
        empty_label=_("Geen: ik doe mee als individu"),
    )

    class Meta:
        model = Persoon
        fields = ["naam", "organisatie", "functie", "bio", "profiel_zichtbaar"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.organisatie if self.instance.pk else None
        if current is not None and not current.is_goedgekeurd:
            # A proposed organisatie waits for approval but stays the person's choice.
            self.fields["organisatie"].queryset = selectors.organisaties_voor_keuze() | type(
                current
            ).objects.filter(pk=current.pk).only("pk", "naam", "plaats")
