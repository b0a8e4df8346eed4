"""A capacity too large for the database is a form error, never a 500 (finding 6)."""

import pytest
from django.urls import reverse

from bijeenkomsten.forms import MAX_CAPACITY, CapaciteitForm
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.netwerk.factories import make_coordinator

pytestmark = pytest.mark.django_db


def test_a_capacity_beyond_any_hall_is_refused_by_the_form():
    form = CapaciteitForm(data={"capaciteit": "99999999999999999999"})

    assert not form.is_valid()
    assert "capaciteit" in form.errors


def test_the_largest_allowed_capacity_is_accepted():
    form = CapaciteitForm(data={"capaciteit": str(MAX_CAPACITY)})

    assert form.is_valid(), form.errors


def test_posting_a_huge_capacity_shows_a_message_and_changes_nothing(client):
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    client.force_login(make_coordinator())

    response = client.post(
        reverse("bijeenkomsten:capaciteit", args=[bijeenkomst.slug]),
        {"capaciteit": "99999999999999999999"},
        follow=True,
    )

    assert response.status_code == 200
    assert "0 tot 100.000" in response.text
    bijeenkomst.refresh_from_db()
    assert bijeenkomst.capaciteit == 10


def test_the_create_form_refuses_a_capacity_beyond_the_limit_and_stores_nothing(client):
    from bijeenkomsten.models import Bijeenkomst
    from tests.bijeenkomsten.test_beheer import form_data

    client.force_login(make_coordinator())

    response = client.post(reverse("bijeenkomsten:nieuw"), form_data(capaciteit="2000000000"))

    assert response.status_code == 400
    assert "0 tot 100.000" in response.context["form"].errors["capaciteit"][0]
    assert not Bijeenkomst.objects.exists()
