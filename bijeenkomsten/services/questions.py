"""The questions of a bijeenkomst (issue 21, point 3): its team defines them, registrants
answer them, and every answer is checked here on the server with the same field that asks
it (bijeenkomsten/vragen.py), whoever sends it: the form, a guest's confirmation, an import.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bijeenkomsten import vragen as vraagvelden
from bijeenkomsten.models import Aanmelding, Antwoord, Bijeenkomst, Handeling, Vraag
from bijeenkomsten.services._common import RegistrationError, _record
from netwerk.models import Persoon
from werkplaats import cache

VRAAG_FIELDS = ("soort", "tekst", "hulptekst", "verplicht", "keuzes", "volgorde")


def save_question(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon,
    vraag: Vraag | None = None,
    doel: str = Vraag.Doel.AANMELDING,
    **fields,
) -> Vraag:
    """Add a question to the registration form or the evaluation (`doel`; `vraag` None) or
    change one (it keeps its form)."""
    with transaction.atomic():
        if vraag is None:
            vraag = Vraag(bijeenkomst=bijeenkomst, doel=doel)
        elif vraag.bijeenkomst_id != bijeenkomst.pk:
            raise RegistrationError(_("Deze vraag hoort niet bij deze bijeenkomst."))
        nieuw = vraag.pk is None
        for name in VRAAG_FIELDS:
            if name in fields:
                value = fields[name]
                setattr(vraag, name, value.strip() if isinstance(value, str) else value)
        if vraag.soort not in Vraag.KEUZE_SOORTEN:
            vraag.keuzes = ""
        try:
            vraag.full_clean(exclude=["bijeenkomst"])
        except ValidationError as error:
            raise RegistrationError(" ".join(error.messages)) from error
        try:
            with transaction.atomic():
                vraag.save()
        except IntegrityError as error:
            raise RegistrationError(_("Deze bijeenkomst heeft deze vraag al.")) from error
        # The registration form on the bijeenkomst's page asks it: that page changed.
        cache.bump("bijeenkomsten")
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.VRAGEN,
            omschrijving=(
                _("vraag toegevoegd: %(tekst)s") if nieuw else _("vraag gewijzigd: %(tekst)s")
            )
            % {"tekst": vraag.tekst},
        )
    return vraag


def delete_question(*, vraag: Vraag, door: Persoon) -> None:
    """Remove a question, and the answers given to it."""
    with transaction.atomic():
        _record(
            vraag.bijeenkomst,
            door=door,
            soort=Handeling.Soort.VRAGEN,
            omschrijving=_("vraag verwijderd: %(tekst)s") % {"tekst": vraag.tekst},
        )
        vraag.delete()
        cache.bump("bijeenkomsten")


def registration_questions(bijeenkomst: Bijeenkomst) -> list[Vraag]:
    return list(Vraag.objects.filter(bijeenkomst=bijeenkomst).voor_aanmelding())


def clean_answers(
    vragen: list[Vraag], antwoorden: dict | None, *, verplicht: bool = True
) -> dict[int, str]:
    """Check answers ({vraag pk, or its text: value}) against the questions and return them
    as stored ({vraag pk: value}, empty answers left out). Unknown questions are ignored.
    RegistrationError, in Dutch and naming the question, for an answer that does not fit or
    a required one missing (unless `verplicht` is False)."""
    antwoorden = {str(key): value for key, value in (antwoorden or {}).items()}
    cleaned: dict[int, str] = {}
    errors = []
    for vraag in vragen:
        raw = antwoorden.get(str(vraag.pk), "")
        if isinstance(raw, str):
            raw = vraagvelden.uit_waarde(vraag, raw)
        try:
            value = vraagvelden.veld(vraag, verplicht=verplicht).clean(raw)
        except ValidationError as error:
            errors.append(f"{vraag.tekst}: {' '.join(error.messages)}")
            continue
        stored = vraagvelden.naar_waarde(vraag, value)
        if stored:
            cleaned[vraag.pk] = stored
    if errors:
        raise RegistrationError(" ".join(errors))
    return cleaned


def save_answers(aanmeldingen: list[Aanmelding]) -> None:
    """Store the checked answers newcomers carry (`Aanmelding.nieuwe_antwoorden`), once
    they are saved: one insert for them all."""
    Antwoord.objects.bulk_create(
        [
            Antwoord(aanmelding=aanmelding, vraag_id=vraag_id, waarde=waarde)
            for aanmelding in aanmeldingen
            for vraag_id, waarde in (getattr(aanmelding, "nieuwe_antwoorden", None) or {}).items()
        ],
        batch_size=1000,
    )
