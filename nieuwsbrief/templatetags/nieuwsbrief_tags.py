"""The nieuwsbrief section of /mijn/, which netwerk's page includes."""

from django import template

from netwerk import selectors as netwerk_selectors
from netwerk.models import HUIDIGE_TOESTEMMING, TOESTEMMINGSTEKSTEN, Abonnement
from nieuwsbrief.forms import MIJN_PREFIX, InteressesForm
from nieuwsbrief.permissions import can_compose

register = template.Library()


@register.inclusion_tag("nieuwsbrief/includes/_mijn.html", takes_context=True)
def mijn_nieuwsbrief(context):
    user = context["request"].user
    abonnement = netwerk_selectors.abonnement_van(user)
    initial = None
    if abonnement is not None:
        initial = {
            "leerateliers": list(abonnement.leerateliers.all()),
            "themas": list(abonnement.themas.all()),
        }
    return {
        "user": user,
        "abonnement": abonnement,
        "actief": abonnement is not None and abonnement.status == Abonnement.Status.BEVESTIGD,
        "form": InteressesForm(initial=initial, prefix=MIJN_PREFIX),
        "toestemming": TOESTEMMINGSTEKSTEN[HUIDIGE_TOESTEMMING],
        "mag_samenstellen": can_compose(user),
        "csrf_token": context.get("csrf_token"),
    }
