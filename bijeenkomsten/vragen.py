"""A question's form field and how its answer is stored: the one definition the
registration form, the service that checks answers (also those of an import) and the
evaluation form (issue 22) share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bijeenkomsten.models import Vraag

KORT_MAX = 300
LANG_MAX = 3000
JA, NEE = "ja", "nee"
JA_NEE_KEUZES = [(JA, _("Ja")), (NEE, _("Nee"))]
SCHAAL_KEUZES = [(str(number), str(number)) for number in range(1, 6)]


def veldnaam(vraag: Vraag) -> str:
    return f"vraag_{vraag.pk}"


def veld(vraag: Vraag, *, verplicht: bool | None = None) -> forms.Field:
    """The form field that asks `vraag`; `verplicht` False: an empty answer is allowed
    whatever the question says (a coördinator's import or registration on behalf)."""
    required = vraag.verplicht if verplicht is None else verplicht and vraag.verplicht
    help_text = vraag.hulptekst
    if vraag.soort == Vraag.Soort.SCHAAL and not help_text:
        help_text = _("1 is het laagst, 5 het hoogst.")
    common = {"label": vraag.tekst, "help_text": help_text, "required": required}
    soort = vraag.soort
    if soort == Vraag.Soort.KORT:
        return forms.CharField(max_length=KORT_MAX, **common)
    if soort == Vraag.Soort.LANG:
        return forms.CharField(
            max_length=LANG_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    if soort == Vraag.Soort.MEER_KEUZES:
        return forms.MultipleChoiceField(
            choices=[(keuze, keuze) for keuze in vraag.keuzelijst()],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    choices = {
        Vraag.Soort.EEN_KEUZE: [(keuze, keuze) for keuze in vraag.keuzelijst()],
        Vraag.Soort.JA_NEE: JA_NEE_KEUZES,
        Vraag.Soort.SCHAAL: SCHAAL_KEUZES,
    }[soort]
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)


def naar_waarde(vraag: Vraag, cleaned) -> str:
    """The cleaned value of its field as stored in `Antwoord.waarde` ("" is no answer)."""
    if vraag.soort == Vraag.Soort.MEER_KEUZES:
        return "\n".join(cleaned or [])
    return (cleaned or "").strip()


def uit_waarde(vraag: Vraag, waarde: str):
    """A stored (or imported) value as its field's input."""
    if vraag.soort == Vraag.Soort.MEER_KEUZES:
        return [part.strip() for part in waarde.replace(";", "\n").splitlines() if part.strip()]
    if vraag.soort == Vraag.Soort.JA_NEE:
        return {"ja": JA, "j": JA, "yes": JA, "nee": NEE, "n": NEE, "no": NEE}.get(
            waarde.strip().lower(), waarde.strip()
        )
    return waarde
