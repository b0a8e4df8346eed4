import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from leerateliers import selectors as leeratelier_selectors
from netwerk.models import normalize_email_address
from nieuwsbrief.models import Editie, Sectie
from themas import selectors as thema_selectors
from werkplaats import cache

# An unticked box of an unbound form, as Django's widget template writes it.
CHECKBOX = re.compile(r'<input type="checkbox" name="([^"]+)" value="([^"]+)"[^>]*>')

# The interests form on /mijn/ shares the page with the profile form.
MIJN_PREFIX = "nieuwsbrief"


class InteressesForm(forms.Form):
    leerateliers = forms.ModelMultipleChoiceField(
        label=_("Leerateliers"),
        queryset=leeratelier_selectors.leerateliers_voor_keuze(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themas = forms.ModelMultipleChoiceField(
        label=_("Professionaliseringsthema's"),
        queryset=thema_selectors.themas_voor_keuze(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def interesses_velden(
    *, prefix: str, leeratelier_ids: Iterable[int], thema_ids: Iterable[int]
) -> SafeString:
    """The fields of an unbound InteressesForm with these choices ticked, as HTML.

    The boxes (every leeratelier and thema: a thousand at scale) are the same for everyone:
    they come from the cache until a leeratelier or thema changes, and only the person's own
    ticks are set in them for each request.
    """
    html = cache.fragment(
        "nieuwsbrief-interesses",
        [prefix],
        ["leerateliers", "themas"],
        lambda: mark_safe(  # nosec B308 B703: rendered by the form's templates
            "".join(str(field.as_field_group()) for field in InteressesForm(prefix=prefix))
        ),
    )
    wanted = {(f"{prefix}-leerateliers", str(pk)) for pk in leeratelier_ids}
    wanted |= {(f"{prefix}-themas", str(pk)) for pk in thema_ids}
    if wanted:
        html = CHECKBOX.sub(
            lambda box: box[0][:-1] + " checked>" if (box[1], box[2]) in wanted else box[0], html
        )
    return mark_safe(html)  # nosec B308 B703: the cached fields with attributes added


class AanmeldForm(InteressesForm):
    """The public form: only the link in the confirmation mail subscribes."""

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    naam = forms.CharField(
        label=_("Naam"),
        max_length=150,
        required=False,
        help_text=_("Niet verplicht."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["email", "naam", "leerateliers", "themas"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leerateliers"].help_text = _(
            "Niet verplicht. Sommige edities gaan alleen naar wie interesse heeft."
        )


class EditieForm(forms.ModelForm):
    class Meta:
        model = Editie
        fields = ["titel", "voorwoord"]
        widgets = {"voorwoord": forms.Textarea(attrs={"rows": 10})}


class SectieForm(forms.ModelForm):
    class Meta:
        model = Sectie
        fields = ["titel", "tekst"]
        widgets = {"tekst": forms.Textarea(attrs={"rows": 14})}


# A test mail goes to a few people who read along before an edition goes out, no more.
MAX_TEST_ADDRESSES = 5
_ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


class TestmailForm(forms.Form):
    adressen = forms.CharField(
        label=_("Naar welke adressen?"),
        max_length=MAX_TEST_ADDRESSES * 260,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hoogstens %(max)s e-mailadressen, elk op een eigen regel of met komma's.")
        % {"max": MAX_TEST_ADDRESSES},
    )

    def clean_adressen(self) -> list[str]:
        """The addresses, normalised, each once, in the order written."""
        adressen = []
        for adres in _ADDRESS_SEPARATORS.split(self.cleaned_data["adressen"]):
            if not adres:
                continue
            try:
                validate_email(adres)
            except ValidationError as error:
                raise ValidationError(
                    _("%(adres)s is geen geldig e-mailadres.") % {"adres": adres[:100]},
                    code="invalid",
                ) from error
            adres = normalize_email_address(adres)
            if adres not in adressen:
                adressen.append(adres)
        if not adressen:
            raise ValidationError(_("Vul minstens één e-mailadres in."), code="required")
        if len(adressen) > MAX_TEST_ADDRESSES:
            raise ValidationError(
                _("Een testmail gaat naar hoogstens %(max)s adressen; dit zijn er %(aantal)s.")
                % {"max": MAX_TEST_ADDRESSES, "aantal": len(adressen)},
                code="max",
            )
        return adressen


class DoelgroepForm(InteressesForm):
    """Who an edition goes to; the page shows how many that are before anything is sent."""

    doelgroep = forms.ChoiceField(
        label=_("Naar wie?"),
        choices=Editie.Doelgroep.choices,
        initial=Editie.Doelgroep.ALLE,
        widget=forms.RadioSelect,
    )

    field_order = ["doelgroep", "leerateliers", "themas"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("doelgroep") == Editie.Doelgroep.INTERESSE and not (
            cleaned.get("leerateliers") or cleaned.get("themas")
        ):
            self.add_error("leerateliers", _("Kies minstens één leeratelier of thema."))
        return cleaned


class VerzendForm(DoelgroepForm):
    """The audience counted on the page, carried along, and when to send."""

    class Actie:
        NU = "nu"
        INPLANNEN = "inplannen"

    verzenden_op = forms.DateTimeField(
        label=_("Inplannen op"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Alleen nodig om de editie later te laten verzenden."),
    )
    actie = forms.ChoiceField(
        choices=[(Actie.NU, _("Nu verzenden")), (Actie.INPLANNEN, _("Inplannen"))],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doelgroep"].widget = forms.HiddenInput()
        for name in ("leerateliers", "themas"):
            self.fields[name].widget = forms.MultipleHiddenInput()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("actie") == self.Actie.INPLANNEN:
            moment = cleaned.get("verzenden_op")
            if moment is None:
                self.add_error("verzenden_op", _("Kies wanneer de editie verzonden wordt."))
            elif moment <= timezone.now():
                self.add_error("verzenden_op", _("Kies een moment in de toekomst."))
        return cleaned
