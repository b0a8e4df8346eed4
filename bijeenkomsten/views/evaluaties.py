"""The evaluation after a bijeenkomst: the form behind an attendee's personal link, the
team's page with the results, and its button that mails the evaluation."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from bijeenkomsten import selectors, services
from bijeenkomsten.forms import EvaluatieForm
from bijeenkomsten.models import Bijeenkomst
from bijeenkomsten.permissions import can_send_evaluatie, can_view_evaluatie
from bijeenkomsten.views.publiek import UNKNOWN_LINK_TEXT, UNKNOWN_LINK_TITLE, _notice
from werkplaats.actions import ActionView
from werkplaats.charts import grafiek
from werkplaats.exceptions import RuleViolation

OPEN_ANTWOORDEN_PER_PAGINA = 25
GEEN_EVALUATIE_TITEL = gettext_lazy("Geen evaluatie")
GEEN_EVALUATIE_TEKST = gettext_lazy(
    "Voor deze aanmelding is geen evaluatie: die is er alleen voor wie bij de bijeenkomst "
    "aanwezig was, nadat die voorbij is."
)
GESLOTEN_TITEL = gettext_lazy("De evaluatie is gesloten")
GESLOTEN_TEKST = gettext_lazy(
    "De evaluatie van deze bijeenkomst is gesloten: er kan niets meer worden ingevuld."
)


class EvaluatieView(View):
    """The evaluation form of one attendee; the personal link's token is the permission, and
    it must belong to this bijeenkomst."""

    template_name = "bijeenkomsten/evaluatie.html"

    def dispatch(self, request, slug, token):
        aanmelding = selectors.aanmelding_by_token(token)
        if aanmelding is None or aanmelding.bijeenkomst.slug != slug:
            return _notice(request, UNKNOWN_LINK_TITLE, UNKNOWN_LINK_TEXT, status=404)
        self.aanmelding = aanmelding
        state = services.evaluation_state(aanmelding)
        if state == services.EvaluatieStand.GEEN:
            return _notice(request, GEEN_EVALUATIE_TITEL, GEEN_EVALUATIE_TEKST, status=404)
        if state == services.EvaluatieStand.GESLOTEN:
            return _notice(request, GESLOTEN_TITEL, GESLOTEN_TEKST, status=410)
        if state == services.EvaluatieStand.INGEVULD:
            return self.filled_in(status=200 if request.method == "GET" else 409)
        self.vragen = services.evaluation_questions(aanmelding.bijeenkomst)
        return super().dispatch(request)

    def get(self, request):
        return self.render_form(EvaluatieForm(vragen=self.vragen))

    def post(self, request):
        form = EvaluatieForm(request.POST, vragen=self.vragen)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            services.submit_evaluation(aanmelding=self.aanmelding, antwoorden=form.antwoorden())
        except services.EvaluatieError:
            # Filled in meanwhile (another tab), or closed just now: what the link shows.
            return self.filled_in(status=409)
        except RuleViolation as error:
            form.add_error(None, str(error))
            return self.render_form(form, status=400)
        messages.success(request, _("Dank je wel! Je antwoorden zijn bewaard, zonder je naam."))
        return HttpResponseRedirect(request.path)

    def render_form(self, form, status=200):
        context = {"bijeenkomst": self.aanmelding.bijeenkomst, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def filled_in(self, status):
        return render(
            self.request,
            "bijeenkomsten/evaluatie_ingevuld.html",
            {"bijeenkomst": self.aanmelding.bijeenkomst},
            status=status,
        )


class EvaluatieUitslagView(View):
    """The team's page: how many filled it in, counts and charts of the closed questions,
    the open answers page by page, and the button that mails the evaluation."""

    def get(self, request, slug):
        bijeenkomst = get_object_or_404(Bijeenkomst, slug=slug)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_evaluatie(request.user, bijeenkomst):
            raise PermissionDenied
        uitslag = selectors.evaluatie_uitslag(bijeenkomst=bijeenkomst)
        gesloten = [
            (
                item,
                grafiek(
                    id=f"vraag-{item.vraag.pk}",
                    titel=item.vraag.tekst,
                    kolom=_("Aantal antwoorden"),
                    rijen=item.rijen,
                ),
            )
            for item in uitslag.gesloten_vragen
        ]
        pagina = None
        if uitslag.getoond and uitslag.open_vragen:
            pagina = Paginator(
                selectors.open_antwoorden(bijeenkomst=bijeenkomst), OPEN_ANTWOORDEN_PER_PAGINA
            ).get_page(request.GET.get("page"))
        return render(
            request,
            "bijeenkomsten/evaluatie_uitslag.html",
            {
                "bijeenkomst": bijeenkomst,
                "uitslag": uitslag,
                "gesloten": gesloten,
                "pagina": pagina,
                "minimum": selectors.EVALUATIE_MIN_INZENDINGEN,
                "mag_versturen": can_send_evaluatie(request.user, bijeenkomst),
                "vragen_url": reverse("bijeenkomsten:vragen", args=[bijeenkomst.slug])
                + "?formulier=evaluatie",
            },
        )


class EvaluatieVersturenView(ActionView):
    """The team mails the evaluation to those present who have not had it yet."""

    def get_object(self):
        return get_object_or_404(Bijeenkomst, slug=self.kwargs["slug"])

    def has_permission(self, user, bijeenkomst):
        return can_send_evaluatie(user, bijeenkomst)

    def default_url(self):
        return reverse("bijeenkomsten:evaluatie-uitslag", args=[self.object.slug])

    def perform(self):
        return services.send_evaluation(bijeenkomst_id=self.object.pk, door=self.request.user)

    def success_message(self, aantal):
        if not aantal:
            return _("Iedereen die aanwezig was, heeft de evaluatie al gekregen.")
        return _("De evaluatie is gemaild aan %(aantal)s aanwezigen.") % {"aantal": aantal}
