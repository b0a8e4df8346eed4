from django.urls import path

from bijeenkomsten import views

app_name = "bijeenkomsten"

urlpatterns = [
    path("bijeenkomsten/", views.BijeenkomstListView.as_view(), name="lijst"),
    path("bijeenkomsten/agenda.ics", views.agenda_ics, name="agenda-ics"),
    path("bijeenkomsten/<slug:slug>.ics", views.bijeenkomst_ics, name="ics"),
    path("bijeenkomsten/<slug:slug>/", views.BijeenkomstDetailView.as_view(), name="detail"),
    path("bijeenkomsten/<slug:slug>/aanmelden/", views.aanmelden, name="aanmelden"),
    path(
        "bijeenkomsten/<slug:slug>/aanmelden/bevestigen/<str:ondertekend>/",
        views.GastBevestigenView.as_view(),
        name="gast-bevestigen",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanmeldingen/",
        views.AanmeldingenView.as_view(),
        name="aanmeldingen",
    ),
    path("bijeenkomsten/<slug:slug>/capaciteit/", views.capaciteit_wijzigen, name="capaciteit"),
    path(
        "bijeenkomsten/<slug:slug>/aanmeldingen/<int:pk>/annuleren/",
        views.annuleren_namens,
        name="aanmelding-annuleren-namens",
    ),
    path("aanmelding/<str:token>/annuleren/", views.annuleren, name="aanmelding-annuleren"),
    path("aanmelding/<str:token>/claimen/", views.claimen, name="aanmelding-claimen"),
    path("aanmelding/<str:token>/afwijzen/", views.afwijzen, name="aanmelding-afwijzen"),
    # Any mangled personal link still gets the page that explains it, not a bare 404.
    path("aanmelding/<path:token>/", views.AanmeldingView.as_view(), name="aanmelding"),
]
