from django.urls import path

from netwerk import views
from werkplaats.cache import cached_for_person, cached_for_visitors

# The directory shows who takes part in which leeratelier.
netwerk_pagina = cached_for_visitors("netwerk", "leerateliers")

app_name = "netwerk"

urlpatterns = [
    path("netwerk/", netwerk_pagina(views.OrganisatieListView.as_view()), name="directory"),
    path("netwerk/personen/<int:pk>/", views.PersoonDetailView.as_view(), name="persoon"),
    path(
        "netwerk/<slug:slug>/leden/",
        views.OrganisatieLedenView.as_view(),
        name="organisatie-leden",
    ),
    path(
        "netwerk/<slug:slug>/contactpersoon/",
        views.ChooseContactpersoonView.as_view(),
        name="contactpersoon-kiezen",
    ),
    path(
        "netwerk/<slug:slug>/collega-uitnodigen/",
        views.InviteColleagueView.as_view(),
        name="collega-uitnodigen",
    ),
    path("mijn/delen/", views.DelenView.as_view(), name="delen"),
    path("mijn/evaluaties/", views.EvaluatiesView.as_view(), name="evaluaties"),
    path(
        "organisaties/samenvoegen/",
        views.OrganisatiesSamenvoegenView.as_view(),
        name="organisaties-samenvoegen",
    ),
    path(
        "netwerk/<slug:slug>/",
        netwerk_pagina(views.OrganisatieDetailView.as_view()),
        name="organisatie",
    ),
    path("mijn/", cached_for_person(views.MijnView.as_view()), name="mijn"),
    path("mijn/profiel/", views.ProfielUpdateView.as_view(), name="profiel"),
    path("lidmaatschappen/", views.LidmaatschappenView.as_view(), name="lidmaatschappen"),
    path(
        "lidmaatschappen/<int:pk>/bevestigen/",
        views.ConfirmLidmaatschapView.as_view(),
        name="lidmaatschap-bevestigen",
    ),
    path(
        "lidmaatschappen/<int:pk>/afwijzen/",
        views.DeclineLidmaatschapView.as_view(),
        name="lidmaatschap-afwijzen",
    ),
]
