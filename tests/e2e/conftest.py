import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

_axe = Axe()


def assert_no_axe_violations(page):
    """Runs axe-core on the page as it is now and fails with the rules it breaks."""
    results = _axe.run(page)
    violations = [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
    ]
    assert violations == [], f"axe found violations on {page.url}:\n" + "\n".join(violations)


def link_in_last_mail(to: str, live_server_url: str) -> str:
    """The portal link in the newest mail to `to`, pointed at the live server."""
    message = next(message for message in reversed(mail.outbox) if to in message.to)
    url = re.search(r"https?://[^\s]+", message.body).group(0)
    return re.sub(r"^https?://[^/]+", live_server_url, url)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


def log_in(page, live_server, persoon):
    """Give the browser a logged-in session of `persoon` (the log-in form has its own test)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
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
