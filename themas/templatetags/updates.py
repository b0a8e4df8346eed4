"""Update sections that pages of other apps include (thema, leeratelier, home, /mijn/)."""

from functools import partial

from django import template
from django.utils.functional import SimpleLazyObject

from themas import selectors
from themas.forms import VolgForm
from themas.models import Thema, Volging
from themas.permissions import can_write_update_for

register = template.Library()


@register.inclusion_tag("themas/includes/_updates_sectie.html", takes_context=True)
def updates_sectie(context, onderwerp):
    """The latest updates of a thema or leeratelier, with write, follow and feed links."""
    user = context["request"].user
    soort = "thema" if isinstance(onderwerp, Thema) else "leeratelier"
    target = {soort: onderwerp}
    volging = None
    if user.is_authenticated:
        volging = Volging.objects.filter(persoon=user, **target).first()
    return {
        "request": context["request"],
        "user": user,
        "onderwerp": onderwerp,
        "soort": soort,
        # Read only when the list is not in the cache (_updates_sectie.html).
        "updates": SimpleLazyObject(partial(selectors.laatste_updates, **target)),
        "kan_schrijven": can_write_update_for(user, **target),
        "volging": volging,
        "volg_form": VolgForm(initial={"frequentie": volging.frequentie} if volging else None),
        "feed_url_name": f"themas:feed-{soort}",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("themas/includes/_home_updates.html")
def laatste_updates_home():
    return {"updates": selectors.laatste_updates(limit=3)}


@register.inclusion_tag("themas/includes/_mijn_updates.html", takes_context=True)
def mijn_updates(context):
    user = context["request"].user
    return {
        "request": context["request"],
        "onuitgegeven": list(selectors.onuitgegeven_updates_van(user)),
        "volgingen": list(selectors.volgingen_van(user)),
        "frequenties": Volging.Frequentie.choices,
        "csrf_token": context.get("csrf_token"),
    }
