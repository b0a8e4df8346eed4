"""Random sequences of everything that changes who has a place, checked after every step."""

import contextlib
import itertools
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from tests.bijeenkomsten.factories import BijeenkomstFactory

S = Aanmelding.Status
ADDRESSES = [f"persoon{n}@example.org" for n in range(12)]
capacities = st.one_of(st.none(), st.integers(min_value=0, max_value=6))
machine_numbers = itertools.count()


class Wachtlijst(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        number = next(machine_numbers)
        self.bijeenkomst = BijeenkomstFactory(
            slug=f"eigenschap-{number}",
            capaciteit=3,
            wachtlijst_modus=Bijeenkomst.WachtlijstModus.AANBIEDEN,
        )
        self.orders: dict[int, int] = {}
        self.taken_before = 0

    def _aanmeldingen(self, *statuses):
        return list(self.bijeenkomst.aanmeldingen.filter(status__in=statuses).order_by("pk"))

    def _pick(self, data, *statuses):
        candidates = self._aanmeldingen(*statuses)
        return data.draw(st.sampled_from(candidates)) if candidates else None

    def _taken(self):
        return self.bijeenkomst.aanmeldingen.bezet().count()

    def _step(self, action):
        self.taken_before = self._taken()
        with contextlib.suppress(services.RegistrationError):
            action()

    @initialize(count=st.integers(min_value=0, max_value=8))
    def some_registered_already(self, count):
        for address in ADDRESSES[:count]:
            services.register(bijeenkomst=self.bijeenkomst, email=address, naam="Iemand")

    @rule(address=st.sampled_from(ADDRESSES), upper=st.booleans())
    def register(self, address, upper):
        email = address.upper() if upper else address
        self._step(
            lambda: services.register(bijeenkomst=self.bijeenkomst, email=email, naam="Iemand")
        )

    @rule(data=st.data())
    def cancel(self, data):
        aanmelding = self._pick(data, *Aanmelding.OPEN_STATUSES)
        if aanmelding:
            self._step(lambda: services.cancel(aanmelding=aanmelding))

    @rule(data=st.data())
    def claim(self, data):
        aanmelding = self._pick(data, S.AANGEBODEN)
        if aanmelding:
            self._step(lambda: services.claim(aanmelding=aanmelding))

    @rule(data=st.data())
    def decline(self, data):
        aanmelding = self._pick(data, S.AANGEBODEN)
        if aanmelding:
            self._step(lambda: services.decline(aanmelding=aanmelding))

    @rule(data=st.data())
    def let_an_offer_expire(self, data):
        aanmelding = self._pick(data, S.AANGEBODEN)
        if aanmelding:
            # Time passes for this one offer.
            Aanmelding.objects.filter(pk=aanmelding.pk).update(
                aanbod_tot=timezone.now() - timedelta(seconds=1)
            )
            self._step(lambda: services.expire_offers(bijeenkomst_id=self.bijeenkomst.pk))

    @rule(capaciteit=capacities)
    def change_capacity(self, capaciteit):
        self._step(
            lambda: services.change_capacity(bijeenkomst=self.bijeenkomst, capaciteit=capaciteit)
        )

    @invariant()
    def places_are_never_given_beyond_the_capacity(self):
        self.bijeenkomst.refresh_from_db()
        capaciteit, taken = self.bijeenkomst.capaciteit, self._taken()
        # Lowering the capacity takes no place away, so only growth is bounded by it.
        assert capaciteit is None or taken <= capaciteit or taken <= self.taken_before

    @invariant()
    def no_place_is_free_while_someone_waits_unoffered(self):
        capaciteit = self.bijeenkomst.capaciteit
        if capaciteit is None or self._taken() < capaciteit:
            assert self._aanmeldingen(S.WACHTLIJST) == []

    @invariant()
    def the_waitlist_order_is_kept(self):
        rows = self.bijeenkomst.aanmeldingen.exclude(wachtlijst_volgorde=None)
        for aanmelding in rows:
            assert self.orders.setdefault(aanmelding.pk, aanmelding.wachtlijst_volgorde) == (
                aanmelding.wachtlijst_volgorde
            )
        waiting = [a.wachtlijst_volgorde for a in rows if a.status == S.WACHTLIJST]
        promoted = [a.wachtlijst_volgorde for a in rows if a.doorgeschoven_op is not None]
        assert not waiting or not promoted or max(promoted) < min(waiting)
        positions = [
            a.wachtlijst_positie() for a in sorted(rows, key=lambda a: a.wachtlijst_volgorde)
        ]
        assert [p for p in positions if p is not None] == list(range(1, len(waiting) + 1))

    @invariant()
    def each_address_has_at_most_one_open_registration(self):
        emails = [a.email.lower() for a in self._aanmeldingen(*Aanmelding.OPEN_STATUSES)]
        assert len(emails) == len(set(emails))


@pytest.mark.django_db
def test_random_sequences_of_registrations_keep_capacity_order_and_no_idle_places():
    run_state_machine_as_test(
        Wachtlijst,
        settings=settings(
            max_examples=60,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
