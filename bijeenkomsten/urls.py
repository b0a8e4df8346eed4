from django.urls import path

from bijeenkomsten import views

app_name = "bijeenkomsten"

urlpatterns = [
    path("bijeenkomsten/", views.BijeenkomstListView.as_view(), name="lijst"),
    path("bijeenkomsten/agenda.ics", views.agenda_ics, name="agenda-ics"),
    path("bijeenkomsten/<slug:slug>.ics", views.bijeenkomst_ics, name="ics"),
    path("bijeenkomsten/<slug:slug>/", views.BijeenkomstDetailView.as_view(), name="detail"),
    path("bijeenkomsten/<slug:slug>/aanmelden/", views.RegisterView.as_view(), name="aanmelden"),
    path(
        "bijeenkomsten/<slug:slug>/aanmelden/bevestigen/<str:ondertekend>/",
        views.ConfirmGuestView.as_view(),
        name="gast-bevestigen",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanmeldingen/",
        views.AanmeldingenView.as_view(),
        name="aanmeldingen",
    ),
    path(
        "bijeenkomsten/<slug:slug>/capaciteit/",
        views.ChangeCapacityView.as_view(),
        name="capaciteit",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanmeldingen/<int:pk>/annuleren/",
        views.CancelOnBehalfView.as_view(),
        name="aanmelding-annuleren-namens",
    ),
    path(
        "aanmelding/<str:token>/annuleren/", views.CancelView.as_view(), name="aanmelding-annuleren"
    ),
    path("aanmelding/<str:token>/claimen/", views.ClaimView.as_view(), name="aanmelding-claimen"),
    path(
        "aanmelding/<str:token>/afwijzen/", views.DeclineView.as_view(), name="aanmelding-afwijzen"
    ),
    # Any mangled personal link still gets the page that explains it, not a bare 404.
    path("aanmelding/<path:token>/", views.AanmeldingView.as_view(), name="aanmelding"),
]
