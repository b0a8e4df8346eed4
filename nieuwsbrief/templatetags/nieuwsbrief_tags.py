"""The nieuwsbrief section of /mijn/, which netwerk's page includes."""

from django import template

from netwerk import selectors as netwerk_selectors
from netwerk.models import HUIDIGE_TOESTEMMING, TOESTEMMINGSTEKSTEN, Abonnement
from nieuwsbrief.forms import MIJN_PREFIX, interesses_velden
from nieuwsbrief.permissions import can_compose

register = template.Library()


@register.inclusion_tag("nieuwsbrief/includes/_mijn.html", takes_context=True)
def mijn_nieuwsbrief(context):
    user = context["request"].user
    abonnement = netwerk_selectors.abonnement_van(user)
    gekozen = {"leeratelier_ids": [], "thema_ids": []}
    if abonnement is not None:
        gekozen = {
            "leeratelier_ids": [atelier.pk for atelier in abonnement.leerateliers.all()],
            "thema_ids": [thema.pk for thema in abonnement.themas.all()],
        }
    return {
        "user": user,
        "abonnement": abonnement,
        "actief": abonnement is not None and abonnement.status == Abonnement.Status.BEVESTIGD,
        # The boxes are shared, the ticks are this person's (interesses_velden).
        "velden": interesses_velden(prefix=MIJN_PREFIX, **gekozen),
        "toestemming": TOESTEMMINGSTEKSTEN[HUIDIGE_TOESTEMMING],
        "mag_samenstellen": can_compose(user),
        "csrf_token": context.get("csrf_token"),
    }
