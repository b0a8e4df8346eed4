from django.urls import path

from bereik import views

app_name = "bereik"

urlpatterns = [
    path("bereik/", views.BereikView.as_view(), name="bereik"),
    path("bereik/bereik.xlsx", views.BereikExportView.as_view(), name="export"),
]
