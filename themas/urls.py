from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from themas import feeds, views
from werkplaats.cache import NAMES, cached_for_visitors


class OnderwerpSoortConverter:
    """What an update belongs to: a thema or a leeratelier; anything else is a 404."""

    regex = "thema|leeratelier"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(OnderwerpSoortConverter, "soort")

app_name = "themas"

# Updates name their thema or leeratelier and their author.
update_pagina = cached_for_visitors("themas", "leerateliers", "netwerk")
_cached_feed = cached_for_visitors("themas", "leerateliers", "netwerk", validators=True)


def feed(view):
    """A feed is only read: anything but GET or HEAD is a 405."""
    return _cached_feed(require_safe(view))


urlpatterns = [
    path("themas/", update_pagina(views.ThemaListView.as_view()), name="lijst"),
    path(
        "themas/<slug:slug>/",
        cached_for_visitors(*NAMES)(views.ThemaDetailView.as_view()),
        name="detail",
    ),
    path("themas/<slug:slug>/bewerken/", views.ThemaEditView.as_view(), name="thema-bewerken"),
    path("updates/", update_pagina(views.UpdateListView.as_view()), name="update-lijst"),
    path("updates/feed/", feed(feeds.UpdatesFeed()), name="feed"),
    path("updates/feed/thema/<slug:slug>/", feed(feeds.ThemaUpdatesFeed()), name="feed-thema"),
    path(
        "updates/feed/leeratelier/<slug:slug>/",
        feed(feeds.LeeratelierUpdatesFeed()),
        name="feed-leeratelier",
    ),
    path(
        "updates/nieuw/<soort:soort>/<slug:onderwerp>/",
        views.UpdateWriteView.as_view(),
        name="update-nieuw",
    ),
    path("updates/volgen/<soort:soort>/<slug:slug>/", views.FollowView.as_view(), name="volgen"),
    path(
        "updates/<slug:slug>/",
        update_pagina(views.UpdateDetailView.as_view()),
        name="update-detail",
    ),
    path("updates/<slug:slug>/bewerken/", views.UpdateWriteView.as_view(), name="update-bewerken"),
    path(
        "updates/<slug:slug>/publiceren/",
        views.PublishView.as_view(),
        name="update-publiceren",
    ),
    path(
        "updates/<slug:slug>/intrekken/",
        views.WithdrawView.as_view(),
        name="update-intrekken",
    ),
]
