"""The anonymous forms that send mail are limited per client, on Redis (issue 12, finding 5)."""

import time
import uuid

import pytest
import redis
from django.urls import reverse

from bijeenkomsten.models import GastAanmelding
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import PersoonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.real_stack_only(reason="tests the counters in Redis"),
]


@pytest.fixture(autouse=True)
def redis_cache(settings):
    """The real Redis instead of the tests' local-memory cache, under a prefix of its own so
    nothing carries over between tests and the Celery broker is left alone."""
    prefix = f"test-ratelimit-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.RATE_LIMITS = {
        "gast-aanmelding": [(2, 3600), (5, 24 * 3600)],
        "nieuwsbrief-aanmelding": [(2, 3600)],
    }
    connection = redis.Redis.from_url(settings.REDIS_URL)
    yield connection
    for key in connection.scan_iter(f"{prefix}:*"):
        connection.delete(key)


def register_as_guest(client, bijeenkomst, n, **headers):
    return client.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]),
        {"naam": f"Gast {n}", "email": f"gast{n}@example.org"},
        **headers,
    )


def test_one_client_cannot_mail_more_addresses_than_the_limit(client):
    bijeenkomst = BijeenkomstFactory()

    answers = [register_as_guest(client, bijeenkomst, n) for n in range(3)]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    refused = answers[2]
    assert "Even niet meer" in refused.text
    assert "er niets gemaild" in refused.text
    assert refused["Retry-After"] == "3600"
    assert OutboxMessage.objects.count() == 2
    assert GastAanmelding.objects.count() == 2
    assert not OutboxMessage.objects.filter(to="gast2@example.org").exists()


def test_the_counter_lives_in_redis_where_every_process_sees_it(client, redis_cache, settings):
    bijeenkomst = BijeenkomstFactory()
    register_as_guest(client, bijeenkomst, 1)

    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    keys = [key.decode() for key in redis_cache.scan_iter(f"{prefix}:*ratelimit:gast*")]
    assert len(keys) == 2  # the hourly and the daily window
    assert all(redis_cache.ttl(key) > 0 for key in keys)


def test_another_client_is_not_held_back_by_the_first(client):
    bijeenkomst = BijeenkomstFactory()
    for n in range(3):
        register_as_guest(client, bijeenkomst, n, REMOTE_ADDR="192.0.2.10")

    assert register_as_guest(client, bijeenkomst, 9, REMOTE_ADDR="192.0.2.11").status_code == 302


def test_without_a_trusted_header_the_forwarded_headers_a_client_sends_change_nothing(client):
    bijeenkomst = BijeenkomstFactory()
    answers = [
        register_as_guest(
            client,
            bijeenkomst,
            n,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            HTTP_X_REAL_IP=f"198.51.100.{n}",
        )
        for n in range(3)
    ]

    assert answers[2].status_code == 429


def test_behind_a_proxy_the_trusted_header_names_the_client(client, settings):
    settings.TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    bijeenkomst = BijeenkomstFactory()

    same = [register_as_guest(client, bijeenkomst, n, HTTP_X_REAL_IP="203.0.113.5") for n in (1, 2)]
    assert [answer.status_code for answer in same] == [302, 302]
    assert register_as_guest(client, bijeenkomst, 3, HTTP_X_REAL_IP="203.0.113.5").status_code == (
        429
    )
    # The proxy's own address is the same for everyone; the header tells the clients apart.
    assert register_as_guest(client, bijeenkomst, 4, HTTP_X_REAL_IP="203.0.113.6").status_code == (
        302
    )


def test_in_a_list_only_the_address_our_proxy_added_counts(client, settings):
    settings.TRUSTED_CLIENT_IP_HEADER = "X-Forwarded-For"
    bijeenkomst = BijeenkomstFactory()

    answers = [
        # The client makes up the first address each time; the proxy appends the real one.
        register_as_guest(client, bijeenkomst, n, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7")
        for n in range(3)
    ]

    assert answers[2].status_code == 429


def test_ipv6_clients_count_per_64_network(client):
    bijeenkomst = BijeenkomstFactory()
    answers = [
        register_as_guest(client, bijeenkomst, n, REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")
        for n in range(3)
    ]

    assert answers[2].status_code == 429
    other_network = register_as_guest(client, bijeenkomst, 8, REMOTE_ADDR="2001:db8:1:3::1")
    assert other_network.status_code == 302


def test_the_window_ends_and_the_client_may_ask_again(client, settings):
    settings.RATE_LIMITS = {"gast-aanmelding": [(1, 1)]}
    bijeenkomst = BijeenkomstFactory()
    assert register_as_guest(client, bijeenkomst, 1).status_code == 302
    assert register_as_guest(client, bijeenkomst, 2).status_code == 429

    time.sleep(1.2)

    assert register_as_guest(client, bijeenkomst, 3).status_code == 302


def test_the_daily_limit_holds_when_the_hourly_one_would_allow(client, settings):
    settings.RATE_LIMITS = {"gast-aanmelding": [(10, 3600), (3, 24 * 3600)]}
    bijeenkomst = BijeenkomstFactory()

    answers = [register_as_guest(client, bijeenkomst, n) for n in range(4)]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert answers[3]["Retry-After"] == str(24 * 3600)


def test_a_logged_in_person_registering_themselves_is_not_limited(client):
    persoon = PersoonFactory()
    client.force_login(persoon)

    for n in range(4):
        bijeenkomst = BijeenkomstFactory()
        response = client.post(
            reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]), {"naam": f"P {n}"}
        )
        assert response.status_code == 302


def test_the_nieuwsbrief_form_is_limited_per_client_too(client):
    answers = [
        client.post(
            reverse("nieuwsbrief:aanmelden"),
            {"email": f"lezer{n}@example.org", "naam": "Lezer", "toestemming": "on"},
        )
        for n in range(3)
    ]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert OutboxMessage.objects.count() == 2


def log_in_wrongly(client, n, forwarded_for):
    return client.post(
        reverse("account_login"),
        {"login": f"iemand{n}@example.org", "password": "Niet-het-wachtwoord-1"},
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_allauth_counts_the_same_client_as_the_portal_and_takes_a_list_of_addresses(
    client, settings
):
    settings.TRUSTED_CLIENT_IP_HEADER = "X-Forwarded-For"
    # What settings.py used to hand to allauth; its adapter now asks werkplaats.ratelimit.
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Forwarded-For"

    # allauth read a list as one address, found none and answered 403 to every log-in.
    answers = [log_in_wrongly(client, n, f"10.0.0.{n}, 203.0.113.8") for n in range(11)]

    assert [answer.status_code for answer in answers] == [200] * 11
    assert not any("Te veel" in answer.text for answer in answers[:10])
    # Its limit of ten failed log-ins a minute per client counts the address our proxy
    # added, however the client varies the first one.
    assert "Te veel" in answers[10].text
    assert "Te veel" not in log_in_wrongly(client, 11, "10.0.0.1, 203.0.113.9").text
