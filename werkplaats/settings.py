"""Settings of the portal: one module, configured by environment variables.

With nothing set it runs on the embedded default (SQLite, Celery tasks run eagerly, mail
written to files). Production differs only in the values of the variables documented in
README.md.
"""

import os
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env(name)
    try:
        return int(value) if value else default
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """postgres://user:password@host:port/name?options or sqlite:///path, by dj-database-url
    (which also decodes a percent-encoded Unix-socket host)."""
    config = dj_database_url.parse(
        url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # A SQLite file is opened per request; keeping it open buys nothing.
        config["CONN_MAX_AGE"] = 0
    return config


# Off unless asked for: `make run` and the test script turn it on for development.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the portal refuses to start without it."
        )
    # Deliberate (bandit B105): used only with DEBUG on; without DEBUG the portal refuses
    # to start without SECRET_KEY (above), so this is never a production key.
    SECRET_KEY = "insecure-development-key-only-used-while-debug-is-on"  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# `make run` serves on PORT; links in mails point there unless SITE_URL says otherwise.
SITE_URL = env("SITE_URL", f"http://127.0.0.1:{env('PORT', '8000')}").rstrip("/")

INSTALLED_APPS = [
    # Django (the admin with the portal's own site: log-in through allauth, second factor)
    "werkplaats.apps.WerkplaatsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "csp",
    # Local
    "werkplaats",
    "netwerk",
    "leerateliers",
    "themas",
    "bijeenkomsten",
    "kennisbank",
    "nieuwsbrief",
    "privacy",
    "bereik",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "werkplaats.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "werkplaats.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "werkplaats.middleware.RequestBodyLimitMiddleware",
    "werkplaats.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "werkplaats.middleware.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "werkplaats.middleware.BusyMiddleware",
    "werkplaats.middleware.TooManyRequestsMiddleware",
]

ROOT_URLCONF = "werkplaats.urls"
WSGI_APPLICATION = "werkplaats.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "werkplaats.navigation.context",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env("DATABASE_URL", f"sqlite:///{BASE_DIR}/db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis away is a cache miss, not an error (werkplaats/redis_cache.py).
            "BACKEND": "werkplaats.redis_cache.TolerantRedisCache",
            # Its own capped LRU Redis in production (README): pages may be evicted, queues not.
            "LOCATION": env("CACHE_REDIS_URL") or REDIS_URL,
            # An unreachable Redis costs a request at most this long, not a hanging worker.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Pages for anonymous visitors from the cache (werkplaats.cache). Only with a cache that all
# processes share: a version bumped in one process must be seen by every other.
VISITOR_CACHE = env_bool("VISITOR_CACHE", bool(REDIS_URL))

AUTH_USER_MODEL = "netwerk.Persoon"
# One backend: allauth's hashes a dummy password for an unknown address, so a log-in takes
# as long for an unknown address as for a known one. (Django's ModelBackend before it
# hashed twice for a known address and once for an unknown one.) It is a ModelBackend, so
# permissions work as usual; werkplaats.backends reads them with fewer queries.
AUTHENTICATION_BACKENDS = ["werkplaats.backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 2.1.1: at least 12 characters.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A logged-in session is ended after this long without a request (werkplaats.middleware,
# ASVS 3.3.2). The session cookie itself lasts SESSION_COOKIE_AGE (Django's two weeks) at
# most, or until the browser closes when "Onthoud mij" was not ticked.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 120) * 60
# The largest request body the portal reads (werkplaats.middleware; a 413 page otherwise):
# visitors' forms are a few fields, logged-in people upload an image or an import file.
REQUEST_MAX_BYTES_ANONYMOUS = env_int("REQUEST_MAX_MB_ANONYMOUS", 1) * 1024 * 1024
# A logged-in body holds at most a kennisproduct's file (KENNISBANK_MAX_BESTAND) and its form.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_MB", 20) * 1024 * 1024
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: the e-mail address is the login and must be verified.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "netwerk.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Nobody learns whether an address has an account: password reset answers the same for
# every address, and a sign-up with a known address looks like any other sign-up while its
# owner gets a mail ("je hebt al een account") instead. An unknown address asking for a
# reset is not mailed: the portal mails no strangers on request.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "netwerk.adapters.AccountAdapter"
# Sign-up and password reset do the same work for a known address as for an unknown one,
# so their timing tells nothing either (netwerk.account_forms).
ACCOUNT_FORMS = {
    "signup": "netwerk.account_forms.SignupForm",
    "reset_password": "netwerk.account_forms.ResetPasswordForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Werkplaats] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Werkplaats Sociaal Domein"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Files of the kennisbank: outside MEDIA_ROOT, served only through the product's download
# view (a concept's file has no public URL).
KENNISBANK_ROOT = Path(env("KENNISBANK_ROOT", str(BASE_DIR / "bestanden")))
# The largest file a kennisproduct may have, in bytes.
KENNISBANK_MAX_BESTAND = int(env("KENNISBANK_MAX_BESTAND", str(15 * 1024 * 1024)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "kennisbank": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": KENNISBANK_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Mail: SMTP when EMAIL_HOST is set; otherwise every mail is written to a folder.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Werkplaats Sociaal Domein <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    # Django's SMTP backend that knows when a server had the whole message (netwerk.smtp).
    EMAIL_BACKEND = "netwerk.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail")))

# The outbox (netwerk.outbox): how temporary delivery failures are retried.
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 8)
MAIL_RETRY_BASE_SECONDS = env_int("MAIL_RETRY_BASE_SECONDS", 60)
MAIL_STUCK_AFTER = timedelta(minutes=env_int("MAIL_STUCK_AFTER_MINUTES", 10))
# An import still waiting this long after it was queued, and not running, is run again.
IMPORT_STUCK_AFTER = timedelta(minutes=env_int("IMPORT_STUCK_AFTER_MINUTES", 10))
MAIL_SENDING_TIMEOUT = timedelta(minutes=env_int("MAIL_SENDING_TIMEOUT_MINUTES", 15))

# The nieuwsbrief (nieuwsbrief.delivery): how fast an edition goes out, how many mails one
# Celery task sends, over how many SMTP connections at once, and how long a sender's claim
# on an edition holds without a sign of life (then the periodic task lets another worker
# resume it).
NIEUWSBRIEF_MAILS_PER_SECOND = env_int("NIEUWSBRIEF_MAILS_PER_SECOND", 50)
NIEUWSBRIEF_BATCH_SIZE = env_int("NIEUWSBRIEF_BATCH_SIZE", 500)
NIEUWSBRIEF_CONNECTIONS = env_int("NIEUWSBRIEF_CONNECTIONS", 4)
NIEUWSBRIEF_CLAIM_SECONDS = env_int("NIEUWSBRIEF_CLAIM_SECONDS", 60)
# The mailto: half of List-Unsubscribe; someone reads this mailbox.
NIEUWSBRIEF_UNSUBSCRIBE_MAILTO = env(
    "NIEUWSBRIEF_UNSUBSCRIBE_MAILTO",
    "afmelden@" + parseaddr(DEFAULT_FROM_EMAIL)[1].rpartition("@")[2],
)

# Retention (privacy): how long the portal keeps personal data, read by the periodic
# retention task and by the privacy statement (/privacy/), so the two cannot drift apart.
# Registrations of bijeenkomsten this long over are anonymised (counts and attendance stay);
# sent mails in the outbox lose their content after this many days.
RETENTION_AANMELDINGEN_MONTHS = env_int("RETENTION_AANMELDINGEN_MONTHS", 12)
RETENTION_OUTBOX_DAYS = env_int("RETENTION_OUTBOX_DAYS", 90)
# The key of the keyed hash that turns an address into the anonymous one a registration gets
# when it is anonymised (netwerk.models.pseudonymous_address): one person's rows keep one
# address, so the reach report counts them once, whichever run anonymised which row. Keep it
# fixed: a new key counts a person anonymised before and after the change twice. Empty: one
# derived from SECRET_KEY (so set this one when SECRET_KEY is ever rotated).
ANONYMISATION_KEY = env("ANONYMISATION_KEY")
# The evaluation after a bijeenkomst stays open this many days after its end.
EVALUATIE_OPEN_DAYS = env_int("EVALUATIE_OPEN_DAYS", 30)
# Where people send questions, objections and requests about their data (the privacy
# statement names it); someone reads this mailbox.
PRIVACY_CONTACT_EMAIL = env(
    "PRIVACY_CONTACT_EMAIL", "privacy@" + parseaddr(DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
)

# Limits per client for the anonymous forms that send mail (werkplaats.ratelimit), as
# [(requests, seconds), …] per form; a client over one gets a 429 page and nothing is mailed.
# Generous enough for colleagues behind one office address, too low to mail in bulk.
RATE_LIMITS = {
    "gast-aanmelding": [
        (env_int("RATE_LIMIT_GAST_AANMELDING_PER_HOUR", 30), 3600),
        (env_int("RATE_LIMIT_GAST_AANMELDING_PER_DAY", 100), 24 * 3600),
    ],
    "nieuwsbrief-aanmelding": [
        (env_int("RATE_LIMIT_NIEUWSBRIEF_AANMELDING_PER_HOUR", 30), 3600),
        (env_int("RATE_LIMIT_NIEUWSBRIEF_AANMELDING_PER_DAY", 100), 24 * 3600),
    ],
    # A coördinator's test mail of an edition, to up to five addresses each.
    "nieuwsbrief-testmail": [(env_int("RATE_LIMIT_NIEUWSBRIEF_TESTMAIL_PER_HOUR", 20), 3600)],
}
# Behind a proxy: the header it sets to the client's address (e.g. "X-Real-IP"). Only this
# header is believed; without it the client is REMOTE_ADDR. The limits of allauth (log-in,
# sign-up, password reset) and of werkplaats.ratelimit both count the client that
# werkplaats.ratelimit.client_address() finds in it (allauth through the account adapter).
TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER") or None

# Row locks (werkplaats.locking): how long a request waits for a lock before it gives up
# with a "try again" page.
LOCK_TIMEOUT_SECONDS = env_int("LOCK_TIMEOUT_SECONDS", 3)

# Celery: Redis as broker, JSON only. Without REDIS_URL tasks run in the calling process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-mail": {
        "task": "netwerk.tasks.requeue_stuck_mail",
        "schedule": crontab(minute="*/5"),
    },
    "nieuwsbrief-send-editions": {
        "task": "nieuwsbrief.tasks.send_editions",
        "schedule": crontab(minute="*"),
    },
    "publish-due-updates": {
        "task": "themas.tasks.publish_due_updates",
        "schedule": crontab(minute="*"),
    },
    "themas-delete-stale-preview-images": {
        "task": "themas.tasks.delete_stale_preview_images",
        "schedule": crontab(minute=41),
    },
    "send-weekly-digests": {
        "task": "themas.tasks.send_weekly_digests",
        "schedule": crontab(minute=0, hour=8, day_of_week="monday"),
    },
    "bijeenkomsten-expire-offers": {
        "task": "bijeenkomsten.tasks.expire_offers",
        "schedule": crontab(minute="*/2"),
    },
    "bijeenkomsten-expire-session-offers": {
        "task": "bijeenkomsten.tasks.expire_session_offers",
        "schedule": crontab(minute="*/2"),
    },
    "bijeenkomsten-remind-offers": {
        "task": "bijeenkomsten.tasks.remind_offers",
        "schedule": crontab(minute="*/10"),
    },
    "bijeenkomsten-release-reserved-places": {
        "task": "bijeenkomsten.tasks.release_reserved_places",
        "schedule": crontab(minute="*/5"),
    },
    "bijeenkomsten-remind-attendees-day-before": {
        "task": "bijeenkomsten.tasks.remind_attendees_day_before",
        "schedule": crontab(minute=7),
    },
    "bijeenkomsten-match-organisaties": {
        "task": "bijeenkomsten.tasks.match_organisaties",
        "schedule": crontab(minute="*/15"),
    },
    "bijeenkomsten-delete-expired-guest-registrations": {
        "task": "bijeenkomsten.tasks.delete_expired_guest_registrations",
        "schedule": crontab(minute=23),
    },
    "bijeenkomsten-resume-stuck-imports": {
        "task": "bijeenkomsten.tasks.resume_stuck_imports",
        "schedule": crontab(minute="*/5"),
    },
    "bijeenkomsten-send-evaluations": {
        "task": "bijeenkomsten.tasks.send_evaluations",
        "schedule": crontab(minute="*/15"),
    },
    "privacy-apply-retention": {
        "task": "privacy.tasks.apply_retention",
        "schedule": crontab(minute=23, hour=3),
    },
}

# Security: secure by default whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp): scripts, styles, fonts and frames from the portal
# itself only, no inline script or style anywhere (the templates keep them in static/).
# Images may also be data: URIs: allauth shows the TOTP QR code as one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (werkplaats.middleware): the portal uses none of these browser features.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}
# /healthz is probed over plain HTTP by load balancers inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django": {"level": env("DJANGO_LOG_LEVEL", "WARNING")}},
}
