"""What the contactpersoon of an organisatie does for colleagues: register them for a
bijeenkomst. The colleague gets the normal mails, with their own link to cancel."""

from django.db import transaction
from django.utils.translation import gettext as _

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling
from bijeenkomsten.services._common import RegistrationError, _record
from bijeenkomsten.services.registration import register
from netwerk import selectors as netwerk_selectors
from netwerk.models import Organisatie, Persoon


def register_colleague(
    *, bijeenkomst: Bijeenkomst, organisatie: Organisatie, door: Persoon, collega: Persoon
) -> Aanmelding:
    """Register a confirmed member of `organisatie` as its contactpersoon `door` (who may:
    netwerk.permissions.can_act_for_colleagues). The rules of `register()` hold as for
    anyone: the window, the capacity and the wachtlijst."""
    if not netwerk_selectors.is_bevestigd_lid(persoon=collega, organisatie=organisatie):
        raise RegistrationError(
            _("Je kunt alleen bevestigde collega's van je organisatie aanmelden.")
        )
    with transaction.atomic():
        aanmelding = register(
            bijeenkomst=bijeenkomst,
            email=collega.email,
            naam=collega.naam,
            persoon=collega,
            aangemeld_door=door,
            organisatie=organisatie.naam,
            functie=collega.functie,
            bron=Aanmelding.Bron.CONTACTPERSOON,
        )
        Aanmelding.objects.filter(pk=aanmelding.pk).update(
            gekoppelde_organisatie=organisatie, organisatie_bekeken=True
        )
        aanmelding.gekoppelde_organisatie = organisatie
        aanmelding.organisatie_bekeken = True
        _record(
            aanmelding.bijeenkomst,
            door=door,
            soort=Handeling.Soort.AANGEMELD_DOOR_CONTACTPERSOON,
            aanmelding=aanmelding,
            omschrijving=_("%(naam)s <%(email)s> (%(organisatie)s): %(status)s")
            % {
                "naam": aanmelding.naam,
                "email": aanmelding.email,
                "organisatie": organisatie.naam,
                "status": aanmelding.get_status_display(),
            },
        )
    return aanmelding
