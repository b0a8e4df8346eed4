import re
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

_axe = Axe()

PHONE_WIDTH = 320

# The elements that reach past the right edge of the viewport, furthest first; of nested
# ones only the innermost (a box whose child sticks out is a victim, not the cause).
_OVERFLOWING_ELEMENTS = """
(limit) => {
  const edge = window.innerWidth;
  const describe = (element) => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += "#" + element.id;
    for (const cls of element.classList) name += "." + cls;
    const text = (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    const width = right(element) - element.getBoundingClientRect().left;
    return `${name} (${Math.round(width)} px wide, right edge at ${Math.round(right(element))}`
      + ` px)${text ? ` "${text}"` : ""}`;
  };
  // Text can stick out of its box too; scrollWidth counts it, unless the box clips it.
  const right = (element) => {
    const box = element.getBoundingClientRect();
    const clips = getComputedStyle(element).overflowX !== "visible";
    return clips ? box.right : Math.max(box.right, box.left + element.scrollWidth);
  };
  // Inside a box that clips or scrolls, an element does not widen the page. An absolutely
  // positioned one escapes the clipping boxes between it and its containing block.
  const clipped = (element) => {
    let position = getComputedStyle(element).position;
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      const contains = position === "absolute" ? style.position !== "static" : position !== "fixed";
      if (!contains) continue;
      if (style.overflowX !== "visible") return true;
      position = style.position;
    }
    return false;
  };
  const outside = [...document.body.querySelectorAll("*")].filter(
    (element) => right(element) > edge + 0.5 && !clipped(element)
  );
  const culprits = outside.filter(
    (element) => !outside.some((other) => other !== element && element.contains(other))
  );
  culprits.sort((a, b) => right(b) - right(a));
  return culprits.slice(0, limit).map(describe);
}
"""


def _violations(results) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
    ]


@contextmanager
def _viewport_width(page, width: int):
    original = page.viewport_size or page.evaluate(
        "() => ({width: window.innerWidth, height: window.innerHeight})"
    )
    page.set_viewport_size({"width": width, "height": original["height"]})
    try:
        yield
    finally:
        page.set_viewport_size(original)


def _sideways_scrolling(page) -> str | None:
    """What sticks out of the page at the current width, or None when it fits."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] <= widths[1]:
        return None
    culprits = page.evaluate(_OVERFLOWING_ELEMENTS, 5)
    return (
        f"at {widths[1]} px: the page is {widths[0]} px wide and scrolls sideways; "
        "what sticks out furthest:\n    " + "\n    ".join(culprits)
    )


def _check_page(page):
    desktop = _axe.run(page)
    with _viewport_width(page, PHONE_WIDTH):
        overflow = _sideways_scrolling(page)
        phone = _axe.run(page)
    problems = [f"at desktop width: {violation}" for violation in _violations(desktop)]
    problems += [f"at {PHONE_WIDTH} px: {violation}" for violation in _violations(phone)]
    if overflow:
        problems.append(overflow)
    assert problems == [], f"{page.url} fails the page check:\n" + "\n".join(problems)
    return desktop


def assert_no_axe_violations(page):
    """Checks the page as it is now: axe-core at desktop width, and at a 320 px phone width
    both axe-core and that nothing makes the page scroll sideways (WCAG 1.4.10 reflow)."""
    _check_page(page)


def delivered_body(to: str, subject_start: str = "") -> str:
    """The text of the newest mail delivered to `to` (whose subject starts so). Read what was
    delivered, not the outbox row: a sent row keeps no personal links (netwerk.outbox)."""
    return next(
        message.body
        for message in reversed(mail.outbox)
        if to in message.to and message.subject.startswith(subject_start)
    )


def link_in_last_mail(to: str, live_server_url: str) -> str:
    """The portal link in the newest mail to `to`, pointed at the live server."""
    message = next(message for message in reversed(mail.outbox) if to in message.to)
    url = re.search(r"https?://[^\s]+", message.body).group(0)
    return re.sub(r"^https?://[^/]+", live_server_url, url)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


def log_in(page, live_server, persoon):
    """Give the browser a logged-in session of `persoon` (the log-in form has its own test);
    a staff member's session has passed the second factor, as the admin asks."""
    from django.conf import settings
    from django.test import Client

    from tests.roles import log_in_to_beheer

    client = Client()
    if persoon.is_staff:
        log_in_to_beheer(client, persoon)
    else:
        client.force_login(persoon)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
