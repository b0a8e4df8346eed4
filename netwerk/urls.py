from django.urls import path

from netwerk import views

app_name = "netwerk"

urlpatterns = [
    path("netwerk/", views.OrganisatieListView.as_view(), name="directory"),
    path("netwerk/personen/<int:pk>/", views.PersoonDetailView.as_view(), name="persoon"),
    path("netwerk/<slug:slug>/", views.OrganisatieDetailView.as_view(), name="organisatie"),
    path("mijn/", views.MijnView.as_view(), name="mijn"),
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
