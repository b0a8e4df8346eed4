"""The team of a bijeenkomst (issue 21, point 5): the list with a form to add someone or
change their role, and removing someone. Who may is `permissions.can_manage_team`."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from bijeenkomsten import selectors, services
from bijeenkomsten.forms import TeamlidForm
from bijeenkomsten.models import Bijeenkomst, Teamlid
from bijeenkomsten.permissions import can_manage_team
from werkplaats.actions import ActionView, FormPageActionView


class _TeamMixin:
    def get_object(self):
        return get_object_or_404(Bijeenkomst, slug=self.kwargs["slug"])

    def has_permission(self, user, bijeenkomst):
        return can_manage_team(user, bijeenkomst)

    def default_url(self):
        return reverse("bijeenkomsten:team", kwargs={"slug": self.object.slug})


class TeamView(_TeamMixin, FormPageActionView):
    """Who is in the team, in which role, and a form to add someone or change a role."""

    form_class = TeamlidForm
    template_name = "bijeenkomsten/team.html"

    def get_page_context(self):
        return {
            "bijeenkomst": self.object,
            "team": selectors.team_van(bijeenkomst=self.object),
            "rollen": Teamlid.Rol,
        }

    def perform(self, form):
        return services.save_teamlid(
            bijeenkomst=self.object, door=self.request.user, **form.cleaned_data
        )

    def success_message(self, teamlid):
        return _("%(naam)s staat in het team als %(rol)s.") % {
            "naam": teamlid.persoon.naam,
            "rol": teamlid.get_rol_display(),
        }

    def get_success_url(self, teamlid):
        return self.default_url()


class RemoveTeamlidView(_TeamMixin, ActionView):
    def perform(self):
        teamlid = get_object_or_404(
            Teamlid.objects.select_related("persoon", "bijeenkomst"),
            bijeenkomst=self.object,
            pk=self.kwargs["pk"],
        )
        return services.remove_teamlid(teamlid=teamlid, door=self.request.user)

    def success_message(self, teamlid):
        return _("%(naam)s staat niet meer in het team.") % {"naam": teamlid.persoon.naam}
