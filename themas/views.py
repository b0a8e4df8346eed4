from django.http import Http404
from django.views.generic import DetailView, ListView

from themas import selectors
from themas.models import Thema


class ThemaListView(ListView):
    template_name = "themas/thema_list.html"
    context_object_name = "themas"
    paginate_by = 12

    def get_queryset(self):
        return selectors.themas_voor_lijst()


class ThemaDetailView(DetailView):
    template_name = "themas/thema_detail.html"
    context_object_name = "thema"

    def get_object(self, queryset=None):
        try:
            return selectors.thema_voor_pagina(slug=self.kwargs["slug"])
        except Thema.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["leerateliers"] = selectors.leerateliers_van_thema(self.object)
        return context
