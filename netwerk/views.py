from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView
from django.views.i18n import set_language as django_set_language
from django_filters.views import FilterView

from bijeenkomsten import selectors as bijeenkomst_selectors
from bijeenkomsten.forms import CollegaAanmeldenForm
from kennisbank import selectors as kennisbank_selectors
from leerateliers import selectors as leeratelier_selectors
from netwerk import permissions, selectors, services
from netwerk.filters import OrganisatieFilter
from netwerk.forms import (
    CollegaUitnodigenForm,
    ContactpersoonForm,
    DelenForm,
    EvaluatiesForm,
    ProfielForm,
    SamenvoegenForm,
)
from netwerk.models import Lidmaatschap, Organisatie, Persoon
from netwerk.permissions import (
    can_decide_lidmaatschap,
    can_decide_lidmaatschappen,
    can_see_profiel,
)
from themas import selectors as thema_selectors
from werkplaats import cache
from werkplaats.actions import ActionView, FormPageActionView

# The kennisproducten a writer sees on /mijn/; the rest are in the kennisbank.
MIJN_PRODUCTEN = 10


class OrganisatieListView(FilterView):
    filterset_class = OrganisatieFilter
    template_name = "netwerk/organisatie_list.html"
    paginate_by = 20

    def get_queryset(self):
        return selectors.organisaties_voor_directory()


class OrganisatieDetailView(DetailView):
    template_name = "netwerk/organisatie_detail.html"
    context_object_name = "organisatie"

    def get_queryset(self):
        return selectors.organisaties_voor_directory()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["leerateliers"] = leeratelier_selectors.leerateliers_van_organisatie(self.object)
        if self.request.user.is_authenticated:
            context["personen"] = selectors.zichtbare_personen(self.object)
            context["is_lid"] = permissions.can_view_organisatie_leden(
                self.request.user, self.object
            )
        return context


class PersoonDetailView(DetailView):
    template_name = "netwerk/persoon_detail.html"
    context_object_name = "persoon"

    def get_object(self, queryset=None):
        try:
            persoon = selectors.persoon_voor_profiel(self.kwargs["pk"])
        except Persoon.DoesNotExist as error:
            raise Http404 from error
        # A hidden profile does not exist for whoever may not see it.
        if not can_see_profiel(self.request.user, persoon):
            raise Http404
        return persoon


class MijnView(LoginRequiredMixin, TemplateView):
    """The logged-in person's own page: bijeenkomsten, deelnames, profile, requests to decide on."""

    template_name = "netwerk/mijn.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        lidmaatschap = selectors.lidmaatschap_van(user)
        if lidmaatschap is not None:
            # The membership is of the person's own organisatie, read with it: the page
            # shows it without a query of its own.
            user.organisatie = lidmaatschap.organisatie
        aanmeldingen = bijeenkomst_selectors.aanmeldingen_van(user)
        cache.changes_at(self.request, aanmeldingen.verandert_om)
        context.update(
            deelnames=leeratelier_selectors.deelnames_van(user),
            aanvragen=leeratelier_selectors.arena_aanvragen_voor(user),
            is_trekker=leeratelier_selectors.is_trekker_ergens(user),
            getrokken_leerateliers=list(leeratelier_selectors.getrokken_door(user)),
            getrokken_themas=list(thema_selectors.getrokken_themas(user)),
            kennisproducten=SimpleLazyObject(
                lambda: list(kennisbank_selectors.producten_van_schrijver(user)[:MIJN_PRODUCTEN])
            ),
            aanmeldingen=aanmeldingen,
            groepen=bijeenkomst_selectors.groepen_van(user),
            georganiseerd=bijeenkomst_selectors.bijeenkomsten_van_team(user),
            lidmaatschap=lidmaatschap,
            te_bevestigen=selectors.te_bevestigen_door_lid(user),
            beslist_lidmaatschappen=can_decide_lidmaatschappen(user),
            form=kwargs.get("form") or ProfielForm(instance=user),
            delen_form=DelenForm(initial={"deelt_aanmeldingen": user.deelt_aanmeldingen}),
            evaluaties_form=EvaluatiesForm(initial={"wil_evaluaties": user.wil_evaluaties}),
        )
        return context


def set_language(request):
    """The site's language switch: Django's `set_language` (the cookie, and its check that
    `next` stays on this site), and for a logged-in person also the language of their mails.

    Open to everyone, and to GET as Django's view is (it then only redirects back).
    """
    response = django_set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language
        and check_for_language(language)
    ):
        services.set_taal(persoon=request.user, taal=language)
    return response


class ProfielUpdateView(ActionView):
    """Save one's own profile; an invalid form is shown again on /mijn/ with its errors."""

    form_class = ProfielForm

    def get_object(self):
        return Persoon.objects.get(pk=self.request.user.pk)

    def has_permission(self, user, persoon):
        return persoon.pk == user.pk

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_invalid(self, form):
        view = MijnView(request=self.request, args=(), kwargs={})
        return view.render_to_response(view.get_context_data(form=form), status=400)

    def perform(self, form):
        return services.update_profiel(persoon=self.object, **form.cleaned_data)

    def success_message(self, persoon):
        return _("Je profiel is opgeslagen.")

    def default_url(self):
        return reverse("netwerk:mijn")


class LidmaatschappenView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    """Coördinatoren: every membership request that waits for a decision."""

    template_name = "netwerk/lidmaatschappen.html"
    raise_exception = False

    def test_func(self):
        return can_decide_lidmaatschappen(self.request.user)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied
        return super().handle_no_permission()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, aanvragen=selectors.te_bevestigen())


class LidmaatschapActionView(ActionView):
    def get_object(self):
        return get_object_or_404(
            Lidmaatschap.objects.select_related("persoon"), pk=self.kwargs["pk"]
        )

    def has_permission(self, user, lidmaatschap):
        return can_decide_lidmaatschap(user, lidmaatschap)

    def default_url(self):
        return reverse("netwerk:mijn")


class ConfirmLidmaatschapView(LidmaatschapActionView):
    def perform(self):
        return services.confirm_lidmaatschap(lidmaatschap=self.object, door=self.request.user)

    def success_message(self, lidmaatschap):
        return _("%(naam)s is nu bevestigd lid van %(organisatie)s.") % {
            "naam": lidmaatschap.persoon.naam,
            "organisatie": lidmaatschap.organisatie.naam,
        }


class DeclineLidmaatschapView(LidmaatschapActionView):
    def perform(self):
        return services.decline_lidmaatschap(lidmaatschap=self.object, door=self.request.user)

    def success_message(self, lidmaatschap):
        return _("Het lidmaatschap van %(naam)s bij %(organisatie)s is afgewezen.") % {
            "naam": lidmaatschap.persoon.naam,
            "organisatie": lidmaatschap.organisatie.naam,
        }


LEDEN_PER_PAGINA = 25


class OrganisatieLedenView(LoginRequiredMixin, TemplateView):
    """The organisatie's page for its members: who belong to it and where it takes part;
    for its contactpersoon also what colleagues who consented registered for, and the
    forms to register colleagues, invite them and hand the role on."""

    template_name = "netwerk/organisatie_leden.html"

    def get(self, request, *args, **kwargs):
        self.organisatie = get_object_or_404(
            Organisatie.objects.goedgekeurd(), slug=self.kwargs["slug"]
        )
        if not permissions.can_view_organisatie_leden(request.user, self.organisatie):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, organisatie = self.request.user, self.organisatie
        is_contactpersoon = permissions.is_contactpersoon(user, organisatie)
        ziet_alles = is_contactpersoon or can_decide_lidmaatschappen(user)
        context.update(
            organisatie=organisatie,
            is_contactpersoon=is_contactpersoon,
            contactpersoon=selectors.contactpersoon_van(organisatie),
            leerateliers=leeratelier_selectors.leerateliers_van_organisatie(organisatie),
            # The names of all members are for the contactpersoon and the coördinatoren;
            # other members see those who show their profile.
            leden=list(
                selectors.bevestigde_leden(organisatie)
                if ziet_alles
                else selectors.bevestigde_leden(organisatie).filter(persoon__profiel_zichtbaar=True)
            ),
            kan_contactpersoon_kiezen=permissions.can_choose_contactpersoon(user, organisatie),
        )
        if context["kan_contactpersoon_kiezen"]:
            context["contactpersoon_form"] = ContactpersoonForm(organisatie=organisatie)
        if is_contactpersoon:
            paginator = Paginator(
                bijeenkomst_selectors.gedeelde_aanmeldingen(organisatie), LEDEN_PER_PAGINA
            )
            context.update(
                page_obj=paginator.get_page(self.request.GET.get("page")),
                deelnames=leeratelier_selectors.deelnames_van_organisatie(organisatie),
                aanvragen=selectors.te_bevestigen_door_lid(user),
                aanmelden_form=CollegaAanmeldenForm(organisatie=organisatie),
                uitnodigen_form=CollegaUitnodigenForm(),
            )
        return context


class OrganisatieActionView(ActionView):
    def get_object(self):
        return get_object_or_404(Organisatie.objects.goedgekeurd(), slug=self.kwargs["slug"])

    def default_url(self):
        return reverse("netwerk:organisatie-leden", args=[self.object.slug])


class ChooseContactpersoonView(OrganisatieActionView):
    form_class = ContactpersoonForm

    def has_permission(self, user, organisatie):
        return permissions.can_choose_contactpersoon(user, organisatie)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisatie": self.object}

    def perform(self, form):
        return services.choose_contactpersoon(
            organisatie=self.object, persoon=form.cleaned_data["persoon"], door=self.request.user
        )

    def success_message(self, lidmaatschap):
        return _("%(naam)s is nu de contactpersoon van %(organisatie)s.") % {
            "naam": lidmaatschap.persoon.naam,
            "organisatie": self.object.naam,
        }

    def get_success_url(self, lidmaatschap):
        if permissions.can_view_organisatie_leden(self.request.user, self.object):
            return self.back_url()
        return reverse("netwerk:mijn")


class InviteColleagueView(OrganisatieActionView):
    form_class = CollegaUitnodigenForm

    def has_permission(self, user, organisatie):
        return permissions.can_act_for_colleagues(user, organisatie)

    def perform(self, form):
        return services.invite_colleague(
            organisatie=self.object, door=self.request.user, email=form.cleaned_data["email"]
        )

    def success_message(self, mailed):
        return (
            _("De uitnodiging is verstuurd.")
            if mailed
            else _("Dit adres wil geen uitnodigingen ontvangen; er is niets verstuurd.")
        )


class DelenView(ActionView):
    """Consent to share one's registrations with the contactpersoon, or its withdrawal."""

    form_class = DelenForm

    def get_object(self):
        return self.request.user

    def has_permission(self, user, persoon):
        return user.is_authenticated

    def default_url(self):
        return reverse("netwerk:mijn") + "#delen"

    def perform(self, form):
        return services.set_deelt_aanmeldingen(
            persoon=self.request.user, deelt=form.cleaned_data["deelt_aanmeldingen"]
        )

    def success_message(self, persoon):
        if persoon.deelt_aanmeldingen:
            return _("De contactpersoon van je organisatie ziet nu je aanmeldingen.")
        return _("De contactpersoon van je organisatie ziet je aanmeldingen niet meer.")


class EvaluatiesView(ActionView):
    """Consent to the evaluation mail after a bijeenkomst, or its withdrawal."""

    form_class = EvaluatiesForm

    def get_object(self):
        return self.request.user

    def has_permission(self, user, persoon):
        return user.is_authenticated

    def default_url(self):
        return reverse("netwerk:mijn") + "#evaluaties"

    def perform(self, form):
        return services.set_wil_evaluaties(
            persoon=self.request.user, wil=form.cleaned_data["wil_evaluaties"]
        )

    def success_message(self, persoon):
        if persoon.wil_evaluaties:
            return _("Je krijgt na een bijeenkomst waar je was een mail met de evaluatie.")
        return _("Je krijgt na een bijeenkomst geen mail met de evaluatie meer.")


class OrganisatiesSamenvoegenView(FormPageActionView):
    """A coördinator merges two organisaties; the page shows the latest merges (the log)."""

    form_class = SamenvoegenForm
    template_name = "netwerk/organisaties_samenvoegen.html"

    def has_permission(self, user, obj):
        return permissions.can_merge_organisaties(user)

    def get_page_context(self):
        return {"samenvoegingen": selectors.laatste_samenvoegingen()}

    def perform(self, form):
        return services.merge_organisatie(
            bron=form.cleaned_data["bron"], doel=form.cleaned_data["doel"], door=self.request.user
        )

    def success_message(self, samenvoeging):
        return _("%(bron)s is samengevoegd met %(doel)s.") % {
            "bron": samenvoeging.bron_naam,
            "doel": samenvoeging.doel.naam,
        }

    def get_success_url(self, samenvoeging):
        return reverse("netwerk:organisaties-samenvoegen")
