from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from themas.markdown_html import markdown_to_safe_html
from themas.rendering import render_markdown

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<a href="javascript:alert(1)">klik</a>',
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    '<body onload="alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](  javascript:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](java\tscript:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klik](vbscript:msgbox(1))",
    '[klik](https://example.org "title" onmouseover="alert(1)")',
    "![plaatje](javascript:alert(1))",
    '![plaatje](https://example.org/x.png"onerror="alert(1))',
    "![plaatje](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[klik][ref]\n\n[ref]: javascript:alert(1)",
    '<https://example.org/"onmouseover="alert(1)>',
    "<javascript:alert(1)>",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "<!-- <script>alert(1)</script> -->",
    "<details open ontoggle=alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<object data="javascript:alert(1)"></object>',
]

SAFE_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


class ElementCollector(HTMLParser):
    """What a browser would build from the HTML: its elements and their attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def executable_parts(html: str) -> list[str]:
    collector = ElementCollector()
    collector.feed(html)
    problems = []
    for tag, attributes in collector.elements:
        if tag not in SAFE_TAGS:
            problems.append(f"element <{tag}>")
        for name, value in attributes.items():
            if name.startswith("on") or name in {"style", "src", "srcdoc", "action", "data"}:
                problems.append(f"attribute {name} on <{tag}>")
            if name == "href":
                # Browsers drop tabs and newlines inside a URL and trim its ends (WHATWG URL).
                url = value.replace("\t", "").replace("\n", "").replace("\r", "").strip()
                scheme = urlsplit(url).scheme.lower()
                if scheme not in {"", "http", "https", "mailto"}:
                    problems.append(f"href scheme {scheme!r}")
    return problems


@pytest.mark.parametrize("text", XSS_CORPUS)
def test_nothing_executable_survives_the_sanitiser(text):
    # In process: the bounded renderer's child runs exactly this function.
    html = markdown_to_safe_html(text)

    assert executable_parts(html) == [], html


def test_the_checker_itself_catches_what_it_should():
    assert executable_parts('<a href="javascript:alert(1)" onclick="x">a</a><img src=x>') == [
        "href scheme 'javascript'",
        "attribute onclick on <a>",
        "element <img>",
        "attribute src on <img>",
    ]


def test_raw_html_is_shown_as_text_not_rendered():
    assert render_markdown("<strong>vet</strong>") == "<p>&lt;strong&gt;vet&lt;/strong&gt;</p>"


def test_ordinary_markdown_renders_with_safe_links():
    html = render_markdown(
        "## Wat we leerden\n\nWe werken **samen** met [de wijk](https://example.org/wijk).\n\n"
        "- een\n- twee\n\n> citaat"
    )

    assert "<h2>Wat we leerden</h2>" in html
    assert "<strong>samen</strong>" in html
    assert (
        '<a href="https://example.org/wijk" rel="noopener noreferrer nofollow">de wijk</a>' in html
    )
    assert "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>" in html
    assert "<blockquote>" in html


def test_mailto_and_relative_links_are_kept():
    html = render_markdown("[mail](mailto:info@example.org) en [intern](/leerateliers/)")

    assert 'href="mailto:info@example.org"' in html
    assert 'href="/leerateliers/"' in html


def test_a_heading_in_the_body_never_becomes_a_second_h1():
    assert render_markdown("# Titel") == "<h2>Titel</h2>"


def test_headings_start_at_h2_and_keep_their_order():
    assert render_markdown("## Een\n\n#### Twee") == "<h2>Een</h2>\n<h4>Twee</h4>"
