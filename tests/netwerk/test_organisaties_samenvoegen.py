"""One list of organisaties (issue 23, point 4): a coördinator merges two; everything
that referenced the merged one moves, its name stays findable, the log says who did it."""

import pytest
from django.urls import reverse

from bijeenkomsten import services as bijeenkomst_services
from bijeenkomsten.models import Aanmelding, Quotum, Teamlid
from leerateliers import services as leeratelier_services
from leerateliers.models import Deelname
from netwerk import selectors, services
from netwerk.models import Lidmaatschap, Organisatie, OrganisatieAlias, OrganisatieSamenvoeging
from tests.bijeenkomsten.factories import AanmeldingFactory, BijeenkomstFactory
from tests.leerateliers.factories import LeeratelierFactory, LerendePraktijkFactory
from tests.netwerk.factories import (
    OrganisatieFactory,
    PersoonFactory,
    make_coordinator,
    make_lidmaatschap,
)
from werkplaats.exceptions import RuleViolation

pytestmark = pytest.mark.django_db


@pytest.fixture
def dubbel():
    doel = OrganisatieFactory(naam="Gemeente Nijmegen", slug="nijmegen")
    bron = OrganisatieFactory(
        naam="Gem. Nijmegen", slug="gem-nijmegen", maildomein="nijmegen.example.nl"
    )
    return bron, doel


def test_merging_moves_memberships_deelnames_registrations_and_partnerships(dubbel):
    bron, doel = dubbel
    persoon = PersoonFactory(organisatie=bron)
    make_lidmaatschap(persoon, bron)
    atelier = LeeratelierFactory()
    deelname = leeratelier_services.join_leeratelier(
        persoon=persoon, leeratelier=atelier, rol="tribune"
    )
    aanmelding = AanmeldingFactory(gekoppelde_organisatie=bron)
    bijeenkomst = BijeenkomstFactory()
    bijeenkomst.organisaties.add(bron, doel)  # both: one row stays
    praktijk = LerendePraktijkFactory(leeratelier=atelier)
    praktijk.partners.add(bron)

    samenvoeging = services.merge_organisatie(bron=bron, doel=doel, door=make_coordinator())

    assert not Organisatie.objects.filter(pk=bron.pk).exists()
    assert Lidmaatschap.objects.get(persoon=persoon).organisatie == doel
    persoon.refresh_from_db()
    assert persoon.organisatie == doel
    assert Deelname.objects.get(pk=deelname.pk).organisatie == doel
    assert Aanmelding.objects.get(pk=aanmelding.pk).gekoppelde_organisatie == doel
    assert list(bijeenkomst.organisaties.all()) == [doel]
    assert list(praktijk.partners.all()) == [doel]
    assert samenvoeging.verplaatst["netwerk.lidmaatschap"] == 1
    doel.refresh_from_db()
    assert doel.maildomein == "nijmegen.example.nl"


def test_merging_moves_the_quota_and_team_roles_of_co_organising_bijeenkomsten(dubbel):
    bron, doel = dubbel
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    co = PersoonFactory()
    Teamlid.objects.create(
        bijeenkomst=bijeenkomst, persoon=co, rol=Teamlid.Rol.CO_ORGANISATOR, organisatie=bron
    )
    quotum = bijeenkomst_services.save_quotum(
        bijeenkomst=bijeenkomst, door=None, organisatie=bron, aantal=3, tot=bijeenkomst.start
    )

    services.merge_organisatie(bron=bron, doel=doel, door=make_coordinator())

    assert Quotum.objects.get(pk=quotum.pk).organisatie == doel
    assert Teamlid.objects.get(persoon=co).organisatie == doel


def test_two_quota_for_one_bijeenkomst_stop_the_merge_with_a_dutch_reason_and_nothing_changes(
    dubbel,
):
    bron, doel = dubbel
    bijeenkomst = BijeenkomstFactory(capaciteit=10)
    for organisatie in (bron, doel):
        bijeenkomst_services.save_quotum(
            bijeenkomst=bijeenkomst, door=None, organisatie=organisatie, aantal=2,
            tot=bijeenkomst.start,
        )  # fmt: skip
    lid = PersoonFactory(email="lid@nijmegen.example.nl")
    make_lidmaatschap(lid, bron)
    on_quotum = bijeenkomst_services.register(
        bijeenkomst=bijeenkomst, email=lid.email, naam="Lid", persoon=lid
    )
    assert on_quotum.quotum.organisatie == bron

    with pytest.raises(RuleViolation, match="quotum"):
        services.merge_organisatie(bron=bron, doel=doel, door=make_coordinator())

    assert Organisatie.objects.filter(pk=bron.pk).exists()
    assert Quotum.objects.filter(organisatie=bron).count() == 1
    assert Lidmaatschap.objects.get(persoon=lid).organisatie == bron


def test_the_merged_name_stays_findable_as_an_alias(dubbel):
    bron, doel = dubbel
    services.merge_organisatie(bron=bron, doel=doel, door=make_coordinator())

    assert OrganisatieAlias.objects.filter(organisatie=doel, naam="Gem. Nijmegen").exists()
    assert selectors.organisaties_gezocht("Gem.", limit=5) == [doel]


def test_the_log_says_who_merged_what(client, dubbel):
    bron, doel = dubbel
    coordinator = make_coordinator(naam="Coby")
    client.force_login(coordinator)

    response = client.post(
        reverse("netwerk:organisaties-samenvoegen"), {"bron": bron.pk, "doel": doel.pk}
    )

    assert response.status_code == 302
    samenvoeging = OrganisatieSamenvoeging.objects.get()
    assert (samenvoeging.bron_naam, samenvoeging.doel, samenvoeging.door) == (
        "Gem. Nijmegen",
        doel,
        coordinator,
    )
    page = client.get(reverse("netwerk:organisaties-samenvoegen")).content.decode()
    assert "Gem. Nijmegen samengevoegd met Gemeente Nijmegen, door Coby" in page


def test_a_person_in_both_keeps_the_stronger_membership(dubbel):
    bron, doel = dubbel
    persoon = PersoonFactory()
    make_lidmaatschap(persoon, doel)
    Lidmaatschap.objects.filter(persoon=persoon).update(status=Lidmaatschap.Status.BEEINDIGD)
    make_lidmaatschap(persoon, bron)

    services.merge_organisatie(bron=bron, doel=doel, door=make_coordinator())

    lidmaatschap = Lidmaatschap.objects.get(persoon=persoon)
    assert (lidmaatschap.organisatie, lidmaatschap.status) == (doel, Lidmaatschap.Status.BEVESTIGD)


def test_the_doel_keeps_its_own_contactpersoon(dubbel):
    bron, doel = dubbel
    a, b = PersoonFactory(), PersoonFactory()
    make_lidmaatschap(a, bron)
    make_lidmaatschap(b, doel)
    coordinator = make_coordinator()
    services.choose_contactpersoon(organisatie=bron, persoon=a, door=coordinator)
    services.choose_contactpersoon(organisatie=doel, persoon=b, door=coordinator)

    services.merge_organisatie(bron=bron, doel=doel, door=coordinator)

    assert list(
        Lidmaatschap.objects.filter(organisatie=doel, is_contactpersoon=True).values_list(
            "persoon", flat=True
        )
    ) == [b.pk]


def test_an_organisatie_is_not_merged_with_itself(dubbel):
    _, doel = dubbel
    with pytest.raises(RuleViolation):
        services.merge_organisatie(bron=doel, doel=doel, door=make_coordinator())


def test_the_same_organisatie_twice_in_the_form_is_a_dutch_error_and_nothing_changes(
    client, dubbel
):
    _, doel = dubbel
    client.force_login(make_coordinator())
    response = client.post(
        reverse("netwerk:organisaties-samenvoegen"), {"bron": doel.pk, "doel": doel.pk}
    )
    assert response.status_code == 400
    assert "Kies twee verschillende organisaties" in response.content.decode()
    assert Organisatie.objects.count() == 2


def test_a_partner_cannot_merge_organisaties(client, dubbel):
    bron, doel = dubbel
    client.force_login(PersoonFactory())
    response = client.post(
        reverse("netwerk:organisaties-samenvoegen"), {"bron": bron.pk, "doel": doel.pk}
    )
    assert response.status_code == 403
    assert Organisatie.objects.count() == 2


def test_the_leeratelier_merge_uses_the_same_lock_pattern(monkeypatch):
    from leerateliers import services as module

    calls = []
    original = module.lock_pair
    monkeypatch.setattr(module, "lock_pair", lambda *a, **k: calls.append(k) or original(*a, **k))
    bron, doel = LeeratelierFactory(), LeeratelierFactory()

    module.merge_leeratelier(bron=bron, doel=doel)

    assert [call["bron_pk"] for call in calls] == [bron.pk]
