from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from bijeenkomsten.models import Verslag
from bijeenkomsten.permissions import can_write_verslag
from kennisbank import metadata, selectors, services, zoeken
from kennisbank.filters import KennisproductFilter
from kennisbank.forms import DossierForm, KennisproductForm, OnderdeelForm, VerplaatsForm
from kennisbank.models import DossierOnderdeel, Kennisdossier, Kennisproduct
from kennisbank.permissions import (
    can_curate_dossiers,
    can_edit_product,
    can_see_product,
    can_write_products,
)
from themas.rendering import MarkdownRefused
from werkplaats.actions import ActionView, FormPageActionView
from werkplaats.bestanden import BestandGeweigerd, download_response
from werkplaats.search import search_term


class KennisbankView(FilterView):
    """The library: published products, with a count beside every facet value."""

    template_name = "kennisbank/product_list.html"
    filterset_class = KennisproductFilter
    context_object_name = "producten"
    paginate_by = 12

    def get_queryset(self):
        return selectors.producten_voor_lijst()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.filterset.with_counts(selectors.facet_counts(self.filterset.chosen()))
        context["dossiers"] = selectors.dossiers_voor_lijst()[:6]
        context["kan_schrijven"] = can_write_products(self.request.user)
        return context


def _product_or_404(request, slug: str) -> Kennisproduct:
    try:
        product = selectors.product_voor_pagina(slug=slug)
    except Kennisproduct.DoesNotExist as error:
        raise Http404 from error
    # Concepts and withdrawn products exist only for those who may write them.
    if not can_see_product(request.user, product):
        raise Http404
    return product


class KennisproductDetailView(DetailView):
    template_name = "kennisbank/product_detail.html"
    context_object_name = "product"

    def get_object(self, queryset=None):
        return _product_or_404(self.request, self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            kan_bewerken=can_edit_product(self.request.user, self.object),
            json_ld=metadata.json_ld(self.object),
        )


# The citation formats: (media type, suffix, writer). Reference managers open them by type.
CITATIONS = {
    "bibtex": ("application/x-bibtex", "bib", metadata.bibtex),
    "ris": ("application/x-research-info-systems", "ris", metadata.ris),
}


def citation(request, slug, formaat):
    """The product as a citation for a reference manager, a download named after it."""
    if formaat not in CITATIONS:
        raise Http404
    product = _product_or_404(request, slug)
    content_type, suffix, write = CITATIONS[formaat]
    response = HttpResponse(write(product), content_type=f"{content_type}; charset=utf-8")
    filename = f"{slugify(product.titel)[:80] or 'kennisproduct'}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download(request, slug):
    """The product's file, under a name made from its title: never a path from the request,
    always as an attachment, never sniffed into something else."""
    product = _product_or_404(request, slug)
    if not product.bestand:
        raise Http404
    return download_response(
        product.bestand,
        filename=slugify(product.titel)[:80] or "kennisproduct",
        soort=product.bestand_type,
        private=not product.is_gepubliceerd,
    )


class KennisproductWriteView(FormPageActionView):
    """Write a new product or edit one; it is saved as it stands (a concept stays a concept)
    and its own page, seen by its writers only until published, is the preview."""

    form_class = KennisproductForm
    template_name = "kennisbank/product_form.html"

    def get_object(self):
        if "slug" in self.kwargs:
            return get_object_or_404(
                Kennisproduct.objects.prefetch_related(
                    "leerateliers__trekkers", "themas__thematrekkers"
                ),
                slug=self.kwargs["slug"],
            )
        return None

    def has_permission(self, user, product):
        if product is None:
            return can_write_products(user)
        return can_edit_product(user, product)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "persoon": self.request.user}

    def get_initial_form(self):
        initial = {} if self.object else {"ik_ben_auteur": True}
        return KennisproductForm(instance=self.object, persoon=self.request.user, initial=initial)

    def get_page_context(self):
        return {"product": self.object}

    def rule_violated(self, error):
        if isinstance(error, BestandGeweigerd):
            field = "nieuw_bestand"
        elif isinstance(error, MarkdownRefused):
            field = "tekst"
        else:
            field = None
        self.form.add_error(field, str(error))
        return self.render_form(self.form, status=400)

    def perform(self, form):
        return services.save_product(
            door=self.request.user,
            invoer=form.invoer(),
            product=self.object,
            bestand=form.cleaned_data.get("nieuw_bestand"),
        )

    def success_message(self, product):
        if product.is_gepubliceerd:
            return _("Het kennisproduct is opgeslagen.")
        return _(
            "Het concept is opgeslagen. Bekijk het hieronder en publiceer het als het klaar is."
        )

    def get_success_url(self, product):
        return product.get_absolute_url()


class KennisproductActionView(ActionView):
    def get_object(self):
        return get_object_or_404(
            Kennisproduct.objects.prefetch_related(
                "leerateliers__trekkers", "themas__thematrekkers"
            ),
            slug=self.kwargs["slug"],
        )

    def has_permission(self, user, product):
        return can_edit_product(user, product)

    def get_success_url(self, product):
        return product.get_absolute_url()


class PublishView(KennisproductActionView):
    def perform(self):
        return services.publish_product(product=self.object, door=self.request.user)

    def success_message(self, product):
        return _("Het kennisproduct is gepubliceerd.")


class WithdrawView(KennisproductActionView):
    def perform(self):
        return services.withdraw_product(product=self.object, door=self.request.user)

    def success_message(self, product):
        return _("Het kennisproduct is ingetrokken; alleen wie het mag bewerken ziet het nog.")


class DossierListView(ListView):
    template_name = "kennisbank/dossier_list.html"
    context_object_name = "dossiers"
    paginate_by = 12

    def get_queryset(self):
        return selectors.dossiers_voor_lijst()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, kan_bewerken=can_curate_dossiers(self.request.user)
        )


class DossierDetailView(DetailView):
    template_name = "kennisbank/dossier_detail.html"
    context_object_name = "dossier"

    def get_object(self, queryset=None):
        self.kan_bewerken = can_curate_dossiers(self.request.user)
        try:
            self.dossier, self.onderdelen = selectors.dossier_voor_pagina(
                slug=self.kwargs["slug"], ook_concept=self.kan_bewerken
            )
        except Kennisdossier.DoesNotExist as error:
            raise Http404 from error
        return self.dossier

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, onderdelen=self.onderdelen, kan_bewerken=self.kan_bewerken
        )


class DossierWriteView(FormPageActionView):
    """Start a kennisdossier or edit one: its text on top, its entries below, each with
    buttons to move or remove it, and a field to add one by the link of its page."""

    form_class = DossierForm
    template_name = "kennisbank/dossier_form.html"

    def get_object(self):
        if "slug" not in self.kwargs:
            self.onderdelen = []
            return None
        try:
            dossier, self.onderdelen = selectors.dossier_om_te_bewerken(slug=self.kwargs["slug"])
        except Kennisdossier.DoesNotExist as error:
            raise Http404 from error
        return dossier

    def has_permission(self, user, dossier):
        return can_curate_dossiers(user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_page_context(self):
        return {
            "dossier": self.object,
            "onderdelen": self.onderdelen,
            "onderdeel_form": OnderdeelForm(),
        }

    def perform(self, form):
        return services.save_dossier(invoer=form.invoer(), dossier=self.object)

    def success_message(self, dossier):
        return _("Het kennisdossier is opgeslagen.")

    def get_success_url(self, dossier):
        return reverse("kennisbank:dossier-bewerken", kwargs={"slug": dossier.slug})


class DossierActionView(ActionView):
    """An action on a dossier's entries, from its edit page and back to it."""

    def get_dossier(self) -> Kennisdossier:
        return get_object_or_404(Kennisdossier, slug=self.kwargs["slug"])

    def has_permission(self, user, obj):
        return can_curate_dossiers(user)

    def default_url(self):
        return reverse("kennisbank:dossier-bewerken", kwargs={"slug": self.kwargs["slug"]})


class DossierAddView(DossierActionView):
    form_class = OnderdeelForm

    def get_object(self):
        return self.get_dossier()

    def form_invalid(self, form):
        """The edit page again, the error at the link field."""
        dossier, onderdelen = selectors.dossier_om_te_bewerken(slug=self.object.slug)
        context = {
            "form": DossierForm(instance=dossier),
            "dossier": dossier,
            "onderdelen": onderdelen,
            "onderdeel_form": form,
        }
        return render(self.request, "kennisbank/dossier_form.html", context, status=400)

    def rule_violated(self, error):
        self.form.add_error("link", str(error))
        return self.form_invalid(self.form)

    def perform(self, form):
        return services.add_to_dossier(
            dossier=self.object,
            item=form.cleaned_data["item"],
            toelichting=form.cleaned_data["toelichting"],
        )

    def success_message(self, onderdeel):
        return _("“%(titel)s” staat nu in het dossier.") % {"titel": onderdeel}


class DossierOnderdeelView(DossierActionView):
    def get_object(self):
        return get_object_or_404(
            DossierOnderdeel.objects.select_related("dossier"),
            pk=self.kwargs["pk"],
            dossier__slug=self.kwargs["slug"],
        )


class DossierMoveView(DossierOnderdeelView):
    form_class = VerplaatsForm

    def perform(self, form):
        return services.move_in_dossier(
            onderdeel=self.object, richting=form.cleaned_data["richting"]
        )

    def success_message(self, onderdeel):
        return _("De volgorde is aangepast.")


class DossierRemoveView(DossierOnderdeelView):
    def perform(self):
        return services.remove_from_dossier(onderdeel=self.object)

    def success_message(self, dossier):
        return _("Het onderdeel is uit het dossier gehaald.")


class ZoekView(TemplateView):
    """/zoeken/?q=…: every kind of result with its count and the best few, or one kind
    (`soort`) page by page. A short query that finds nothing is tried as a typo."""

    template_name = "kennisbank/zoeken.html"
    query_parameters = ("q", "soort", "page")
    per_soort = 5
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = search_term(self.request.GET.get("q"))
        words = zoeken.woorden(q)
        soort = self.request.GET.get("soort")
        bron = zoeken.BRONNEN.get(soort)
        context.update(q=q, bronnen=zoeken.BRONNEN.values(), gekozen=bron, typo=False)
        if not words:
            return context
        groepen = self._groepen(words, bron)
        if not any(groep["aantal"] for groep in groepen) and zoeken.typo_mogelijk(q):
            groepen = self._groepen(words, bron, typo_q=q)
            context["typo"] = True
        context.update(
            groepen=groepen,
            aantallen={groep["bron"].soort: groep["aantal"] for groep in groepen},
            totaal=sum(groep["aantal"] for groep in groepen),
        )
        return context

    def _groepen(self, words, gekozen, typo_q=None) -> list[dict]:
        groepen = []
        for bron in zoeken.BRONNEN.values():
            if gekozen is not None and bron is not gekozen:
                continue
            rows = zoeken.typo_matches(bron, typo_q) if typo_q else zoeken.matches(bron, words)
            if gekozen is not None:
                page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
                groepen.append(
                    {
                        "bron": bron,
                        "aantal": page.paginator.count,
                        "resultaten": zoeken.resultaten(bron, list(page), words),
                        "page_obj": page,
                    }
                )
                continue
            aantal = rows.count()
            shown = list(rows[: self.per_soort]) if aantal else []
            groepen.append(
                {
                    "bron": bron,
                    "aantal": aantal,
                    "resultaten": zoeken.resultaten(bron, shown, words),
                }
            )
        return groepen


class ProductFromVerslagView(ActionView):
    """The verslag's lessons as a concept kennisproduct, then on to its edit page."""

    def get_object(self):
        verslag = (
            Verslag.objects.select_related("bijeenkomst")
            .filter(bijeenkomst__slug=self.kwargs["slug"])
            .first()
        )
        if verslag is None:
            raise Http404(_("Deze bijeenkomst heeft geen verslag."))
        return verslag

    def has_permission(self, user, verslag):
        return can_write_verslag(user, verslag.bijeenkomst) and can_write_products(user)

    def default_url(self):
        return self.object.bijeenkomst.get_absolute_url()

    def perform(self):
        return services.product_from_verslag(verslag=self.object, door=self.request.user)

    def success_message(self, product):
        return _("Het kennisproduct staat klaar als concept; vul het aan en publiceer het.")

    def get_success_url(self, product):
        return reverse("kennisbank:bewerken", kwargs={"slug": product.slug})
