"""What colleagues do for each other: the contactpersoon registers a colleague, and a
confirmed place is handed on to a colleague (doorgeven); and the coördinator's page of
proposals that match free-text organisatie names to Organisatie rows."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView

from bijeenkomsten import selectors, services
from bijeenkomsten.forms import (
    CollegaAanmeldenForm,
    DoorgevenForm,
    GroepAanmeldenForm,
    chosen_sessions,
)
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Groep, OrganisatieVoorstel
from bijeenkomsten.permissions import can_manage_aanmeldingen
from netwerk import permissions as netwerk_permissions
from netwerk.models import Organisatie
from werkplaats.actions import ActionView, FormPageActionView
from werkplaats.exceptions import RuleViolation


class RegisterColleagueView(ActionView):
    form_class = CollegaAanmeldenForm

    def get_object(self):
        return get_object_or_404(Organisatie.objects.goedgekeurd(), slug=self.kwargs["slug"])

    def has_permission(self, user, organisatie):
        return netwerk_permissions.can_act_for_colleagues(user, organisatie)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisatie": self.object}

    def default_url(self):
        return reverse("netwerk:organisatie-leden", args=[self.object.slug])

    def perform(self, form):
        return services.register_colleague(
            bijeenkomst=form.cleaned_data["bijeenkomst"],
            organisatie=self.object,
            door=self.request.user,
            collega=form.cleaned_data["collega"],
        )

    def success_message(self, aanmelding):
        return _("%(naam)s is aangemeld voor %(titel)s: %(status)s.") % {
            "naam": aanmelding.naam,
            "titel": aanmelding.bijeenkomst.titel,
            "status": aanmelding.get_status_display(),
        }


class HandOnView(FormPageActionView):
    """Its own page: to whom the place goes, and what happens then."""

    form_class = DoorgevenForm
    template_name = "bijeenkomsten/doorgeven.html"

    def get_object(self):
        aanmelding = get_object_or_404(
            Aanmelding.objects.select_related("bijeenkomst", "persoon"), pk=self.kwargs["pk"]
        )
        # Someone else's registration does not exist for whoever may not hand it on.
        if not netwerk_permissions.can_hand_on(self.request.user, aanmelding):
            raise Http404
        return aanmelding

    def has_permission(self, user, aanmelding):
        return netwerk_permissions.can_hand_on(user, aanmelding)

    def get_page_context(self):
        return {"aanmelding": self.object, "bijeenkomst": self.object.bijeenkomst}

    def perform(self, form):
        return services.hand_on(
            aanmelding=self.object,
            door=self.request.user,
            email=form.cleaned_data["email"],
            naam=form.cleaned_data["naam"],
        )

    def success_message(self, ontvanger):
        return _("Je plek is doorgegeven aan %(naam)s, die een bevestiging krijgt.") % {
            "naam": ontvanger.naam
        }

    def get_success_url(self, ontvanger):
        if self.object.persoon_id == self.request.user.pk:
            return reverse("netwerk:mijn") + "#bijeenkomsten"
        organisatie = netwerk_permissions.organisatie_als_contactpersoon(self.request.user)
        return reverse("netwerk:organisatie-leden", args=[organisatie.slug])


class RegisterGroupView(FormPageActionView):
    """Register 2 to 10 colleagues together: its own page, with the group's choice for
    when not everyone fits explained on it (bijeenkomsten.services.groups)."""

    form_class = GroepAanmeldenForm
    template_name = "bijeenkomsten/groep_aanmelden.html"

    def get_object(self):
        return get_object_or_404(Bijeenkomst.objects.gepubliceerd(), slug=self.kwargs["slug"])

    def has_permission(self, user, bijeenkomst):
        return netwerk_permissions.can_register_group(user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bijeenkomst": self.object}

    def get_initial_form(self):
        form = super().get_initial_form()
        form.initial = {"naam_1": self.request.user.naam, "email_1": self.request.user.email}
        return form

    def get_page_context(self):
        return {"bijeenkomst": self.object}

    def perform(self, form):
        return services.register_group(
            bijeenkomst=self.object,
            door=self.request.user,
            leden=form.cleaned_data["leden"],
            keuze=form.cleaned_data["keuze"],
            sessies=chosen_sessions(form),
        )

    def success_message(self, groep):
        bevestigd = sum(a.status == Aanmelding.Status.BEVESTIGD for a in groep.leden)
        return _(
            "De groep is aangemeld voor %(titel)s: %(bevestigd)s van de %(aantal)s hebben een "
            "plek, %(wachtend)s staan op de wachtlijst. Iedereen krijgt een eigen mail."
        ) % {
            "titel": self.object.titel,
            "bevestigd": bevestigd,
            "aantal": len(groep.leden),
            "wachtend": len(groep.leden) - bevestigd,
        }

    def get_success_url(self, groep):
        return reverse("netwerk:mijn") + "#groepen"


class ClaimGroupView(ActionView):
    """Who registered a waiting "samen" group claims its offered places for all."""

    def get_object(self):
        groep = get_object_or_404(Groep, pk=self.kwargs["pk"])
        # Another's group does not exist for whoever did not register it.
        if not netwerk_permissions.can_claim_group(self.request.user, groep):
            raise Http404
        return groep

    def has_permission(self, user, groep):
        return netwerk_permissions.can_claim_group(user, groep)

    def default_url(self):
        return reverse("netwerk:mijn") + "#groepen"

    def perform(self):
        return services.claim_group(groep=self.object, door=self.request.user)

    def success_message(self, claimed):
        return _("De plekken van de groep zijn geclaimd: %(aantal)s bevestigd.") % {
            "aantal": len(claimed)
        }


class OrganisatieVoorstellenView(LoginRequiredMixin, ListView):
    """For coördinatoren: the spellings matching was not sure of, to accept or reject."""

    template_name = "bijeenkomsten/organisatie_voorstellen.html"
    context_object_name = "voorstellen"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_manage_aanmeldingen(request.user, None):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.organisatie_voorstellen()


class DecideVoorstelView(ActionView):
    def get_object(self):
        return get_object_or_404(OrganisatieVoorstel, pk=self.kwargs["pk"])

    def has_permission(self, user, voorstel):
        return can_manage_aanmeldingen(user, None)

    def default_url(self):
        return reverse("bijeenkomsten:organisatie-voorstellen")

    def perform(self):
        besluit = self.request.POST.get("besluit")
        if besluit not in ("accepteren", "afwijzen"):
            raise RuleViolation(_("Kies accepteren of afwijzen."))
        return services.decide_voorstel(
            voorstel=self.object, door=self.request.user, accepteren=besluit == "accepteren"
        )

    def success_message(self, voorstel):
        if voorstel.status == OrganisatieVoorstel.Status.GEACCEPTEERD:
            return _("„%(naam)s” is gekoppeld aan %(organisatie)s.") % {
                "naam": voorstel.aanmelding.organisatie,
                "organisatie": voorstel.organisatie.naam,
            }
        return _("Het voorstel is afgewezen.")


class MatchNowView(ActionView):
    """Run matching now instead of waiting for the periodic task."""

    def has_permission(self, user, obj):
        return can_manage_aanmeldingen(user, None)

    def default_url(self):
        return reverse("bijeenkomsten:organisatie-voorstellen")

    def perform(self):
        return services.match_organisaties()

    def success_message(self, result):
        return _(
            "%(bekeken)s aanmeldingen bekeken: %(gekoppeld)s gekoppeld, "
            "%(voorgesteld)s voorstellen."
        ) % {
            "bekeken": result.bekeken,
            "gekoppeld": result.gekoppeld,
            "voorgesteld": result.voorgesteld,
        }
