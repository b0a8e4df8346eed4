"""The team of one bijeenkomst (issue 21, point 5): who organises it with the coördinatoren,
for which organisatie, and who helps at the door. What each role may do is decided in
bijeenkomsten/permissions.py; these services only keep the rows and log each change.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bijeenkomsten.models import Bijeenkomst, Handeling, Teamlid
from bijeenkomsten.services._common import RegistrationError, _record
from netwerk.models import Organisatie, Persoon, normalize_email_address


def save_teamlid(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon,
    email: str,
    rol: str,
    organisatie: Organisatie | None = None,
) -> Teamlid:
    """Put the persoon with this e-mail address in the team with `rol`; someone already in
    it gets the new role. Only an existing account can be a team member (they log in to
    use it); a co-organisator organises for an organisatie, the other roles for nobody."""
    email = normalize_email_address(email)
    with transaction.atomic():
        persoon = Persoon.objects.filter(email=email).first()
        if persoon is None:
            raise RegistrationError(
                _(
                    "Er is geen account met dit e-mailadres; vraag de persoon eerst een account "
                    "aan te maken."
                )
            )
        if rol != Teamlid.Rol.CO_ORGANISATOR:
            organisatie = None
        teamlid = Teamlid.objects.select_for_update().filter(
            bijeenkomst=bijeenkomst, persoon=persoon
        ).first() or Teamlid(bijeenkomst=bijeenkomst, persoon=persoon)
        nieuw = teamlid.pk is None
        teamlid.rol = rol
        teamlid.organisatie = organisatie
        try:
            teamlid.full_clean(exclude=["bijeenkomst", "persoon"])
        except ValidationError as error:
            raise RegistrationError(" ".join(error.messages)) from error
        try:
            with transaction.atomic():
                teamlid.save()
        except IntegrityError as error:
            # Two coördinatoren adding the same person at once: the second is told so.
            raise RegistrationError(_("Deze persoon staat al in het team.")) from error
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.TEAM,
            omschrijving=(
                _("%(naam)s in het team als %(rol)s")
                if nieuw
                else _("%(naam)s heeft nu de rol %(rol)s")
            )
            % {"naam": persoon.naam, "rol": _describe(teamlid)},
        )
        return teamlid


def remove_teamlid(*, teamlid: Teamlid, door: Persoon) -> Teamlid:
    """Take someone out of the team; their registrations stay as they are."""
    with transaction.atomic():
        deleted, _rows = Teamlid.objects.filter(pk=teamlid.pk).delete()
        if not deleted:
            raise RegistrationError(_("Deze persoon staat niet (meer) in het team."))
        _record(
            teamlid.bijeenkomst,
            door=door,
            soort=Handeling.Soort.TEAM,
            omschrijving=_("%(naam)s uit het team") % {"naam": teamlid.persoon.naam},
        )
        return teamlid


def _describe(teamlid: Teamlid) -> str:
    if teamlid.organisatie is not None:
        return _("%(rol)s voor %(organisatie)s") % {
            "rol": teamlid.get_rol_display(),
            "organisatie": teamlid.organisatie.naam,
        }
    return str(teamlid.get_rol_display())
