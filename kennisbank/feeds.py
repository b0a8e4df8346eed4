"""The Atom feed of newly published kennisproducten."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kennisbank import selectors
from themas.feeds import PlainSummaryAtomFeed

FEED_LENGTH = 20


class KennisproductenFeed(Feed):
    feed_type = PlainSummaryAtomFeed
    title = _("Kennisbank van de Werkplaats Sociaal Domein")
    subtitle = _("Nieuwe publicaties, tools en rapporten uit de leerateliers.")

    def link(self):
        return reverse("kennisbank:lijst")

    def items(self):
        return selectors.nieuwste_producten(limit=FEED_LENGTH)

    def item_title(self, product):
        return product.titel

    def item_description(self, product):
        return product.samenvatting

    def item_pubdate(self, product):
        return product.gepubliceerd_op

    def item_guid(self, product):
        return f"{settings.SITE_URL}/kennisbank/{product.pk}"

    item_guid_is_permalink = False

    def item_categories(self, product):
        return [product.get_soort_display()]
