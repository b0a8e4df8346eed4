"""After the bijeenkomst: writing its verslag, its slides, and the bewijs van deelname with
the page that verifies it."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from bijeenkomsten import bewijs, selectors, services
from bijeenkomsten.forms import VerslagForm
from bijeenkomsten.models import Bijeenkomst
from bijeenkomsten.permissions import can_download_bewijs, can_view_verslag, can_write_verslag
from bijeenkomsten.views.publiek import UNKNOWN_LINK_TEXT, _own_aanmelding
from werkplaats.actions import FormPageActionView
from werkplaats.bestanden import download_response


class VerslagFormView(FormPageActionView):
    """Write or change the verslag; publishing is a tick on the same form."""

    template_name = "bijeenkomsten/verslag_form.html"
    form_class = VerslagForm

    def get_object(self):
        return get_object_or_404(Bijeenkomst, slug=self.kwargs["slug"])

    def has_permission(self, user, bijeenkomst):
        return can_write_verslag(user, bijeenkomst)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bijeenkomst": self.object}

    def get_initial_form(self):
        verslag = selectors.verslag_van(bijeenkomst=self.object)
        initial = {}
        if verslag is not None:
            initial = {
                "geleerde_lessen": verslag.geleerde_lessen,
                "updates": list(verslag.updates.all()),
                "kennisproducten": list(verslag.kennisproducten.all()),
                "publiceren": verslag.is_gepubliceerd,
            }
        return self.form_class(bijeenkomst=self.object, initial=initial)

    def get_page_context(self):
        return {
            "bijeenkomst": self.object,
            "verslag": selectors.verslag_van(bijeenkomst=self.object),
            "telling": services.attendance(bijeenkomst=self.object),
        }

    def perform(self, form):
        data = form.cleaned_data
        return services.save_verslag(
            bijeenkomst=self.object,
            door=self.request.user,
            geleerde_lessen=data["geleerde_lessen"],
            updates=data["updates"],
            kennisproducten=data["kennisproducten"],
            bestand=data["bestand"],
            bestand_verwijderen=data["bestand_verwijderen"],
            publiceren=data["publiceren"],
        )

    def success_message(self, verslag):
        if verslag.is_gepubliceerd:
            return _("Het verslag staat op de pagina van de bijeenkomst.")
        return _("Het verslag is opgeslagen als concept.")

    def get_success_url(self, verslag):
        return self.object.get_absolute_url()


class VerslagBestandView(View):
    """The slides of a verslag, for whoever may read the verslag."""

    def get(self, request, slug):
        verslag = selectors.verslag_van(bijeenkomst=get_object_or_404(Bijeenkomst, slug=slug))
        if not can_view_verslag(request.user, verslag) or not verslag.bestand:
            raise Http404(_("Dit bestand bestaat niet."))
        return download_response(
            verslag.bestand,
            filename=verslag.bijeenkomst.slug,
            soort=verslag.bestand.name.rsplit(".", 1)[-1],
            private=not verslag.is_gepubliceerd,
        )


def _certificate_response(request, aanmelding):
    if not can_download_bewijs(request.user, aanmelding):
        raise Http404(_("Voor deze aanmelding is geen bewijs van deelname."))
    url = request.build_absolute_uri(
        reverse("bijeenkomsten:bewijs-controle", kwargs={"code": bewijs.code_for(aanmelding)})
    )
    response = HttpResponse(
        bewijs.certificate_pdf(aanmelding, verification_url=url), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="bewijs-van-deelname-{aanmelding.bijeenkomst.slug}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


class EigenBewijsView(View):
    """From /mijn/: the certificate of one's own registration, logged in."""

    def get(self, request, pk):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _certificate_response(request, _own_aanmelding(request, pk))


class LinkBewijsView(View):
    """From the personal link's page: the token is the permission."""

    def get(self, request, token):
        aanmelding = selectors.aanmelding_by_token(token)
        if aanmelding is None:
            raise Http404(UNKNOWN_LINK_TEXT)
        return _certificate_response(request, aanmelding)


class BewijsControleView(View):
    """Anyone: is this certificate genuine? Only yes with the bijeenkomst and day, or no."""

    def get(self, request, code):
        aanmelding = bewijs.aanmelding_for_code(code)
        return render(
            request,
            "bijeenkomsten/bewijs_controle.html",
            {"aanmelding": aanmelding, "bijeenkomst": aanmelding and aanmelding.bijeenkomst},
            status=200 if aanmelding else 404,
        )
