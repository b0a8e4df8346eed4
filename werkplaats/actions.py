"""The one POST action view every state-changing button of the portal goes through.

An action view answers POST only. Anonymous callers are sent to the log-in page (and come
back to the page they were on), a caller without the right gets a 403 and nothing changes,
the view calls one service, a `RuleViolation` becomes a message on the page, and the
browser is redirected back. Views decide no rules themselves: they ask the app's
`permissions.py` who may act and leave what may happen to the service.
"""

import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from werkplaats.exceptions import RuleViolation

logger = logging.getLogger(__name__)


def safe_next_url(request, candidate: str | None) -> str | None:
    """`candidate` when it points at this site, else None (no open redirects)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def redirect_back(request, default: str) -> HttpResponseRedirect:
    """Redirect to the form's `next` field when it points at this site, else to `default`."""
    return HttpResponseRedirect(safe_next_url(request, request.POST.get("next")) or default)


class ActionView(View):
    """POST → login → permission → one service call → message → redirect back.

    Subclasses set `get_object()`, `has_permission()` and `perform()`, and optionally
    `form_class` (its errors are shown as a message), `success_message()` and
    `get_success_url()`, or `succeeded()` for an answer that is not a redirect. Set
    `login_required = False` for actions that a personal link authorises (the link's token is
    then the permission).
    """

    http_method_names = ["post"]
    login_required = True
    form_class = None

    def dispatch(self, request, *args, **kwargs):
        if self.login_required and not request.user.is_authenticated:
            if request.method == "POST":
                return redirect_to_login(self.login_next_url())
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def check_permission(self):
        """Find the object and make sure the caller may act on it; also for the GET of an
        action view that shows its own form page first."""
        self.object = self.get_object()
        if not self.has_permission(self.request.user, self.object):
            raise PermissionDenied

    def post(self, request, *args, **kwargs):
        self.check_permission()
        self.form = None
        if self.form_class is not None:
            self.form = self.get_form()
            if not self.form.is_valid():
                return self.form_invalid(self.form)
        try:
            result = self.perform(self.form) if self.form is not None else self.perform()
        except RuleViolation as error:
            return self.rule_violated(error)
        return self.succeeded(result)

    # What a subclass fills in.

    def get_object(self):
        return None

    def has_permission(self, user, obj) -> bool:
        raise NotImplementedError("An action view must say who may perform it.")

    def perform(self, form=None):
        raise NotImplementedError("An action view calls one service in perform().")

    def success_message(self, result) -> str | None:
        return None

    def succeeded(self, result):
        """The answer once the service succeeded: its message and a redirect back.

        The service has committed. A message that asks the database (a place on the waiting
        list) and finds it gone must not turn a change that stands into an error page, or
        the person tries again or thinks it failed (fault suite, scenario 4: PostgreSQL
        restarted during a rush): then the redirect goes without the message."""
        try:
            message = self.success_message(result)
        except (OperationalError, InterfaceError):
            logger.warning("The database went away after %s committed", type(self).__name__)
            message = None
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url(result))

    # Defaults that fit most actions.

    def default_url(self) -> str:
        """Where to go back to when the form names no `next` page."""
        url = getattr(self.object, "get_absolute_url", None)
        return url() if url else reverse("home")

    def back_url(self) -> str:
        return safe_next_url(self.request, self.request.POST.get("next")) or self.default_url()

    def get_success_url(self, result) -> str:
        return self.back_url()

    def login_next_url(self) -> str:
        """After logging in, back to the page the button was on (the action is not redone)."""
        request = self.request
        return (
            safe_next_url(request, request.POST.get("next"))
            or safe_next_url(request, request.headers.get("referer"))
            or reverse("home")
        )

    def get_form_kwargs(self) -> dict:
        return {"data": self.request.POST, "files": self.request.FILES}

    def get_form(self):
        return self.form_class(**self.get_form_kwargs())

    def form_invalid(self, form):
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        messages.error(self.request, " ".join(errors) or _("Controleer wat je hebt ingevuld."))
        return HttpResponseRedirect(self.back_url())

    def rule_violated(self, error: RuleViolation):
        messages.error(self.request, str(error))
        return HttpResponseRedirect(self.back_url())


class FormPageActionView(ActionView):
    """An action that has a page of its own: GET shows the form, an invalid form or a rule
    violation shows it again (status 400) with the errors linked to their fields."""

    http_method_names = ["get", "post"]
    template_name = None

    def get(self, request, *args, **kwargs):
        self.check_permission()
        return self.render_form(self.get_initial_form())

    def get_initial_form(self):
        return self.form_class(**{**self.get_form_kwargs(), "data": None, "files": None})

    def get_page_context(self) -> dict:
        return {}

    def render_form(self, form, status=200, **extra):
        context = {"form": form, **self.get_page_context(), **extra}
        return render(self.request, self.template_name, context, status=status)

    def form_invalid(self, form):
        return self.render_form(form, status=400)

    def rule_violated(self, error: RuleViolation):
        self.form.add_error(None, str(error))
        return self.render_form(self.form, status=400)


class PreviewFormPageActionView(FormPageActionView):
    """A form page with a "Voorbeeld" button (`name="actie" value="voorbeeld"`): it shows
    the rendered text next to the form and saves nothing; any other button saves."""

    PREVIEW = "voorbeeld"

    def preview(self, form) -> dict:
        """What the page shows as the preview (rendered Markdown), as template context."""
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        if request.POST.get("actie") != self.PREVIEW:
            return super().post(request, *args, **kwargs)
        self.check_permission()
        form = self.form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        try:
            return self.render_form(form, **self.preview(form))
        except RuleViolation as error:
            return self.rule_violated(error)
