"""Atom feeds of published updates: all, per thema and per leeratelier."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from leerateliers.models import Leeratelier
from themas import selectors
from themas.models import Thema

FEED_LENGTH = 20


class PlainSummaryAtomFeed(Atom1Feed):
    """Atom whose entry summary is plain text (`type="text"`).

    Django's Atom1Feed marks every summary as HTML, so a feed reader would render markup
    that someone typed into a samenvatting. Ours are plain text: say so.
    """

    def add_item_elements(self, handler, item):
        description = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if description is not None:
            handler.addQuickElement("summary", description, {"type": "text"})


class UpdatesFeed(Feed):
    feed_type = PlainSummaryAtomFeed
    title = _("Updates van de Werkplaats Sociaal Domein")
    subtitle = _("Nieuws uit de leerateliers en professionaliseringsthema's.")

    def link(self):
        return reverse("themas:update-lijst")

    def items(self):
        return selectors.laatste_updates(limit=FEED_LENGTH)

    def item_title(self, update):
        return update.titel

    def item_description(self, update):
        return update.samenvatting

    def item_pubdate(self, update):
        return update.gepubliceerd_op

    def item_updateddate(self, update):
        return max(update.gepubliceerd_op, update.gewijzigd_op)

    def item_author_name(self, update):
        return update.genoemde_auteur.naam if update.genoemde_auteur else None

    def item_guid(self, update):
        return f"{settings.SITE_URL}/updates/{update.pk}"

    item_guid_is_permalink = False

    def item_categories(self, update):
        return [update.onderwerp.naam]


class ThemaUpdatesFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Thema, slug=slug)

    def title(self, thema):
        return _("Updates van %s") % thema.naam

    def link(self, thema):
        return thema.get_absolute_url()

    def items(self, thema):
        return selectors.laatste_updates(thema=thema, limit=FEED_LENGTH)


class LeeratelierUpdatesFeed(ThemaUpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Leeratelier, slug=slug)

    def items(self, leeratelier):
        return selectors.laatste_updates(leeratelier=leeratelier, limit=FEED_LENGTH)
