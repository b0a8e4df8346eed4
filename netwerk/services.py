"""State changes of the network: proposing and approving organisaties, editing a profile."""

from django.db import transaction

from netwerk.models import Organisatie, Persoon
from werkplaats import cache
from werkplaats.slugs import save_with_unique_slug


def propose_organisatie(*, naam: str, plaats: str = "", door: Persoon) -> Organisatie:
    """A person signing up proposes an organisatie that is not in the directory yet.

    It stays out of the directory until a coördinator approves it; the person is linked
    to it at once.
    """
    with transaction.atomic():
        organisatie = Organisatie(
            naam=naam.strip(),
            plaats=plaats.strip(),
            status=Organisatie.Status.VOORGESTELD,
            voorgesteld_door=door,
        )
        organisatie.full_clean(exclude=["slug"])
        save_with_unique_slug(organisatie, text=naam, fallback="organisatie")
        Persoon.objects.filter(pk=door.pk).update(organisatie=organisatie)
        door.organisatie = organisatie
        cache.bump("netwerk")
    return organisatie


def approve_organisatie(*, organisatie: Organisatie) -> Organisatie:
    """Show a proposed organisatie in the directory."""
    with transaction.atomic():
        organisatie = Organisatie.objects.select_for_update().get(pk=organisatie.pk)
        if organisatie.status != Organisatie.Status.GOEDGEKEURD:
            organisatie.status = Organisatie.Status.GOEDGEKEURD
            organisatie.save(update_fields=["status"])
            cache.bump("netwerk")
    return organisatie


def update_profiel(
    *,
    persoon: Persoon,
    naam: str,
    organisatie: Organisatie | None,
    functie: str,
    bio: str,
    profiel_zichtbaar: bool,
) -> Persoon:
    with transaction.atomic():
        persoon = Persoon.objects.select_for_update().get(pk=persoon.pk)
        persoon.naam = naam
        persoon.organisatie = organisatie
        persoon.functie = functie
        persoon.bio = bio
        persoon.profiel_zichtbaar = profiel_zichtbaar
        persoon.full_clean(exclude=["password"])
        persoon.save(update_fields=["naam", "organisatie", "functie", "bio", "profiel_zichtbaar"])
        cache.bump("netwerk")
    return persoon
