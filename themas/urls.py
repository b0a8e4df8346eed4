from django.urls import path

from themas import views

app_name = "themas"

urlpatterns = [
    path("", views.ThemaListView.as_view(), name="lijst"),
    path("<slug:slug>/", views.ThemaDetailView.as_view(), name="detail"),
]
