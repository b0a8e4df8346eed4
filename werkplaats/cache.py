"""Pages cached in Redis until the data behind them changes.

Each kind of data has a version: `version("leerateliers")`. The services that change it call
`bump("leerateliers")` inside their transaction; the version changes when, and only when,
that transaction commits. A page cached with `cached_for_visitors("leerateliers", …)` is
stored with the versions it was made from and is served only while they are all still
current, so a change shows the moment it commits: no timeout decides what is fresh (the
entries expire after PAGE_TIMEOUT only to bound the memory they take).

What changes by the clock alone (a bijeenkomst that has ended, a registration window that
closes) has a clock: `register_clock(name, boundaries)`. The version then also holds the
last moment at which such a change happened, so a page made before that moment is not served
after it.

Only anonymous requests without pending messages are cached this way, and the CSRF token of
the forms on a page is never stored: it is filled in for each visitor. A logged-in visitor
never gets a visitors' page, and never fills one.

Parts of a page that are the same for everyone are cached the same way for every visitor,
logged in or not: `{% versioned_cache %}` (werkplaats/templatetags/versioned_cache.py).

A logged-in person's own pages are kept for them alone, with the versions of the database
tables they were read from, which every write bumps: `cached_for_person`, at the end of this
module.
"""

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import cache as once
from functools import wraps
from pathlib import Path
from urllib.parse import urlencode

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connections, transaction
from django.http import HttpResponse
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _unmask_cipher_token, get_token
from django.utils.cache import get_conditional_response
from django.utils.crypto import constant_time_compare
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# The kinds of data pages show. `aanmeldingen` is the occupancy of bijeenkomsten ("nog 3
# plaatsen vrij"), apart from `bijeenkomsten` themselves, so that a registration rush leaves
# the agenda (which shows no occupancy) in the cache. `nieuwsbrief` is its archive: the
# editions whose sending started.
NAMES = (
    "netwerk",
    "leerateliers",
    "themas",
    "bijeenkomsten",
    "aanmeldingen",
    "kennisbank",
    "nieuwsbrief",
)

PAGE_TIMEOUT = 60 * 60
VERSION_KEY = "versie:{}"
CLOCK_KEY = "versie-klok:{}"
PAGE_KEY = "pagina:{}"
FRAGMENT_KEY = "fragment:{}"

CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
TOKEN_SHAPED = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % CSRF_TOKEN_LENGTH)
CSRF_PLACEHOLDER = b"\x00csrf\x00"

Boundaries = Callable[[datetime], tuple[datetime | None, datetime | None]]
_clocks: dict[str, Boundaries] = {}


def _check(names) -> None:
    unknown = set(names) - set(NAMES)
    if unknown:
        raise ValueError(f"Unknown cache versions {sorted(unknown)}; known: {NAMES}.")


def bump(*names: str) -> None:
    """Mark these kinds of data as changed once the current transaction commits (at once
    outside a transaction). A rolled-back transaction changes no version."""
    _check(names)
    transaction.on_commit(
        lambda: cache.set_many({VERSION_KEY.format(name): _new_version() for name in names}, None)
    )


def bump_everything() -> None:
    bump(*NAMES)


def register_clock(name: str, boundaries: Boundaries) -> None:
    """`boundaries(now)` returns (the last moment before `now`, the first after it) at which
    the data of `name` changes by the clock alone; None when there is none."""
    _check([name])
    _clocks[name] = boundaries


def version(name: str) -> str:
    return _versions([name])[0][0]


def _new_version() -> str:
    # Unique, and it tells when it was made (for Last-Modified).
    return f"{time.time_ns():x}-{secrets.token_hex(4)}"


def _made_at(version_value: str) -> float:
    return int(version_value.split("-", 1)[0], 16) / 1e9


def _versions(names, *extra_keys: str) -> tuple[list[str], float, list]:
    """([one part per name and clock], when the newest of them changed, the values at
    `extra_keys`), in one round trip to the cache."""
    keys = [VERSION_KEY.format(name) for name in names]
    keys += [CLOCK_KEY.format(name) for name in names if name in _clocks]
    found = cache.get_many([*keys, *extra_keys])
    parts, changed = [], 0.0
    for name in names:
        value = found.get(VERSION_KEY.format(name)) or _first_version(VERSION_KEY.format(name))
        parts.append(value)
        changed = max(changed, _made_at(value))
        if name in _clocks:
            clock = found.get(CLOCK_KEY.format(name))
            now = time.time()
            if clock is None or clock[0] != value or now >= clock[2]:
                clock = _wind(name, value, now)
            parts.append(f"{clock[1]:.6f}")
            changed = max(changed, clock[1])
    return parts, changed, [found.get(key) for key in extra_keys]


def _first_version(key: str) -> str:
    # Never bumped, or evicted: any new value will do, as long as everyone agrees on it.
    cache.add(key, _new_version(), None)
    return cache.get(key) or _new_version()


def _wind(name: str, version_value: str, now: float) -> tuple[str, float, float]:
    last, upcoming = _clocks[name](datetime.fromtimestamp(now, tz=UTC))
    clock = (
        version_value,
        last.timestamp() if last else 0.0,
        upcoming.timestamp() if upcoming else float("inf"),
    )
    cache.set(CLOCK_KEY.format(name), clock, None)
    return clock


@once
def release() -> str:
    """A fingerprint of the code, templates, translations and static files: a deploy that
    changes any of them never serves a page made by the previous one."""
    digest = hashlib.sha256(f"{django.get_version()}|{settings.SITE_URL}".encode())
    base = Path(settings.BASE_DIR)
    folders = [base / "templates", base / "locale", base / "static"]
    folders += [base / app.split(".")[0] for app in settings.INSTALLED_APPS if "." not in app]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix not in {".pyc", ".po"}:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _for_visitor_cache(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    # len() reads pending messages without marking them as shown.
    return not len(get_messages(request))


# Longer values than this in a query string are no search anyone types: such a page is
# made but not kept, so random query strings cannot fill the cache.
MAX_QUERY_VALUE_LENGTH = 100
MAX_QUERY_VALUES = 20


def query_parameters_read_by(view) -> frozenset[str]:
    """The query parameters a view reads: its filter's fields, its page number, and what it
    names in `query_parameters`."""
    view_class = getattr(view, "view_class", None)
    names = set(getattr(view_class, "query_parameters", ()))
    filterset_class = getattr(view_class, "filterset_class", None)
    if filterset_class is not None:
        names |= set(filterset_class.base_filters)
    if getattr(view_class, "paginate_by", None):
        names.add(getattr(view_class, "page_kwarg", "page"))
    return frozenset(names)


def _canonical_query(request, allowed: frozenset[str]) -> str | None:
    """The parameters the view reads, in one order; None when the request carries another
    parameter, too many values or a value too long: such a page is made, but not kept."""
    pairs = []
    for name in request.GET:
        values = request.GET.getlist(name)
        if (
            name not in allowed
            or len(values) > MAX_QUERY_VALUES
            or any(len(value) > MAX_QUERY_VALUE_LENGTH for value in values)
        ):
            return None
        pairs += [(name, value) for value in values]
    return urlencode(sorted(pairs))


def _page_key(request, query: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return PAGE_KEY.format(
        hashlib.sha256(f"{release()}|{get_language()}|{address}".encode()).hexdigest()
    )


def cached_for_visitors(*names: str, validators: bool = False):
    """Serve a view's page to anonymous visitors from the cache while the versions of
    `names` (the kinds of data the page shows) are unchanged.

    With `validators`, the response carries an ETag and Last-Modified, and a conditional
    GET with current validators is answered 304 without rendering (feeds, calendars).
    """
    _check(names)

    def decorator(view):
        allowed = query_parameters_read_by(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not settings.VISITOR_CACHE or not _for_visitor_cache(request):
                return view(request, *args, **kwargs)
            query = _canonical_query(request, allowed)
            if query is None:
                return view(request, *args, **kwargs)
            key = _page_key(request, query)
            parts, changed, (entry,) = _versions(names, key)
            token = hashlib.sha256("|".join([key, *parts]).encode()).hexdigest()[:32]
            etag = last_modified = None
            if validators:
                etag = f'"{token}"'
                # A Last-Modified of the current second could hide a second change made in
                # that same second from a client that only sends If-Modified-Since.
                last_modified = int(changed) if int(changed) < int(time.time()) else None
                not_modified = get_conditional_response(
                    request, etag=etag, last_modified=last_modified
                )
                if not_modified is not None:
                    return _with_validators(not_modified, etag, last_modified)
            if entry is not None and entry[0] == token:
                response = _from_entry(request, entry)
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.add_post_render_callback(
                        lambda rendered: _store(request, rendered, key=key, token=token)
                    )
                else:
                    _store(request, response, key=key, token=token)
            if validators and response.status_code == 200:
                _with_validators(response, etag, last_modified)
            return response

        return wrapper

    return decorator


def fragment(name: str, vary: list, names: list[str], render: Callable[[], str]) -> SafeString:
    """The HTML `render()` makes, from the cache while the versions of `names` hold. For the
    parts of a page that are the same for every visitor: `vary` holds what tells the part
    apart (the object it shows); the language is added."""
    _check(names)
    if not settings.VISITOR_CACHE:
        return render()
    key = FRAGMENT_KEY.format(
        hashlib.sha256(
            "|".join([release(), get_language() or "", name, *map(str, vary)]).encode()
        ).hexdigest()
    )
    parts, _changed, (entry,) = _versions(names, key)
    token = hashlib.sha256("|".join([key, *parts]).encode()).hexdigest()[:32]
    if entry is not None and entry[0] == token:
        # The HTML that render() made (escaped by the template engine) and this process
        # stored under a key only it writes: as safe as when it was rendered.
        return mark_safe(entry[1])  # nosec B308 B703
    html = render()
    if "csrfmiddlewaretoken" in html:
        # A form belongs to one visitor; kept, its token would reach everyone.
        logger.error("Not caching fragment %r: it holds a form with a CSRF token.", name)
    else:
        cache.set(key, (token, str(html)), PAGE_TIMEOUT)
    return html


def _with_validators(response, etag, last_modified):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    elif "Last-Modified" in response:
        del response["Last-Modified"]
    # Stored, but asked again each time: the answer is a cheap 304 while nothing changed.
    response["Cache-Control"] = "no-cache"
    return response


def _from_entry(request, entry) -> HttpResponse:
    _token, content, headers = entry
    return _response(request, content, headers)


def _response(request, content: bytes, headers) -> HttpResponse:
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def _nothing_for_this_request_alone(request, response) -> bool:
    """Whether a fresh response may be kept for later requests: nothing was said or set for
    this request alone while making it."""
    session = getattr(request, "session", None)
    cache_control = response.get("Cache-Control", "")
    return not (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or getattr(get_messages(request), "added_new", False)
        or (session is not None and session.modified)
        or "private" in cache_control
        or "no-store" in cache_control
    )


def _store(request, response, *, key: str, token: str) -> None:
    """Keep a fresh page for the next visitors, without anything of this visitor in it."""
    kept = _keepable(request, response)
    if kept is not None:
        cache.set(key, (token, *kept), PAGE_TIMEOUT)


def _keepable(request, response) -> tuple[bytes, list] | None:
    """The page's content, its CSRF tokens left out, and headers; None when it may not be
    kept (something was said or set for this request alone)."""
    if not _nothing_for_this_request_alone(request, response):
        return None
    content = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\3", response.content)
    if _shows_csrf_secret(request, content):
        return None
    return content, [(name, value) for name, value in response.items() if name != "Last-Modified"]


def _shows_csrf_secret(request, content: bytes) -> bool:
    """True when the visitor's CSRF token is on the page outside a form's token field (a
    template printing {{ csrf_token }}): such a page would give it away, so it is not kept."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return False
    return any(
        constant_time_compare(_unmask_cipher_token(match.group().decode()), secret)
        for match in TOKEN_SHAPED.finditer(content)
    )


# Pages of one person ------------------------------------------------------------------------
#
# A logged-in person's own pages (/mijn/, a leeratelier as its trekker) show rows of many apps,
# private ones too (follows, drafts, the requests others sent them), so the versions above,
# bumped by the services for what visitors see, do not tell when such a page changes. These
# pages are kept per person with the versions of the database tables they were read from:
# every statement that writes a table bumps that table's version (`track_tables`, on every
# database connection), whatever made it: a service, a bulk update, the admin, a task, allauth.

PERSONAL_KEY = "persoonlijk:{}"
PERSONAL_TIMEOUT = 15 * 60
TABLE_VERSION_KEY = "versie-tabel:{}"
# Changes with every write to any table: while it holds, no table changed at all.
WRITES_KEY = "versie-tabellen"

_WRITE = re.compile(r'(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_WITH = re.compile(r"WITH\b", re.IGNORECASE)
_TRUNCATE = re.compile(r"TRUNCATE\b", re.IGNORECASE)
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)', re.IGNORECASE)
_QUOTED = re.compile(r'"(\w+)"')
# Read by the session backend, never shown: pages do not change when someone logs in.
_UNTRACKED = frozenset({"django_session"})
_tables_read: ContextVar[set[str] | None] = ContextVar("tables_read", default=None)


def track_tables(execute, sql, params, many, context):
    """A database execute wrapper: bumps the version of each table a statement writes, and
    notes the tables read while a personal page is made."""
    result = execute(sql, params, many, context)
    if not settings.VISITOR_CACHE:
        return result
    text = (sql if isinstance(sql, str) else str(sql)).lstrip()
    write = _WRITE.match(text)
    if write:
        written = {write.group(1)}
    elif _WITH.match(text):
        # A statement with common table expressions may write in any of them.
        written = set(_WRITE.findall(text))
    elif _TRUNCATE.match(text):
        written = set(_QUOTED.findall(text))
    else:
        reading = _tables_read.get()
        if reading is not None:
            reading.update(_READ.findall(text))
        return result
    written -= _UNTRACKED
    if written:
        _bump_written(context["connection"], written)
    return result


class BumpOnCommit:
    """The tables one transaction wrote, bumped once when it commits; `unbumped`: those
    written since this connection last read the versions (`bump_pending_writes`)."""

    def __init__(self):
        self.tables: set[str] = set()
        self.unbumped: set[str] = set()

    def __call__(self):
        _bump_tables(self.tables)


def _bump_written(connection, tables: set[str]) -> None:
    if not connection.in_atomic_block:
        _bump_tables(tables)
        return
    # In a transaction: once when it commits, and before this connection itself next reads
    # the versions (a page made later in the same transaction; tests, whose transactions
    # never commit). No other connection sees the rows before the commit, so none needs
    # the bump sooner, and a registration rush makes no round trip to Redis while it holds
    # the bijeenkomst's lock.
    pending = _pending_bump(connection)
    if pending is None:
        pending = connection._werkplaats_bump_on_commit = BumpOnCommit()
        transaction.on_commit(pending, using=connection.alias)
    pending.tables |= tables
    pending.unbumped |= tables


def _pending_bump(connection) -> BumpOnCommit | None:
    pending = getattr(connection, "_werkplaats_bump_on_commit", None)
    # Gone from the queue when its transaction (or the savepoint it was queued in) ended:
    # committed, it bumped its tables; rolled back, it changed nothing.
    if pending is None or not any(queued[1] is pending for queued in connection.run_on_commit):
        return None
    return pending


def bump_pending_writes() -> None:
    """Bump the tables this thread's open transactions wrote since it last read the
    versions: called before they are read, so that a page never outlives a write made
    by the same connection."""
    for connection in connections.all(initialized_only=True):
        pending = _pending_bump(connection)
        if pending is not None and pending.unbumped:
            _bump_tables(pending.unbumped)
            pending.unbumped = set()


def _bump_tables(tables) -> None:
    value = _new_version()
    cache.set_many({WRITES_KEY: value} | {TABLE_VERSION_KEY.format(t): value for t in tables}, None)


def changes_at(request, moment: datetime | None) -> None:
    """Tell `cached_for_person` that the page being made changes by the clock at `moment`
    (an offer's deadline, a bijeenkomst's end): it is not served from the cache after it."""
    if moment is not None:
        until = getattr(request, "_personal_cache_until", float("inf"))
        request._personal_cache_until = min(until, moment.timestamp())


def _personal_key(request, query: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return PERSONAL_KEY.format(
        hashlib.sha256(
            f"{release()}|{get_language()}|{request.user.pk}|{address}".encode()
        ).hexdigest()
    )


def cached_for_person(view):
    """Serve a logged-in person their own page from the cache until a table it was read
    from is written, a version of what visitors see (its shared parts) changes, or a moment
    given to `changes_at` passes. Kept per person and address; never with a message, a new
    cookie or a changed session; the CSRF tokens of its forms are filled in per request.
    Anonymous visitors and other methods go straight to the view."""

    allowed = query_parameters_read_by(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        query = _canonical_query(request, allowed)
        if not (
            settings.VISITOR_CACHE
            and request.method in ("GET", "HEAD")
            and request.user.is_authenticated
            and not len(get_messages(request))
            and query is not None
        ):
            return view(request, *args, **kwargs)
        key = _personal_key(request, query)
        bump_pending_writes()
        parts, _changed, (entry, writes) = _versions(NAMES, key, WRITES_KEY)
        writes = writes or _first_version(WRITES_KEY)
        token = hashlib.sha256("|".join([key, *parts]).encode()).hexdigest()[:32]
        if entry is not None and _still_current(entry, token, writes):
            left = entry["made"] + PERSONAL_TIMEOUT - time.time()
            if entry["writes"] != writes and left > 1:
                # Checked against its tables: the next request need not check them again.
                cache.set(key, entry | {"writes": writes}, int(left))
            return _response(request, entry["content"], entry["headers"])

        made = time.time()
        # The person and their rights were read before the view, by the middleware.
        read = set(_user_tables())
        reset = _tables_read.set(read)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        finally:
            _tables_read.reset(reset)
        kept = _keepable(request, response)
        if kept is None:
            return response
        table_keys = [TABLE_VERSION_KEY.format(table) for table in sorted(read)]
        bump_pending_writes()
        found = cache.get_many([WRITES_KEY, *table_keys])
        if found.get(WRITES_KEY) != writes:
            # A table changed while the page was made: it may show some rows from before.
            return response
        content, headers = kept
        entry = {
            "token": token,
            "content": content,
            "headers": headers,
            "writes": writes,
            "tables": {table: found.get(table) or _first_version(table) for table in table_keys},
            "until": getattr(request, "_personal_cache_until", float("inf")),
            "made": made,
        }
        cache.set(key, entry, PERSONAL_TIMEOUT)
        return response

    return wrapper


def _still_current(entry: dict, token: str, writes: str) -> bool:
    if entry["token"] != token or time.time() >= entry["until"]:
        return False
    if entry["writes"] == writes:
        return True
    return cache.get_many(list(entry["tables"])) == entry["tables"]


@once
def _user_tables() -> frozenset[str]:
    """The tables the middleware reads a person and their rights from (werkplaats.backends)."""
    model = get_user_model()
    fields = [model._meta.get_field(name) for name in ("groups", "user_permissions")]
    group = fields[0].related_model
    return frozenset(
        [
            model._meta.db_table,
            group._meta.db_table,
            group.permissions.through._meta.db_table,
            *(field.remote_field.through._meta.db_table for field in fields),
        ]
    )
