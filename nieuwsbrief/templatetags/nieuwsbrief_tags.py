"""The nieuwsbrief section of /mijn/, which netwerk's page includes."""

from django import template

from netwerk import selectors as netwerk_selectors
from netwerk.models import Abonnement
from nieuwsbrief.permissions import can_compose

register = template.Library()


@register.inclusion_tag("nieuwsbrief/includes/_mijn.html", takes_context=True)
def mijn_nieuwsbrief(context):
    """The subscription and the interests chosen; choosing them is a page of its own."""
    user = context["request"].user
    abonnement = netwerk_selectors.abonnement_van(user)
    return {
        "user": user,
        "abonnement": abonnement,
        "actief": abonnement is not None and abonnement.status == Abonnement.Status.BEVESTIGD,
        "interesses": (
            [atelier.naam for atelier in abonnement.leerateliers.all()]
            + [thema.naam for thema in abonnement.themas.all()]
            if abonnement is not None
            else []
        ),
        "mag_samenstellen": can_compose(user),
        "csrf_token": context.get("csrf_token"),
    }
