"""Links in mail point at the site: a relative address in Markdown (`[x](/bijeenkomsten/…)`)
works on the portal's own pages but leads nowhere from a mail program.

The portal's pages keep what was written; only the rendering of a mail makes every link and
image source absolute with settings.SITE_URL. Addresses with a scheme (https:, mailto:) and
anchors within the mail (`#…`) stay as they are.
"""

import re
from urllib.parse import urljoin, urlsplit

from django.conf import settings

# The attributes sanitised Markdown HTML and the mail layouts write, always in double
# quotes (bleach and Django's templates both quote that way).
_LINK_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")', re.IGNORECASE)


def absolute_url(url: str) -> str:
    """`url` resolved against SITE_URL, unless it already names a scheme or is an anchor."""
    stripped = url.strip()
    if not stripped or stripped.startswith("#") or urlsplit(stripped).scheme:
        return url
    site = settings.SITE_URL.rstrip("/")
    if stripped.startswith("/") and not stripped.startswith("//"):
        return site + stripped  # as the portal builds its own links: SITE_URL + path
    return urljoin(site + "/", stripped)


def absolute_links(html: str) -> str:
    """Every href and src in `html` made absolute (see absolute_url)."""
    return _LINK_ATTRIBUTE.sub(
        lambda match: match.group(1) + absolute_url(match.group(2)) + match.group(3), html
    )
