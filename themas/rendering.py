"""Markdown for updates: rendered once on save, sanitised with an allow-list.

Two layers: Python-Markdown is told to treat raw HTML as text, and nh3 (ammonia) keeps only
the tags, attributes and URL schemes below. Images in the body are not allowed: an update
carries its own uploaded image with alt text, and remote images would tell third parties
who reads the portal.
"""

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


class _NoRawHtml(markdown.Extension):
    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(text: str) -> str:
    """Markdown → safe HTML. Headings start at h2: the page's h1 is the update's title."""
    html = markdown.markdown(
        text or "",
        extensions=[_NoRawHtml(), "sane_lists", "tables"],
        output_format="html",
    )
    # Shift headings one level down so a "# kop" in the body never competes with the title.
    for level in (3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
