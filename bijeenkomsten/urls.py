from django.urls import path

from bijeenkomsten.views import beheer, deelnemers, publiek

app_name = "bijeenkomsten"

urlpatterns = [
    # For everyone
    path("bijeenkomsten/", publiek.BijeenkomstListView.as_view(), name="lijst"),
    path("bijeenkomsten/agenda.ics", publiek.agenda_ics, name="agenda-ics"),
    path("bijeenkomsten/<slug:slug>.ics", publiek.bijeenkomst_ics, name="ics"),
    path("bijeenkomsten/<slug:slug>/", publiek.BijeenkomstDetailView.as_view(), name="detail"),
    path(
        "bijeenkomsten/<slug:slug>/aanmelden/",
        publiek.RegisterView.as_view(),
        name="aanmelden",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanmelden/bevestigen/<str:ondertekend>/",
        publiek.ConfirmGuestView.as_view(),
        name="gast-bevestigen",
    ),
    path(
        "aanmelding/<str:token>/annuleren/",
        publiek.CancelView.as_view(),
        name="aanmelding-annuleren",
    ),
    path(
        "aanmelding/<str:token>/claimen/",
        publiek.ClaimView.as_view(),
        name="aanmelding-claimen",
    ),
    path(
        "aanmelding/<str:token>/afwijzen/",
        publiek.DeclineView.as_view(),
        name="aanmelding-afwijzen",
    ),
    # Any mangled personal link still gets the page that explains it, not a bare 404.
    path("aanmelding/<path:token>/", publiek.AanmeldingView.as_view(), name="aanmelding"),
    # For coördinatoren
    path(
        "bijeenkomsten/<slug:slug>/aanmeldingen/",
        beheer.AanmeldingenView.as_view(),
        name="aanmeldingen",
    ),
    path(
        "bijeenkomsten/<slug:slug>/capaciteit/",
        beheer.ChangeCapacityView.as_view(),
        name="capaciteit",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanmeldingen/<int:pk>/annuleren/",
        beheer.CancelOnBehalfView.as_view(),
        name="aanmelding-annuleren-namens",
    ),
    # For coördinatoren: import, check-in at the door, exports
    path(
        "bijeenkomsten/<slug:slug>/importeren/",
        deelnemers.ImportView.as_view(),
        name="importeren",
    ),
    path(
        "bijeenkomsten/<slug:slug>/importeren/<slug:token>/",
        deelnemers.ImportPreviewView.as_view(),
        name="import-controle",
    ),
    path(
        "bijeenkomsten/<slug:slug>/importeren/<slug:token>/bevestigen/",
        deelnemers.ImportConfirmView.as_view(),
        name="import-bevestigen",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanwezig/",
        deelnemers.AanwezigheidView.as_view(),
        name="aanwezigheid",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanwezig/<int:pk>/",
        deelnemers.CheckInView.as_view(),
        name="aanwezig-melden",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanwezig/<int:pk>/ongedaan/",
        deelnemers.UndoCheckInView.as_view(),
        name="aanwezig-ongedaan",
    ),
    path(
        "bijeenkomsten/<slug:slug>/export/",
        deelnemers.ExportView.as_view(),
        name="export",
    ),
]
