from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in
from django.db.backends.signals import connection_created


class WerkplaatsConfig(AppConfig):
    name = "werkplaats"
    verbose_name = "Werkplaats"

    def ready(self):
        connection_created.connect(
            _on_new_connection, dispatch_uid="werkplaats.apps.on_new_connection"
        )
        user_logged_in.connect(_on_log_in, dispatch_uid="werkplaats.apps.on_log_in")
        from django.db.models import IntegerField

        from werkplaats.db_functions import IntegerFieldIn

        IntegerField.register_lookup(IntegerFieldIn)


def _on_log_in(sender, request, user, **kwargs):
    # The idle timeout counts from the log-in (werkplaats.middleware.IdleSessionMiddleware).
    from werkplaats.middleware import IdleSessionMiddleware

    IdleSessionMiddleware.seen(request)


def _on_new_connection(sender, connection, **kwargs):
    _track_tables(connection)
    if connection.vendor == "sqlite":
        from werkplaats.db_functions import register_sqlite_functions

        register_sqlite_functions(connection)


def _track_tables(connection):
    # Every connection, in every process (web, worker, commands): werkplaats.cache must hear
    # of every write, whatever makes it.
    from werkplaats.cache import track_tables

    if track_tables not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_tables)


class WerkplaatsAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's admin site (werkplaats.admin_site)."""

    default = False  # not the config of the werkplaats app itself
    default_site = "werkplaats.admin_site.WerkplaatsAdminSite"
