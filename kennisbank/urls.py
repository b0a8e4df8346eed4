from django.urls import path
from django.views.decorators.http import require_safe

from kennisbank import feeds, oai, views
from werkplaats.cache import NAMES, cached_for_visitors

app_name = "kennisbank"

# Products name their leerateliers, thema's, voorwaarden and organisaties.
bibliotheek = cached_for_visitors("kennisbank", "leerateliers", "themas", "netwerk")

urlpatterns = [
    # Results name what every app holds.
    path("zoeken/", cached_for_visitors(*NAMES)(views.ZoekView.as_view()), name="zoeken"),
    path("kennisbank/", bibliotheek(views.KennisbankView.as_view()), name="lijst"),
    path(
        "kennisbank/feed/",
        cached_for_visitors("kennisbank", validators=True)(
            require_safe(feeds.KennisproductenFeed())
        ),
        name="feed",
    ),
    # Harvesters (OAI-PMH 2.0); not cached: a harvest pages through with its own tokens.
    path("oai/", oai.endpoint, name="oai"),
    path("kennisbank/nieuw/", views.KennisproductWriteView.as_view(), name="nieuw"),
    # Before the product's own patterns: a bijeenkomst's slug may be any word.
    path(
        "kennisbank/uit-verslag/<slug:slug>/",
        views.ProductFromVerslagView.as_view(),
        name="uit-verslag",
    ),
    path("kennisbank/dossiers/", bibliotheek(views.DossierListView.as_view()), name="dossiers"),
    path("kennisbank/dossiers/nieuw/", views.DossierWriteView.as_view(), name="dossier-nieuw"),
    path(
        "kennisbank/dossiers/<slug:slug>/bewerken/",
        views.DossierWriteView.as_view(),
        name="dossier-bewerken",
    ),
    path(
        "kennisbank/dossiers/<slug:slug>/onderdelen/",
        views.DossierAddView.as_view(),
        name="dossier-toevoegen",
    ),
    path(
        "kennisbank/dossiers/<slug:slug>/onderdelen/<int:pk>/verplaatsen/",
        views.DossierMoveView.as_view(),
        name="dossier-verplaatsen",
    ),
    path(
        "kennisbank/dossiers/<slug:slug>/onderdelen/<int:pk>/verwijderen/",
        views.DossierRemoveView.as_view(),
        name="dossier-verwijderen",
    ),
    path(
        "kennisbank/dossiers/<slug:slug>/",
        cached_for_visitors("kennisbank", "themas", "bijeenkomsten")(
            views.DossierDetailView.as_view()
        ),
        name="dossier",
    ),
    path(
        "kennisbank/<slug:slug>/",
        bibliotheek(views.KennisproductDetailView.as_view()),
        name="detail",
    ),
    path("kennisbank/<slug:slug>/download/", require_safe(views.download), name="download"),
    path(
        "kennisbank/<slug:slug>/citeren/<slug:formaat>/",
        bibliotheek(require_safe(views.citation)),
        name="citeren",
    ),
    path(
        "kennisbank/<slug:slug>/bewerken/",
        views.KennisproductWriteView.as_view(),
        name="bewerken",
    ),
    path("kennisbank/<slug:slug>/publiceren/", views.PublishView.as_view(), name="publiceren"),
    path("kennisbank/<slug:slug>/intrekken/", views.WithdrawView.as_view(), name="intrekken"),
]
