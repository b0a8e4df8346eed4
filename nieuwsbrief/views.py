from csp.constants import NONE, SELF
from csp.decorators import csp_replace
from django.contrib.auth.mixins import UserPassesTestMixin
from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from leerateliers import selectors as leeratelier_selectors
from netwerk import selectors as netwerk_selectors
from netwerk import services as netwerk_services
from netwerk.models import HUIDIGE_TOESTEMMING, TOESTEMMINGSTEKSTEN, Abonnement
from nieuwsbrief import selectors, services
from nieuwsbrief.filters import AbonnementFilter
from nieuwsbrief.forms import (
    MIJN_PREFIX,
    AanmeldForm,
    DoelgroepForm,
    EditieForm,
    InteressesForm,
    SectieForm,
    TestmailForm,
    VerzendForm,
    interesses_velden,
)
from nieuwsbrief.models import Editie, Sectie
from nieuwsbrief.permissions import can_compose, can_see_abonnees, can_send, can_send_test_to
from nieuwsbrief.rendering import TOKEN_PLACEHOLDER, render_edition
from themas import selectors as thema_selectors
from werkplaats import ratelimit
from werkplaats.actions import ActionView, FormPageActionView

PREVIEW_TOKEN = "voorbeeld"


def _refuse(request, allowed: bool):
    """For the GET of a coördinator's page: log in first, or 403 without the right."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed:
        raise PermissionDenied
    return None


def _notice(request, title: str, text: str, status: int = 200):
    return render(
        request, "nieuwsbrief/melding.html", {"titel": title, "tekst": text}, status=status
    )


def consent_text() -> str:
    return TOESTEMMINGSTEKSTEN[HUIDIGE_TOESTEMMING]


# Subscribing and unsubscribing: for everyone, no account needed.


class SubscribeView(ActionView):
    """The public form; the answer is the same for every address (nobody learns who
    subscribes), and only the link in the mail subscribes."""

    http_method_names = ["get", "post"]
    login_required = False
    form_class = AanmeldForm

    def get(self, request):
        return self._page(AanmeldForm())

    def _page(self, form, status=200):
        return render(
            self.request,
            "nieuwsbrief/aanmelden.html",
            {"form": form, "toestemming": consent_text()},
            status=status,
        )

    def has_permission(self, user, obj):
        return True

    def form_invalid(self, form):
        return self._page(form, status=400)

    def perform(self, form):
        data = form.cleaned_data
        # It mails an address nobody has proven yet: limited per client.
        ratelimit.check(self.request, "nieuwsbrief-aanmelding")
        services.request_subscription(
            email=data["email"],
            naam=data["naam"],
            leeratelier_ids=[atelier.pk for atelier in data["leerateliers"]],
            thema_ids=[thema.pk for thema in data["themas"]],
        )

    def success_message(self, result):
        return _(
            "Bijna klaar: we hebben je een mail gestuurd. Bevestig je aanmelding met de link in "
            "die mail; pas dan krijg je de nieuwsbrief. Geen mail gekregen? Kijk ook bij je "
            "ongewenste mail; een nieuwe mail kan na een uur."
        )

    def default_url(self):
        return reverse("nieuwsbrief:aanmelden")


class ConfirmView(ActionView):
    """The link in the confirmation mail: the GET shows what will be confirmed (a mail scanner
    that opens the link confirms nothing); the POST subscribes. The link's random token is
    the permission; an unknown, used or expired one gets a page that says so."""

    http_method_names = ["get", "post"]
    login_required = False

    def get(self, request, token):
        try:
            verzoek = services.read_subscription_request(token=token)
        except services.InvalidSubscriptionLink as error:
            return _notice(request, _("Deze link werkt niet"), str(error), status=404)
        return render(
            request,
            "nieuwsbrief/bevestigen.html",
            {
                "email": verzoek.email,
                "naam": verzoek.naam,
                "leerateliers": leeratelier_selectors.leerateliers_voor_keuze().filter(
                    pk__in=verzoek.leeratelier_ids
                ),
                "themas": thema_selectors.themas_voor_keuze().filter(pk__in=verzoek.thema_ids),
            },
        )

    def has_permission(self, user, obj):
        return True

    def perform(self):
        return services.confirm_subscription(token=self.kwargs["token"])

    def rule_violated(self, error):
        if isinstance(error, services.InvalidSubscriptionLink):
            return _notice(self.request, _("Deze link werkt niet"), str(error), status=404)
        return super().rule_violated(error)

    def success_message(self, abonnement):
        return _("Je bent aangemeld voor de nieuwsbrief. Welkom!")

    def default_url(self):
        return reverse("nieuwsbrief:aanmelden")


UNKNOWN_LINK_TEXT = gettext_lazy(
    "Deze afmeldlink hoort niet (meer) bij een abonnement. Controleer of je de hele link uit "
    "de mail hebt gebruikt."
)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(ActionView):
    """The personal link of every edition. A POST unsubscribes at once, with no log-in and no
    CSRF token: the unguessable token in the link is the permission, and mail programs POST
    here for their own unsubscribe button (RFC 8058), so the answer is a page, never a
    redirect. A GET shows one button and changes nothing, so link scanners unsubscribe
    nobody."""

    http_method_names = ["get", "post"]
    login_required = False

    def get_object(self):
        abonnement = selectors.abonnement_by_token(self.kwargs["token"])
        if abonnement is None:
            raise Http404(UNKNOWN_LINK_TEXT)
        return abonnement

    def get(self, request, token):
        abonnement = selectors.abonnement_by_token(token)
        if abonnement is None:
            return _notice(request, _("Afmeldlink niet gevonden"), UNKNOWN_LINK_TEXT, status=404)
        return render(request, "nieuwsbrief/afmelden.html", {"abonnement": abonnement})

    def has_permission(self, user, abonnement):
        return True

    def perform(self):
        one_click = self.request.POST.get("List-Unsubscribe") == "One-Click"
        via = Abonnement.Via.ONE_CLICK if one_click else Abonnement.Via.LINK
        return netwerk_services.unsubscribe(abonnement=self.object, via=via)

    def succeeded(self, abonnement):
        return render(
            self.request, "nieuwsbrief/afmelden.html", {"abonnement": abonnement, "net": True}
        )


class OwnSubscriptionView(FormPageActionView):
    """The logged-in person's own subscription: subscribe with the account's own address,
    or choose the interests. A page of its own, linked from /mijn/, which shows only what
    was chosen: the boxes are every leeratelier and thema (a thousand at scale)."""

    form_class = InteressesForm
    template_name = "nieuwsbrief/mijn.html"

    def has_permission(self, user, obj):
        return user.is_authenticated

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "prefix": MIJN_PREFIX}

    def get_page_context(self):
        abonnement = netwerk_selectors.abonnement_van(self.request.user)
        gekozen = {"leeratelier_ids": [], "thema_ids": []}
        if abonnement is not None:
            gekozen = {
                "leeratelier_ids": [atelier.pk for atelier in abonnement.leerateliers.all()],
                "thema_ids": [thema.pk for thema in abonnement.themas.all()],
            }
        return {
            "abonnement": abonnement,
            "actief": abonnement is not None and abonnement.status == Abonnement.Status.BEVESTIGD,
            # The boxes are shared, the ticks are this person's (interesses_velden).
            "velden": interesses_velden(prefix=MIJN_PREFIX, **gekozen),
            "toestemming": TOESTEMMINGSTEKSTEN[HUIDIGE_TOESTEMMING],
        }

    def perform(self, form):
        return netwerk_services.save_own_subscription(
            persoon=self.request.user,
            leeratelier_ids=[atelier.pk for atelier in form.cleaned_data["leerateliers"]],
            thema_ids=[thema.pk for thema in form.cleaned_data["themas"]],
        )

    def success_message(self, abonnement):
        return _("Je nieuwsbrief-abonnement is opgeslagen.")

    def default_url(self):
        return reverse("netwerk:mijn") + "#nieuwsbrief"


class OwnUnsubscribeView(ActionView):
    def has_permission(self, user, obj):
        return user.is_authenticated

    def perform(self):
        return netwerk_services.unsubscribe_own(persoon=self.request.user)

    def success_message(self, abonnement):
        return _("Je bent afgemeld voor de nieuwsbrief.")

    def default_url(self):
        return reverse("netwerk:mijn") + "#nieuwsbrief"


# The archive: sent editions as web pages and as an Atom feed.


class ArchiefView(ListView):
    template_name = "nieuwsbrief/archief.html"
    context_object_name = "edities"
    paginate_by = 12

    def get_queryset(self):
        return selectors.archief()


class ArchiefEditieView(DetailView):
    template_name = "nieuwsbrief/archief_editie.html"
    context_object_name = "editie"

    def get_object(self, queryset=None):
        try:
            return selectors.archief_editie(slug=self.kwargs["slug"])
        except Editie.DoesNotExist as error:
            raise Http404 from error


class ArchiefFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Nieuwsbrief van de Werkplaats Sociaal Domein")
    subtitle = gettext_lazy("De verzonden edities van de nieuwsbrief.")

    def link(self):
        return reverse("nieuwsbrief:archief")

    def items(self):
        return selectors.archief()[:20]

    def item_title(self, editie):
        return editie.titel

    def item_description(self, editie):
        return editie.voorwoord_html or editie.titel

    def item_link(self, editie):
        return editie.get_archief_url()

    def item_pubdate(self, editie):
        return editie.verzending_gestart_op

    def item_updateddate(self, editie):
        return editie.verzonden_op or editie.verzending_gestart_op


# Composing and sending: for coördinatoren (and beheerders).


class ComposerMixin(UserPassesTestMixin):
    """Anonymous visitors go to the log-in page, everyone else without the right gets 403."""

    def test_func(self):
        return can_compose(self.request.user)


class EditieListView(ComposerMixin, ListView):
    template_name = "nieuwsbrief/editie_list.html"
    context_object_name = "edities"
    paginate_by = 20

    def get_queryset(self):
        return selectors.edities_voor_lijst()


class ComposeView(ActionView):
    def has_permission(self, user, obj):
        return can_compose(user)

    def perform(self):
        return services.compose_edition(door=self.request.user)

    def success_message(self, editie):
        return _("De editie is samengesteld uit wat er sinds de vorige editie verscheen.")

    def get_success_url(self, editie):
        return editie.get_absolute_url()


def _editie_or_404(pk) -> Editie:
    try:
        return selectors.editie_voor_pagina(pk=pk)
    except Editie.DoesNotExist as error:
        raise Http404 from error


def _editie_page(request, editie: Editie, *, form=None, status=200):
    context = {
        "editie": editie,
        "secties": editie.secties.all(),
        "form": form or EditieForm(instance=editie),
        "mag_verzenden": can_send(request.user),
    }
    if editie.status in (Editie.Status.VERZENDEN, Editie.Status.VERZONDEN):
        context["voortgang"] = selectors.voortgang(editie)
        context["niet_bezorgd"] = selectors.niet_bezorgd(editie)
    return render(request, "nieuwsbrief/editie_detail.html", context, status=status)


class EditieView(ComposerMixin, View):
    def get(self, request, pk):
        return _editie_page(request, _editie_or_404(pk))


class EditieActionView(ActionView):
    """A coördinator's action on one edition; back to the edition's page."""

    def get_object(self):
        return get_object_or_404(Editie, pk=self.kwargs["pk"])

    def has_permission(self, user, editie):
        return can_compose(user)


class EditieUpdateView(EditieActionView):
    form_class = EditieForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_invalid(self, form):
        return _editie_page(self.request, _editie_or_404(self.object.pk), form=form, status=400)

    def perform(self, form):
        return services.update_edition(
            editie=self.object,
            titel=form.cleaned_data["titel"],
            voorwoord=form.cleaned_data["voorwoord"],
        )

    def success_message(self, editie):
        return _("De titel en het voorwoord zijn opgeslagen.")


class SectieView(EditieActionView):
    """Write a new section (no `sectie` in the URL) or change one."""

    http_method_names = ["get", "post"]
    form_class = SectieForm

    def _sectie(self, editie):
        if "sectie" not in self.kwargs:
            return None
        return get_object_or_404(Sectie, pk=self.kwargs["sectie"], editie=editie)

    def get(self, request, pk, sectie=None):
        if refusal := _refuse(request, can_compose(request.user)):
            return refusal
        editie = self.get_object()
        return self._page(editie, SectieForm(instance=self._sectie(editie)))

    def _page(self, editie, form, status=200):
        return render(
            self.request,
            "nieuwsbrief/sectie_form.html",
            {"editie": editie, "form": form, "sectie": self._sectie(editie)},
            status=status,
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self._sectie(self.object)}

    def form_invalid(self, form):
        return self._page(self.object, form, status=400)

    def perform(self, form):
        return services.save_section(
            editie=self.object,
            sectie=self._sectie(self.object),
            titel=form.cleaned_data["titel"],
            tekst=form.cleaned_data["tekst"],
        )

    def success_message(self, sectie):
        return _("De sectie %(titel)s is opgeslagen.") % {"titel": sectie.titel}

    def get_success_url(self, sectie):
        return self.object.get_absolute_url() + f"#sectie-{sectie.pk}"


class SectieActionView(EditieActionView):
    def sectie(self):
        return get_object_or_404(Sectie, pk=self.kwargs["sectie"], editie=self.object)


class MoveSectionView(SectieActionView):
    richting = 0

    def perform(self):
        return services.move_section(sectie=self.sectie(), richting=self.richting)

    def get_success_url(self, sectie):
        return self.object.get_absolute_url() + f"#sectie-{sectie.pk}"


class RemoveSectionView(SectieActionView):
    def perform(self):
        sectie = self.sectie()
        services.remove_section(sectie=sectie)
        return sectie

    def success_message(self, sectie):
        return _("De sectie %(titel)s is verwijderd.") % {"titel": sectie.titel}


class SendTestView(FormPageActionView):
    """The test mail of an edition: to one's own address, or to up to MAX_TEST_ADDRESSES
    addresses for who may send the edition."""

    form_class = TestmailForm
    template_name = "nieuwsbrief/testmail.html"

    def get_object(self):
        return get_object_or_404(Editie, pk=self.kwargs["pk"])

    def has_permission(self, user, editie):
        return can_compose(user)

    def get_initial_form(self):
        return TestmailForm(initial={"adressen": self.request.user.email})

    def get_page_context(self):
        return {"editie": self.object, "mag_verzenden": can_send(self.request.user)}

    def perform(self, form):
        adressen = form.cleaned_data["adressen"]
        if not can_send_test_to(self.request.user, adressen):
            raise PermissionDenied
        # It mails addresses nobody proved: limited per client like the public forms.
        ratelimit.check(self.request, "nieuwsbrief-testmail")
        return services.send_test(editie=self.object, adressen=adressen)

    def success_message(self, messages):
        return _("Er is een testmail onderweg naar %(adressen)s.") % {
            "adressen": ", ".join(message.to for message in messages)
        }

    def get_success_url(self, messages):
        return self.object.get_absolute_url()


class PreviewView(ComposerMixin, View):
    """The mail as it would go out now: the HTML in a frame, and the plain text."""

    def get(self, request, pk):
        editie = _editie_or_404(pk)
        rendered = render_edition(editie, editie.secties.all())
        return render(
            request,
            "nieuwsbrief/voorbeeld.html",
            {
                "editie": editie,
                "onderwerp": rendered.subject,
                "tekst": rendered.text.replace(TOKEN_PLACEHOLDER, PREVIEW_TOKEN),
            },
        )


# The preview page frames this bare mail. A mail carries its styles inline (mail programs
# know no style sheets) and no script at all, so this one response allows exactly that.
MAIL_PREVIEW_CSP = {
    "frame-ancestors": [SELF],
    "style-src": ["'unsafe-inline'"],
    "script-src": [NONE],
    "img-src": [SELF, "data:"],
}


@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(csp_replace(MAIL_PREVIEW_CSP), name="dispatch")
class PreviewPartView(ComposerMixin, View):
    """The bare HTML or plain text of the mail, as the mail program gets it."""

    part = "html"

    def get(self, request, pk):
        editie = _editie_or_404(pk)
        rendered = render_edition(editie, editie.secties.all())
        if self.part == "html":
            body = rendered.html.replace(TOKEN_PLACEHOLDER, PREVIEW_TOKEN)
            return HttpResponse(body, content_type="text/html; charset=utf-8")
        body = rendered.text.replace(TOKEN_PLACEHOLDER, PREVIEW_TOKEN)
        return HttpResponse(body, content_type="text/plain; charset=utf-8")


class SendView(EditieActionView):
    """The GET shows the audience and how many it reaches; the POST sends or plans."""

    http_method_names = ["get", "post"]
    form_class = VerzendForm

    def has_permission(self, user, editie):
        return can_send(user)

    def get(self, request, pk):
        if refusal := _refuse(request, can_send(request.user)):
            return refusal
        editie = _editie_or_404(pk)
        doelgroep = DoelgroepForm(request.GET if "doelgroep" in request.GET else None)
        return self._page(editie, doelgroep)

    def _page(self, editie, doelgroep, verzend_form=None, status=200):
        context = {"editie": editie, "doelgroep_form": doelgroep}
        data = doelgroep.cleaned_data if doelgroep.is_bound and doelgroep.is_valid() else None
        if not doelgroep.is_bound:
            data = {"doelgroep": Editie.Doelgroep.ALLE, "leerateliers": [], "themas": []}
        if data is not None:
            context["aantal"] = selectors.ontvangers(
                doelgroep=data["doelgroep"],
                leeratelier_ids=[atelier.pk for atelier in data["leerateliers"]],
                thema_ids=[thema.pk for thema in data["themas"]],
            ).count()
            context["verzend_form"] = verzend_form or VerzendForm(
                initial={
                    "doelgroep": data["doelgroep"],
                    "leerateliers": data["leerateliers"],
                    "themas": data["themas"],
                }
            )
        return render(self.request, "nieuwsbrief/verzenden.html", context, status=status)

    def form_invalid(self, form):
        doelgroep = DoelgroepForm(self.request.POST)
        return self._page(_editie_or_404(self.object.pk), doelgroep, form, status=400)

    def perform(self, form):
        data = form.cleaned_data
        plannen = data["actie"] == VerzendForm.Actie.INPLANNEN
        return services.send_edition(
            editie=self.object,
            doelgroep=data["doelgroep"],
            leeratelier_ids=[atelier.pk for atelier in data["leerateliers"]],
            thema_ids=[thema.pk for thema in data["themas"]],
            verzenden_op=data["verzenden_op"] if plannen else None,
        )

    def success_message(self, editie):
        if editie.status == Editie.Status.INGEPLAND:
            return _("De editie is ingepland.")
        return _("De editie wordt verzonden. Hieronder zie je hoe ver het is.")

    def get_success_url(self, editie):
        return editie.get_absolute_url()


class UnscheduleView(EditieActionView):
    def has_permission(self, user, editie):
        return can_send(user)

    def perform(self):
        return services.unschedule_edition(editie=self.object)

    def success_message(self, editie):
        return _("De editie is niet meer ingepland; ze is weer een concept.")


class AbonneesView(UserPassesTestMixin, FilterView):
    """Who subscribes, with the paused addresses and why."""

    filterset_class = AbonnementFilter
    template_name = "nieuwsbrief/abonnees.html"
    context_object_name = "abonnementen"
    paginate_by = 50

    def test_func(self):
        return can_see_abonnees(self.request.user)

    def get_queryset(self):
        return netwerk_selectors.abonnementen_voor_lijst()
