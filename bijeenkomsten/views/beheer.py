"""The coördinator's pages: all bijeenkomsten, creating and editing one, and the dashboard
of one bijeenkomst with its registrations, its wachtlijst and its log."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView

from bijeenkomsten import selectors, services
from bijeenkomsten.forms import (
    AanvragenForm,
    AnnulerenNamensForm,
    BijeenkomstForm,
    CapaciteitForm,
    NamensForm,
    QuotumForm,
    RedenForm,
    chosen_sessions,
)
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from bijeenkomsten.permissions import (
    can_add_bijeenkomst,
    can_change_bijeenkomst,
    can_decide_requests,
    can_edit_programme,
    can_edit_questions,
    can_manage_aanmelding,
    can_manage_aanmeldingen,
    can_manage_all_aanmeldingen,
    can_open_beheer,
    can_register_above_capacity,
)
from werkplaats.actions import ActionView, FormPageActionView, safe_next_url
from werkplaats.search import search_term

DASHBOARD_PAGE_SIZE = 25
APPROVAL_STATUSES = (Aanmelding.Status.AANGEVRAAGD, Aanmelding.Status.AFGEWEZEN)
NAMENS_OPTIONAL_FIELDS = (
    "organisatie",
    "functie",
    "dieetwensen",
    "toegankelijkheid",
    "opmerkingen",
)


class BeheerListView(LoginRequiredMixin, ListView):
    """Every bijeenkomst, concepts included, with the way to each dashboard."""

    template_name = "bijeenkomsten/beheer_lijst.html"
    context_object_name = "bijeenkomsten"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_open_beheer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        # A team member who coordinates nothing else sees the bijeenkomsten of their teams.
        return selectors.bijeenkomsten_voor_beheer(
            None if can_manage_aanmeldingen(user, None) else user
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, mag_aanmaken=can_add_bijeenkomst(self.request.user)
        )


class BijeenkomstFormView(FormPageActionView):
    """Create (no slug) or edit a bijeenkomst."""

    form_class = BijeenkomstForm
    template_name = "bijeenkomsten/bijeenkomst_form.html"

    def get_object(self):
        if "slug" not in self.kwargs:
            return None
        return get_object_or_404(Bijeenkomst, slug=self.kwargs["slug"])

    def has_permission(self, user, bijeenkomst):
        if bijeenkomst is None:
            return can_add_bijeenkomst(user)
        return can_change_bijeenkomst(user, bijeenkomst)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_page_context(self):
        return {"bijeenkomst": self.object}

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in BijeenkomstForm.Meta.fields}
        if self.object is None:
            return services.create_bijeenkomst(door=self.request.user, **fields)
        return services.update_bijeenkomst(
            bijeenkomst=self.object, door=self.request.user, **fields
        )

    def success_message(self, bijeenkomst):
        if self.object is None:
            return _("De bijeenkomst is aangemaakt als concept. Bekijk en publiceer hem.")
        return _("De bijeenkomst is opgeslagen.")

    def get_success_url(self, bijeenkomst):
        return reverse("bijeenkomsten:aanmeldingen", kwargs={"slug": bijeenkomst.slug})


class DashboardView(LoginRequiredMixin, ListView):
    """For coördinatoren: the numbers, one status group at a time (searchable, paginated),
    what can be done, and what coördinatoren did. The query count does not grow with the
    number of registrations."""

    template_name = "bijeenkomsten/aanmeldingen.html"
    context_object_name = "aanmeldingen"
    paginate_by = DASHBOARD_PAGE_SIZE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.bijeenkomst = selectors.bijeenkomst_met_bezetting(slug=kwargs["slug"])
        if self.bijeenkomst is None:
            raise Http404
        if not can_manage_aanmeldingen(request.user, self.bijeenkomst):
            raise PermissionDenied
        status = request.GET.get("status", Aanmelding.Status.BEVESTIGD)
        self.status = status if status in Aanmelding.Status.values else Aanmelding.Status.BEVESTIGD
        self.zoek = search_term(request.GET.get("zoek"))
        self.vragen = services.registration_questions(self.bijeenkomst)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.zichtbare_aanmeldingen(
            selectors.aanmeldingen_voor_dashboard(
                bijeenkomst=self.bijeenkomst,
                status=self.status,
                zoek=self.zoek,
                met_antwoorden=bool(self.vragen),
            ),
            persoon=self.request.user,
            bijeenkomst=self.bijeenkomst,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bijeenkomst, user = self.bijeenkomst, self.request.user
        telling = selectors.telling(bijeenkomst=bijeenkomst)
        context.update(
            bijeenkomst=bijeenkomst,
            telling=telling,
            tabs=[
                (value, label, telling[value])
                for value, label in Aanmelding.Status.choices
                # The statuses of approval only where it is on or was used.
                if value not in APPROVAL_STATUSES or bijeenkomst.met_goedkeuring or telling[value]
            ],
            status=self.status,
            status_label=Aanmelding.Status(self.status).label,
            zoek=self.zoek,
            capaciteit_form=CapaciteitForm(initial={"capaciteit": bijeenkomst.capaciteit}),
            quota=bijeenkomst.quota_met_gebruik,
            quotum_form=QuotumForm(bijeenkomst=bijeenkomst, auto_id="quotum_%s"),
            mag_wijzigen=can_change_bijeenkomst(user, bijeenkomst),
            # A co-organisator sees their own people only: not the log, which names others.
            mag_alles=can_manage_all_aanmeldingen(user, bijeenkomst),
            handelingen=(
                selectors.handelingen(bijeenkomst=bijeenkomst)
                if can_manage_all_aanmeldingen(user, bijeenkomst)
                else []
            ),
            reden_form=RedenForm(),
            vragen=self.vragen,
            mag_vragen=can_edit_questions(user, bijeenkomst),
            mag_programma=can_edit_programme(user, bijeenkomst),
            mag_besluiten=can_decide_requests(user, bijeenkomst),
        )
        return context


class ManageActionView(ActionView):
    """A coördinator's action on one bijeenkomst; back to its dashboard."""

    def get_object(self):
        return get_object_or_404(Bijeenkomst, slug=self.kwargs["slug"])

    def has_permission(self, user, bijeenkomst):
        return can_manage_aanmeldingen(user, bijeenkomst)

    def default_url(self):
        return reverse("bijeenkomsten:aanmeldingen", kwargs={"slug": self.object.slug})

    def aanmelding(self) -> Aanmelding:
        return get_object_or_404(self.object.aanmeldingen, pk=self.kwargs["pk"])


class ChangeCapacityView(ManageActionView):
    form_class = CapaciteitForm

    def has_permission(self, user, bijeenkomst):
        return can_change_bijeenkomst(user, bijeenkomst)

    def perform(self, form):
        return services.change_capacity(
            bijeenkomst=self.object,
            capaciteit=form.cleaned_data["capaciteit"],
            door=self.request.user,
        )

    def success_message(self, result):
        return _("De capaciteit is aangepast.")


class SaveQuotumView(ManageActionView):
    """Hold places for a network until a date, or change what a quotum holds (issue 21,
    point 6); the errors come back as a message on the dashboard, as the capacity's do."""

    form_class = QuotumForm

    def has_permission(self, user, bijeenkomst):
        return can_change_bijeenkomst(user, bijeenkomst)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bijeenkomst": self.object}

    def perform(self, form):
        return services.save_quotum(
            bijeenkomst=self.object, door=self.request.user, **form.cleaned_data
        )

    def success_message(self, quotum):
        return _("%(houder)s: %(aantal)s plaatsen vastgehouden.") % {
            "houder": quotum.houder,
            "aantal": quotum.aantal,
        }


class PublishView(ManageActionView):
    def has_permission(self, user, bijeenkomst):
        return can_change_bijeenkomst(user, bijeenkomst)

    def perform(self):
        return services.publish_bijeenkomst(bijeenkomst=self.object, door=self.request.user)

    def success_message(self, bijeenkomst):
        return _("De bijeenkomst is gepubliceerd.")


class CancelBijeenkomstView(ManageActionView):
    form_class = RedenForm

    def has_permission(self, user, bijeenkomst):
        return can_change_bijeenkomst(user, bijeenkomst)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "required": False}

    def perform(self, form):
        return services.cancel_bijeenkomst(
            bijeenkomst=self.object, door=self.request.user, reden=form.cleaned_data["reden"]
        )

    def success_message(self, bijeenkomst):
        return _("De bijeenkomst is geannuleerd; iedereen met een aanmelding krijgt bericht.")


class RegisterOnBehalfView(FormPageActionView, ManageActionView):
    """Register someone on their behalf, or above capacity with a reason."""

    form_class = NamensForm
    template_name = "bijeenkomsten/aanmelden_namens.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "bijeenkomst": self.object,
            "vragen": services.registration_questions(self.object),
        }

    def get_page_context(self):
        return {"bijeenkomst": self.object}

    def perform(self, form):
        data = form.cleaned_data
        if data["boven_capaciteit_reden"].strip() and not can_register_above_capacity(
            self.request.user, self.object
        ):
            raise services.RegistrationError(
                _("Boven de capaciteit aanmelden kan alleen de organisator of een coördinator.")
            )
        return services.register_on_behalf(
            bijeenkomst=self.object,
            door=self.request.user,
            email=data["email"],
            naam=data["naam"],
            boven_capaciteit_reden=data["boven_capaciteit_reden"],
            antwoorden=form.antwoorden(),
            sessies=chosen_sessions(form),
            **{
                name: data[name]
                for name in (
                    "organisatie",
                    "functie",
                    "dieetwensen",
                    "toegankelijkheid",
                    "opmerkingen",
                )
            },
        )

    def success_message(self, aanmelding):
        return _("%(naam)s is aangemeld: %(status)s.") % {
            "naam": aanmelding.naam,
            "status": aanmelding.get_status_display(),
        }


class CancelOnBehalfView(FormPageActionView, ManageActionView):
    """Cancel someone's registration, or take them off the wachtlijst; they get a mail.

    Two steps, without JavaScript: the button in the list (a POST without `bevestigd`) or
    a GET shows "Weet je zeker…" with who, what happens and an optional reason; only the
    confirmation page's button (with `bevestigd`) calls the service.
    """

    form_class = AnnulerenNamensForm
    template_name = "bijeenkomsten/aanmelding_annuleren_namens.html"

    def has_permission(self, user, bijeenkomst):
        # Only the registrations this persoon manages (a co-organisator: their own people).
        return can_manage_aanmeldingen(user, bijeenkomst) and can_manage_aanmelding(
            user, self.aanmelding()
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("bevestigd"):
            return super().post(request, *args, **kwargs)
        self.check_permission()
        form = AnnulerenNamensForm(initial={"reden": request.POST.get("reden", "")[:500]})
        return self.render_form(form)

    def aanmelding(self) -> Aanmelding:
        # Read once per request: the page asks for it more than once; the service reads it
        # again under the lock.
        if not hasattr(self, "_aanmelding"):
            self._aanmelding = super().aanmelding()
        return self._aanmelding

    def render_form(self, form, status=200, **extra):
        aanmelding = self.aanmelding()
        if not aanmelding.is_open and status == 200:
            messages.error(self.request, _("Deze aanmelding is al beëindigd."))
            return HttpResponseRedirect(self.back_url())
        return super().render_form(form, status=status, **extra)

    def get_page_context(self):
        aanmelding = self.aanmelding()
        bijeenkomst = self.object
        houdt_plaats = (
            aanmelding.status in Aanmelding.TAKEN_STATUSES and not aanmelding.boven_capaciteit
        )
        return {
            "bijeenkomst": bijeenkomst,
            "aanmelding": aanmelding,
            "plaats_naar_wachtlijst": houdt_plaats
            and bijeenkomst.biedt_plaatsen_aan()
            and bijeenkomst.aanmeldingen.wachtend().exists(),
            "houdt_plaats": houdt_plaats,
            "next": safe_next_url(self.request, self.request.POST.get("next"))
            or safe_next_url(self.request, self.request.GET.get("next"))
            or self.default_url(),
        }

    def perform(self, form):
        return services.cancel(
            aanmelding=self.aanmelding(),
            door=self.request.user,
            reden=form.cleaned_data["reden"],
        )

    def success_message(self, aanmelding):
        return _("De aanmelding van %(naam)s is geannuleerd.") % {"naam": aanmelding.naam}


class OfferNextPlaceView(ManageActionView):
    def has_permission(self, user, bijeenkomst):
        return can_manage_all_aanmeldingen(user, bijeenkomst)

    def perform(self):
        return services.offer_next_place(bijeenkomst=self.object, door=self.request.user)

    def success_message(self, aanmelding):
        return _("%(naam)s heeft nu: %(status)s.") % {
            "naam": aanmelding.naam,
            "status": aanmelding.get_status_display(),
        }


class MoveOnWaitlistView(ManageActionView):
    form_class = RedenForm

    def has_permission(self, user, bijeenkomst):
        return can_manage_all_aanmeldingen(user, bijeenkomst)

    omhoog = True

    def form_invalid(self, form):
        messages.error(self.request, _("Geef een reden om iemand te verschuiven."))
        return HttpResponseRedirect(self.back_url())

    def perform(self, form):
        return services.move_on_waitlist(
            aanmelding=self.aanmelding(),
            door=self.request.user,
            omhoog=self.omhoog,
            reden=form.cleaned_data["reden"],
        )

    def success_message(self, aanmelding):
        return _("%(naam)s is verschoven.") % {"naam": aanmelding.naam}


class DecideRequestsView(ManageActionView):
    """Approve or decline the requests ticked in the dashboard's list of aanvragen."""

    form_class = AanvragenForm

    def has_permission(self, user, bijeenkomst):
        return can_decide_requests(user, bijeenkomst)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bijeenkomst": self.object}

    def perform(self, form):
        data = form.cleaned_data
        pks = [aanmelding.pk for aanmelding in data["aanvragen"]]
        self.besluit = data["besluit"]
        if self.besluit == AanvragenForm.GOEDKEUREN:
            return services.approve(
                bijeenkomst=self.object, aanmeldingen=pks, door=self.request.user
            )
        return services.decline_requests(
            bijeenkomst=self.object, aanmeldingen=pks, door=self.request.user, reden=data["reden"]
        )

    def success_message(self, aanmeldingen):
        if self.besluit == AanvragenForm.AFWIJZEN:
            return _("%(aantal)s aanvraag/aanvragen afgewezen; zij krijgen een mail.") % {
                "aantal": len(aanmeldingen)
            }
        bevestigd = sum(1 for a in aanmeldingen if a.status == Aanmelding.Status.BEVESTIGD)
        message = _(
            "%(aantal)s goedgekeurd: %(bevestigd)s met een plek, %(wachtlijst)s op de wachtlijst."
        ) % {
            "aantal": len(aanmeldingen),
            "bevestigd": bevestigd,
            "wachtlijst": len(aanmeldingen) - bevestigd,
        }
        left = len(self.form.cleaned_data["aanvragen"]) - len(aanmeldingen)
        if left:
            message += " " + _(
                "%(aantal)s wachten nog: de bijeenkomst is vol en heeft geen wachtlijst."
            ) % {"aantal": left}
        return message
