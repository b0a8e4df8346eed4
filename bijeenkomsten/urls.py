from django.urls import path

from bijeenkomsten.views import beheer, berichten, deelnemers, publiek, uitnodigingen, verslagen
from werkplaats.cache import NAMES, cached_for_visitors

app_name = "bijeenkomsten"

# The agenda shows no occupancy: a registration leaves it in the cache.
agenda = cached_for_visitors("bijeenkomsten", validators=True)

urlpatterns = [
    # For everyone
    path(
        "bijeenkomsten/",
        cached_for_visitors(*NAMES)(publiek.BijeenkomstListView.as_view()),
        name="lijst",
    ),
    path("bijeenkomsten/agenda.ics", agenda(publiek.agenda_ics), name="agenda-ics"),
    path("bijeenkomsten/<slug:slug>.ics", agenda(publiek.bijeenkomst_ics), name="ics"),
    path(
        "bijeenkomsten/<slug:slug>/",
        cached_for_visitors(*NAMES)(publiek.BijeenkomstDetailView.as_view()),
        name="detail",
    ),
    path(
        "bijeenkomsten/<slug:slug>/verslag/schrijven/",
        verslagen.VerslagFormView.as_view(),
        name="verslag-schrijven",
    ),
    path(
        "bijeenkomsten/<slug:slug>/verslag/bestand/",
        verslagen.VerslagBestandView.as_view(),
        name="verslag-bestand",
    ),
    path("bewijs/<str:code>/", verslagen.BewijsControleView.as_view(), name="bewijs-controle"),
    path(
        "aanmelding/eigen/<int:pk>/bewijs.pdf",
        verslagen.EigenBewijsView.as_view(),
        name="eigen-bewijs",
    ),
    path(
        "aanmelding/<str:token>/bewijs.pdf",
        verslagen.LinkBewijsView.as_view(),
        name="aanmelding-bewijs",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanmelden/",
        publiek.RegisterView.as_view(),
        name="aanmelden",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanmelden/bevestigen/<str:token>/",
        publiek.ConfirmGuestView.as_view(),
        name="gast-bevestigen",
    ),
    # One's own registration, logged in (from /mijn/): by pk, only for its owner.
    path(
        "aanmelding/eigen/<int:pk>/",
        publiek.EigenAanmeldingView.as_view(),
        name="eigen-aanmelding",
    ),
    path(
        "aanmelding/eigen/<int:pk>/claimen/",
        publiek.OwnClaimView.as_view(),
        name="eigen-aanmelding-claimen",
    ),
    path(
        "aanmelding/eigen/<int:pk>/afwijzen/",
        publiek.OwnDeclineView.as_view(),
        name="eigen-aanmelding-afwijzen",
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
    # The invited (issue 9, point 10): their personal link; no account needed.
    path(
        "uitnodiging/<str:token>/geen-uitnodigingen/",
        uitnodigingen.GeenUitnodigingenView.as_view(),
        name="geen-uitnodigingen",
    ),
    path("uitnodiging/<path:token>/", uitnodigingen.UitnodigingView.as_view(), name="uitnodiging"),
    # For coördinatoren
    path("coordinatie/bijeenkomsten/", beheer.BeheerListView.as_view(), name="beheer"),
    path(
        "coordinatie/bijeenkomsten/nieuw/",
        beheer.BijeenkomstFormView.as_view(),
        name="nieuw",
    ),
    path(
        "bijeenkomsten/<slug:slug>/bewerken/",
        beheer.BijeenkomstFormView.as_view(),
        name="bewerken",
    ),
    path(
        "bijeenkomsten/<slug:slug>/publiceren/",
        beheer.PublishView.as_view(),
        name="publiceren",
    ),
    path(
        "bijeenkomsten/<slug:slug>/annuleren/",
        beheer.CancelBijeenkomstView.as_view(),
        name="annuleren",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanmeldingen/",
        beheer.DashboardView.as_view(),
        name="aanmeldingen",
    ),
    path(
        "bijeenkomsten/<slug:slug>/capaciteit/",
        beheer.ChangeCapacityView.as_view(),
        name="capaciteit",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanmeldingen/namens/",
        beheer.RegisterOnBehalfView.as_view(),
        name="aanmelden-namens",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanmeldingen/<int:pk>/annuleren/",
        beheer.CancelOnBehalfView.as_view(),
        name="aanmelding-annuleren-namens",
    ),
    path(
        "bijeenkomsten/<slug:slug>/wachtlijst/aanbieden/",
        beheer.OfferNextPlaceView.as_view(),
        name="wachtlijst-aanbieden",
    ),
    path(
        "bijeenkomsten/<slug:slug>/wachtlijst/<int:pk>/omhoog/",
        beheer.MoveOnWaitlistView.as_view(omhoog=True),
        name="wachtlijst-omhoog",
    ),
    path(
        "bijeenkomsten/<slug:slug>/wachtlijst/<int:pk>/omlaag/",
        beheer.MoveOnWaitlistView.as_view(omhoog=False),
        name="wachtlijst-omlaag",
    ),
    # For coördinatoren: invitations and messages to the registered (issue 9, points 9, 10)
    path(
        "bijeenkomsten/<slug:slug>/uitnodigingen/",
        uitnodigingen.UitnodigingenView.as_view(),
        name="uitnodigingen",
    ),
    path(
        "bijeenkomsten/<slug:slug>/uitnodigingen/herinneren/",
        uitnodigingen.RemindInvitedView.as_view(),
        name="uitnodigingen-herinneren",
    ),
    path(
        "bijeenkomsten/<slug:slug>/uitnodigen/",
        uitnodigingen.UitnodigenView.as_view(),
        name="uitnodigen",
    ),
    path(
        "bijeenkomsten/<slug:slug>/uitnodigen/versturen/",
        uitnodigingen.SendInvitationsView.as_view(),
        name="uitnodigen-versturen",
    ),
    path(
        "bijeenkomsten/<slug:slug>/berichten/",
        berichten.BerichtenView.as_view(),
        name="berichten",
    ),
    path(
        "bijeenkomsten/<slug:slug>/berichten/nieuw/",
        berichten.BerichtFormView.as_view(),
        name="bericht-nieuw",
    ),
    path(
        "bijeenkomsten/<slug:slug>/berichten/<int:pk>/",
        berichten.BerichtView.as_view(),
        name="bericht",
    ),
    path(
        "bijeenkomsten/<slug:slug>/berichten/<int:pk>/wijzigen/",
        berichten.BerichtFormView.as_view(),
        name="bericht-wijzigen",
    ),
    path(
        "bijeenkomsten/<slug:slug>/berichten/<int:pk>/versturen/",
        berichten.SendBerichtView.as_view(),
        name="bericht-versturen",
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
        "bijeenkomsten/<slug:slug>/importeren/<slug:token>/voortgang/",
        deelnemers.ImportProgressView.as_view(),
        name="import-voortgang",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanwezig/",
        deelnemers.AanwezigheidView.as_view(),
        name="aanwezigheid",
    ),
    path(
        "bijeenkomsten/<slug:slug>/aanwezig/ter-plekke/",
        deelnemers.WalkInView.as_view(),
        name="ter-plekke",
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
