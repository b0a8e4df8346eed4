from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("mijn/gegevens/", views.GegevensView.as_view(), name="gegevens"),
    path("mijn/gegevens/download/", views.GegevensJsonView.as_view(), name="gegevens-json"),
    path(
        "mijn/account-verwijderen/",
        views.AccountVerwijderenView.as_view(),
        name="account-verwijderen",
    ),
    path("privacy/", views.VerklaringView.as_view(), name="verklaring"),
]
