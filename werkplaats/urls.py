from django.contrib import admin
from django.urls import include, path

from netwerk import views as netwerk_views
from werkplaats import views
from werkplaats.cache import NAMES, cached_for_visitors

# A database that does not answer gets 503 rather than 500 (fault suite, scenario 4).
handler500 = "werkplaats.views.server_error"

urlpatterns = [
    path("", cached_for_visitors(*NAMES)(views.HomeView.as_view()), name="home"),
    # Shows no data: cached until a deploy changes its text.
    path(
        "toegankelijkheid/",
        cached_for_visitors()(views.ToegankelijkheidView.as_view()),
        name="toegankelijkheid",
    ),
    path("coordinatie/", views.CoordinatieView.as_view(), name="coordinatie"),
    path("healthz", views.healthz, name="healthz"),
    path("media/<path:path>", views.media, name="media"),
    path("", include("netwerk.urls")),
    path("leerateliers/", include("leerateliers.urls")),
    path("", include("themas.urls")),
    path("", include("kennisbank.urls")),
    path("nieuwsbrief/", include("nieuwsbrief.urls")),
    path("account/", include("allauth.urls")),
    # Django's language switch, which also stores a logged-in person's choice for their mails.
    path("taal/setlang/", netwerk_views.set_language, name="set_language"),
    path("beheer/", admin.site.urls),
    path("", include("bijeenkomsten.urls")),
    path("", include("privacy.urls")),
    path("", include("bereik.urls")),
]
