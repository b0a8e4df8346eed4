"""The nieuwsbrief as a mail: rendered once per edition, personalised per address by filling
in one placeholder.

Mail clients ignore style sheets, so the sanitised Markdown HTML of the voorwoord and the
sections gets inline styles here; nothing is loaded from elsewhere (the Markdown allow-list
has no images) and links are left as written (no click tracking), except that a relative
one is made absolute (werkplaats.mail_links): it would lead nowhere from a mail program.
The archive's web pages keep the edition's HTML as it was written.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from werkplaats.mail_links import absolute_links, absolute_url

# Stands in for an address's personal unsubscribe token until its mail is sent. Made of the
# characters a token has, so URLs built around it need no escaping.
TOKEN_PLACEHOLDER = "afmeldsleutel-plaatshouder-nieuwsbrief"

# SMTP allows lines of at most 998 bytes; shorter lines keep every part in 8bit, so the
# placeholder stays findable in the encoded message.
MAX_LINE = 900

INLINE_STYLES = {
    "p": "margin:0 0 12px;",
    "h2": "font-size:20px;line-height:1.3;margin:24px 0 8px;color:#073b45;",
    "h3": "font-size:17px;line-height:1.3;margin:16px 0 6px;color:#073b45;",
    "h4": "font-size:16px;margin:12px 0 4px;color:#073b45;",
    "h5": "font-size:15px;margin:12px 0 4px;",
    "h6": "font-size:15px;margin:12px 0 4px;",
    "ul": "margin:0 0 12px;padding-left:20px;",
    "ol": "margin:0 0 12px;padding-left:20px;",
    "li": "margin:0 0 4px;",
    "blockquote": "margin:0 0 12px;padding-left:12px;border-left:3px solid #d9d4c7;color:#52606d;",
    "a": "color:#0b5563;",
    "table": "border-collapse:collapse;margin:0 0 12px;",
    "th": "text-align:left;padding:4px 8px;border-bottom:1px solid #d9d4c7;",
    "td": "padding:4px 8px;border-bottom:1px solid #d9d4c7;",
    "pre": "white-space:pre-wrap;font-size:14px;",
    "hr": "border:0;border-top:1px solid #d9d4c7;margin:16px 0;",
}
_OPENING_TAG = re.compile(rf"<({'|'.join(INLINE_STYLES)})(\s[^>]*)?>")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
# A reference definition, `[1]: /bijeenkomsten/…`, on a line of its own.
_MARKDOWN_REFERENCE = re.compile(r"^( {0,3}\[[^\]]+\]:[ \t]*)(\S+)", re.MULTILINE)
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_\[\]])")


def mail_html(html: str) -> str:
    """Sanitised Markdown HTML as a mail shows it: inline styles, absolute links."""
    return absolute_links(inline_styles(html))


def inline_styles(html: str) -> str:
    """Give the tags of sanitised Markdown HTML the inline styles mail clients keep."""
    return _OPENING_TAG.sub(
        lambda match: (
            f'<{match.group(1)} style="{INLINE_STYLES[match.group(1)]}"{match.group(2) or ""}>'
        ),
        html,
    )


def plain_text(markdown: str) -> str:
    """Markdown reads well as plain text; links show their (absolute) address in brackets."""
    text = _MARKDOWN_LINK.sub(
        lambda match: f"{match.group(1)} ({absolute_url(match.group(2))})", markdown
    )
    text = _MARKDOWN_REFERENCE.sub(
        lambda match: match.group(1) + absolute_url(match.group(2)), text
    )
    text = text.replace("**", "").replace("__", "")
    return _MARKDOWN_ESCAPE.sub(r"\1", text).strip()


def wrap_long_lines(text: str, width: int = MAX_LINE) -> str:
    """Break lines longer than `width` at spaces (HTML and plain text read the same)."""
    lines = []
    for line in text.split("\n"):
        while len(line.encode()) > width and " " in line[1:]:
            cut = line.rfind(" ", 1, width)
            if cut <= 0:
                cut = line.find(" ", 1)
            lines.append(line[:cut])
            line = line[cut + 1 :]
        lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class RenderedEdition:
    subject: str
    text: str
    html: str


def unsubscribe_url(token: str = TOKEN_PLACEHOLDER) -> str:
    return settings.SITE_URL + reverse("nieuwsbrief:afmelden", kwargs={"token": token})


def unsubscribe_headers(token: str = TOKEN_PLACEHOLDER) -> dict[str, str]:
    """RFC 2369 and RFC 8058: the mail program's own unsubscribe button POSTs to the link."""
    mailto = f"{settings.NIEUWSBRIEF_UNSUBSCRIBE_MAILTO}?subject={quote(f'afmelden {token}')}"
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(token)}>, <mailto:{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def build_message(
    *, rendered: RenderedEdition, to: str, token: str, message_id: str | None = None
) -> EmailMultiAlternatives:
    """The mail of an edition for one address: its unsubscribe token filled in."""
    headers = unsubscribe_headers(token)
    if message_id:
        headers["Message-ID"] = message_id
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text.replace(TOKEN_PLACEHOLDER, token),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(rendered.html.replace(TOKEN_PLACEHOLDER, token), "text/html")
    return message


def render_edition(editie, secties) -> RenderedEdition:
    """The mail of an edition with TOKEN_PLACEHOLDER for the unsubscribe token; always Dutch,
    the language of the nieuwsbrief."""
    secties = list(secties)
    context = {
        "editie": editie,
        "voorwoord_html": mail_html(editie.voorwoord_html),
        "voorwoord_tekst": plain_text(editie.voorwoord),
        "secties": [
            {
                "titel": sectie.titel,
                "soort": sectie.soort,
                "html": mail_html(sectie.tekst_html),
                "tekst": plain_text(sectie.tekst),
            }
            for sectie in secties
        ],
        "inhoud": [sectie.titel for sectie in secties],
        "web_url": settings.SITE_URL + editie.get_archief_url(),
        "afmeld_url": unsubscribe_url(),
        "site_url": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("nieuwsbrief/mail/editie_subject.txt", context)
        text = render_to_string("nieuwsbrief/mail/editie.txt", context)
        html = render_to_string("nieuwsbrief/mail/editie.html", context)
    return RenderedEdition(
        subject=" ".join(subject.split())[:255],
        text=wrap_long_lines(text),
        html=wrap_long_lines(html),
    )
