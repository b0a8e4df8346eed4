"""The authentication backend (werkplaats.backends): a person's rights read with as few
queries as can be, and exactly as Django's own backend would grant them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.leerateliers.factories import LeeratelierFactory
from tests.netwerk.factories import PersoonFactory, coordinator_group

pytestmark = pytest.mark.django_db

MERGE = "Samenvoegen (coördinator)"


def page_and_permission_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).text
    return page, [query for query in queries if "auth_permission" in query["sql"]]


def test_a_person_without_any_group_or_permission_costs_no_permission_query():
    atelier = LeeratelierFactory()
    client = Client()
    client.force_login(PersoonFactory())

    page, permission_queries = page_and_permission_queries(client, atelier.get_absolute_url())

    assert MERGE not in page
    assert permission_queries == []


def test_a_coordinators_rights_are_read_in_one_query():
    atelier = LeeratelierFactory()
    coordinator = PersoonFactory()
    coordinator.groups.add(coordinator_group())
    client = Client()
    client.force_login(coordinator)

    page, permission_queries = page_and_permission_queries(client, atelier.get_absolute_url())

    assert MERGE in page
    assert len(permission_queries) == 1


def test_rights_given_or_taken_count_from_the_next_request():
    atelier = LeeratelierFactory()
    persoon = PersoonFactory()
    client = Client()
    client.force_login(persoon)
    url = atelier.get_absolute_url()
    assert MERGE not in client.get(url).text

    persoon.groups.add(coordinator_group())
    assert MERGE in client.get(url).text

    persoon.groups.clear()
    assert MERGE not in client.get(url).text

    persoon.user_permissions.add(Permission.objects.get(codename="merge_leeratelier"))
    assert MERGE in client.get(url).text


def test_the_backend_grants_what_djangos_own_grants():
    from django.contrib.auth.backends import ModelBackend

    from werkplaats.backends import AuthenticationBackend

    group = Group.objects.create(name="Proef")
    group.permissions.add(Permission.objects.get(codename="change_deelname"))
    persoon = PersoonFactory()
    persoon.groups.add(group)
    persoon.user_permissions.add(Permission.objects.get(codename="merge_leeratelier"))
    inactive = PersoonFactory(is_active=False)
    inactive.groups.add(group)
    superuser = PersoonFactory(is_superuser=True)

    for who in (persoon, inactive, superuser, PersoonFactory()):
        ours = AuthenticationBackend()
        loaded = ours.get_user(who.pk) or type(who).objects.get(pk=who.pk)
        theirs = type(who).objects.get(pk=who.pk)
        assert ours.get_all_permissions(loaded) == ModelBackend().get_all_permissions(theirs)
