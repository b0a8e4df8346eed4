from django.urls import path
from django.views.decorators.http import require_safe

from nieuwsbrief import views
from werkplaats.cache import cached_for_visitors

app_name = "nieuwsbrief"

# The archive shows nothing but the editions whose sending started; they change when one is
# sent (nieuwsbrief.services, nieuwsbrief.delivery) or corrected in the admin.
archief = cached_for_visitors("nieuwsbrief")

urlpatterns = [
    # For everyone: subscribing, unsubscribing, the archive.
    path("", views.SubscribeView.as_view(), name="aanmelden"),
    path("bevestigen/<str:token>/", views.ConfirmView.as_view(), name="bevestigen"),
    path("afmelden/<str:token>/", views.UnsubscribeView.as_view(), name="afmelden"),
    path("mijn/", views.OwnSubscriptionView.as_view(), name="mijn"),
    path("mijn/afmelden/", views.OwnUnsubscribeView.as_view(), name="mijn-afmelden"),
    path("archief/", archief(views.ArchiefView.as_view()), name="archief"),
    path(
        "archief/feed/",
        cached_for_visitors("nieuwsbrief", validators=True)(require_safe(views.ArchiefFeed())),
        name="feed",
    ),
    path(
        "archief/<slug:slug>/",
        archief(views.ArchiefEditieView.as_view()),
        name="archief-editie",
    ),
    # For coördinatoren: composing, editing, testing and sending editions.
    path("edities/", views.EditieListView.as_view(), name="edities"),
    path("edities/samenstellen/", views.ComposeView.as_view(), name="samenstellen"),
    path("edities/<int:pk>/", views.EditieView.as_view(), name="editie"),
    path("edities/<int:pk>/bewerken/", views.EditieUpdateView.as_view(), name="editie-bewerken"),
    path("edities/<int:pk>/secties/nieuw/", views.SectieView.as_view(), name="sectie-nieuw"),
    path("edities/<int:pk>/secties/<int:sectie>/", views.SectieView.as_view(), name="sectie"),
    path(
        "edities/<int:pk>/secties/<int:sectie>/omhoog/",
        views.MoveSectionView.as_view(richting=-1),
        name="sectie-omhoog",
    ),
    path(
        "edities/<int:pk>/secties/<int:sectie>/omlaag/",
        views.MoveSectionView.as_view(richting=1),
        name="sectie-omlaag",
    ),
    path(
        "edities/<int:pk>/secties/<int:sectie>/verwijderen/",
        views.RemoveSectionView.as_view(),
        name="sectie-verwijderen",
    ),
    path("edities/<int:pk>/voorbeeld/", views.PreviewView.as_view(), name="voorbeeld"),
    path(
        "edities/<int:pk>/voorbeeld/mail.html",
        views.PreviewPartView.as_view(part="html"),
        name="voorbeeld-html",
    ),
    path(
        "edities/<int:pk>/voorbeeld/mail.txt",
        views.PreviewPartView.as_view(part="tekst"),
        name="voorbeeld-tekst",
    ),
    path("edities/<int:pk>/test/", views.SendTestView.as_view(), name="test"),
    path("edities/<int:pk>/verzenden/", views.SendView.as_view(), name="verzenden"),
    path(
        "edities/<int:pk>/inplanning-intrekken/",
        views.UnscheduleView.as_view(),
        name="inplanning-intrekken",
    ),
    path("abonnees/", views.AbonneesView.as_view(), name="abonnees"),
]
