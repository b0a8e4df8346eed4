"""Limits per client for the anonymous forms that send mail, so nobody can use the portal
to mail strangers in bulk.

`check(request, scope)` counts one request of this client for `scope` and raises
`TooManyRequests` (a 429 page, werkplaats.middleware) once one of the scope's limits in
settings.RATE_LIMITS is reached: `{"scope": [(count, seconds), …]}`. The counters live in
the Django cache, Redis in production, so every process and machine shares them; each is a
fixed window that starts with the client's first request.

The client is the address the request came from. Behind a proxy that is the proxy, so set
TRUSTED_CLIENT_IP_HEADER to the header the proxy sets to the client's address (one
address, e.g. X-Real-IP); only that header is believed, never X-Forwarded-For as the
client sends it. IPv6 clients count per /64 network, the block one connection usually has.
allauth's own limits (log-in, sign-up, password reset) count the same client: its account
adapter asks `client_address()` (netwerk.adapters).
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache

from werkplaats.exceptions import TooManyRequests

IPV6_PREFIX = 64


def client_address(request) -> str:
    """The client's address as the limits count it (an IPv6 address as its /64 network)."""
    header = settings.TRUSTED_CLIENT_IP_HEADER
    raw = (request.headers.get(header, "") if header else "") or request.META.get("REMOTE_ADDR", "")
    # In a list the last address is the one our own proxy added; the ones before it are
    # whatever the client sent.
    raw = raw.split(",")[-1].strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "onbekend"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


def check(request, scope: str) -> None:
    """Count this request of the client for `scope`; TooManyRequests once over a limit.

    A refused request still counts, so hammering on does not open the window sooner."""
    client = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    for count, seconds in settings.RATE_LIMITS[scope]:
        key = f"ratelimit:{scope}:{seconds}:{client}"
        # add() starts the window only when there is none; incr() is atomic in Redis.
        cache.add(key, 0, timeout=seconds)
        try:
            used = cache.incr(key)
        except ValueError:  # the window ended between add() and incr()
            cache.set(key, 1, timeout=seconds)
            used = 1
        if used > count:
            raise TooManyRequests(retry_after=seconds)
