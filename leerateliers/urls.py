from django.urls import path

from leerateliers import views
from werkplaats.cache import NAMES, cached_for_person, cached_for_visitors

app_name = "leerateliers"

urlpatterns = [
    path(
        "", cached_for_visitors("leerateliers")(views.LeeratelierListView.as_view()), name="lijst"
    ),
    path("besluit/<str:token>/", views.DecisionLinkView.as_view(), name="besluit"),
    path("deelnames/<int:pk>/wisselen/", views.SwitchView.as_view(), name="deelname-wisselen"),
    path("deelnames/<int:pk>/beeindigen/", views.LeaveView.as_view(), name="deelname-beeindigen"),
    path(
        "deelnames/<int:pk>/goedkeuren/",
        views.DecideView.as_view(approve=True),
        name="deelname-goedkeuren",
    ),
    path(
        "deelnames/<int:pk>/afwijzen/",
        views.DecideView.as_view(approve=False),
        name="deelname-afwijzen",
    ),
    path(
        "<slug:slug>/",
        cached_for_person(cached_for_visitors(*NAMES)(views.LeeratelierDetailView.as_view())),
        name="detail",
    ),
    path("<slug:slug>/deelnemen/", views.JoinView.as_view(), name="deelnemen"),
    path("<slug:slug>/bewerken/", views.LeeratelierEditView.as_view(), name="bewerken"),
    path(
        "<slug:slug>/praktijken/nieuw/",
        views.LerendePraktijkEditView.as_view(),
        name="praktijk-nieuw",
    ),
    path(
        "praktijken/<int:pk>/bewerken/",
        views.LerendePraktijkEditView.as_view(),
        name="praktijk-bewerken",
    ),
    path("<slug:slug>/samenvoegen/", views.MergeView.as_view(), name="samenvoegen"),
]
