"""Markdown → safe HTML, in process and without a time bound.

Two layers: Python-Markdown is told to treat raw HTML as text, and nh3 (ammonia) keeps only
the tags, attributes and URL schemes below. Images in the body are not allowed: an update
carries its own uploaded image with alt text, and remote images would tell third parties
who reads the portal.

Python-Markdown takes quadratic time on some input (a long run of `[`, many headings or
rules in one block) and recurses on nesting, so text from a person is rendered through
`themas.rendering.render_markdown()`, which checks it and runs this module in a child
process with a time limit (`python -m themas.markdown_html`, text on stdin, HTML on
stdout). This module therefore imports nothing of Django or the project: the child starts
in a tenth of a second.
"""

import re
import sys

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


def markdown_to_safe_html(text: str) -> str:
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


def _limit_resources(cpu_seconds: int) -> None:
    """The child's own ceiling behind the parent's timeout: CPU time and memory."""
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    memory = 1024 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def main() -> None:
    cpu_seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    _limit_resources(cpu_seconds)
    text = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(markdown_to_safe_html(text).encode("utf-8"))


if __name__ == "__main__":
    main()
