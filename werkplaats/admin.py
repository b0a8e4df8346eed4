from functools import wraps

from django.contrib import admin

from werkplaats import cache


class WerkplaatsAdminSite(admin.AdminSite):
    """The Django admin at /beheer/, where content is also edited past the services."""

    def admin_view(self, view, cacheable=False):
        protected = super().admin_view(view, cacheable)

        @wraps(protected)
        def inner(request, *args, **kwargs):
            response = protected(request, *args, **kwargs)
            # An admin change can touch anything a visitor sees: no cached page survives it.
            if request.method == "POST":
                cache.bump_everything()
            return response

        return inner
