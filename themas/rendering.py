"""Markdown for updates: rendered once on save, sanitised with an allow-list.

Two layers: Python-Markdown is told to treat raw HTML as text, and nh3 (ammonia) keeps only
the tags, attributes and URL schemes below. Images in the body are not allowed: an update
carries its own uploaded image with alt text, and remote images would tell third parties
who reads the portal.
"""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


class _NoRawHtml(markdown.Extension):
    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(text: str) -> str:
    """Markdown → safe HTML, with headings that fit under the page's h1 (the title)."""
    html = markdown.markdown(
        text or "",
        extensions=[_NoRawHtml(), "sane_lists", "tables"],
        output_format="html",
    )
    html = _headings_from_h2(html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_HEADING = re.compile(r"<(/?)h([1-6])>")


def _headings_from_h2(html: str) -> str:
    """Shift all headings so the highest one is an h2, keeping their relative order."""
    levels = [int(level) for _, level in _HEADING.findall(html)]
    if not levels:
        return html
    shift = 2 - min(levels)
    return _HEADING.sub(
        lambda match: f"<{match.group(1)}h{min(int(match.group(2)) + shift, 6)}>", html
    )
