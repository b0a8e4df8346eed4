"""One list of organisaties: the free-text `organisatie` of registrations (guests, imports,
anyone who typed a name) matched to Organisatie rows.

Confident matches are linked at once: the normalised name equals an organisatie's name or
one of its aliases (netwerk.models.normalise_organisatie_naam), or the address is on an
organisatie's mail domain. A name that only resembles one (a similarity of at least
PROPOSAL_THRESHOLD) becomes a proposal a coördinator accepts or rejects; accepted, the
spelling becomes an alias and is matched with confidence from then on. Matching runs as a
periodic task over the registrations it has not looked at yet, so registering never waits
for it and the registration code knows nothing of it.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import Aanmelding, OrganisatieVoorstel
from netwerk import services as netwerk_services
from netwerk.models import Organisatie, OrganisatieAlias, Persoon, normalise_organisatie_naam
from werkplaats.exceptions import RuleViolation

PROPOSAL_THRESHOLD = 0.75
PROPOSALS_PER_REGISTRATION = 3
BATCH_SIZE = 500


@dataclass(frozen=True)
class MatchResult:
    gekoppeld: int
    voorgesteld: int
    bekeken: int


class _Index:
    """The approved organisaties by normalised name (their own and their aliases) and by
    mail domain, read once per batch."""

    def __init__(self):
        organisaties = list(Organisatie.objects.goedgekeurd().only("pk", "naam", "maildomein"))
        self.by_name: dict[str, int] = {}
        for organisatie in organisaties:
            self.by_name.setdefault(normalise_organisatie_naam(organisatie.naam), organisatie.pk)
        for alias in OrganisatieAlias.objects.filter(
            organisatie__status=Organisatie.Status.GOEDGEKEURD
        ).only("organisatie_id", "genormaliseerd"):
            self.by_name.setdefault(alias.genormaliseerd, alias.organisatie_id)
        self.by_name.pop("", None)
        self.by_domain = {
            organisatie.maildomein.lower(): organisatie.pk
            for organisatie in organisaties
            if organisatie.maildomein
        }

    def confident(self, naam: str, email: str) -> int | None:
        found = self.by_name.get(normalise_organisatie_naam(naam))
        if found is None:
            found = self.by_domain.get(email.rsplit("@", 1)[-1].lower())
        return found

    def resembling(self, naam: str) -> list[tuple[int, float]]:
        normalised = normalise_organisatie_naam(naam)
        if not normalised:
            return []
        best: dict[int, float] = {}
        for candidate, organisatie_id in self.by_name.items():
            score = SequenceMatcher(None, normalised, candidate).ratio()
            if score >= PROPOSAL_THRESHOLD and score > best.get(organisatie_id, 0):
                best[organisatie_id] = score
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:PROPOSALS_PER_REGISTRATION]


def match_organisaties(*, limit: int = BATCH_SIZE) -> MatchResult:
    """Look once at up to `limit` registrations not looked at yet: link the confident ones,
    propose the resembling ones. Idempotent: a registration is looked at once."""
    with transaction.atomic():
        rows = list(
            Aanmelding.objects.select_for_update(skip_locked=True)
            .filter(organisatie_bekeken=False)
            .only("pk", "organisatie", "email")
            .order_by("pk")[:limit]
        )
        if not rows:
            return MatchResult(gekoppeld=0, voorgesteld=0, bekeken=0)
        index = _Index()
        linked: dict[int, list[int]] = {}
        proposals = []
        for aanmelding in rows:
            organisatie_id = index.confident(aanmelding.organisatie, aanmelding.email)
            if organisatie_id is not None:
                linked.setdefault(organisatie_id, []).append(aanmelding.pk)
            elif aanmelding.organisatie.strip():
                proposals += [
                    OrganisatieVoorstel(
                        aanmelding_id=aanmelding.pk, organisatie_id=candidate, score=score
                    )
                    for candidate, score in index.resembling(aanmelding.organisatie)
                ]
        for organisatie_id, pks in linked.items():
            Aanmelding.objects.filter(pk__in=pks).update(gekoppelde_organisatie_id=organisatie_id)
        OrganisatieVoorstel.objects.bulk_create(proposals, ignore_conflicts=True)
        Aanmelding.objects.filter(pk__in=[row.pk for row in rows]).update(organisatie_bekeken=True)
    return MatchResult(
        gekoppeld=sum(len(pks) for pks in linked.values()),
        voorgesteld=len(proposals),
        bekeken=len(rows),
    )


def decide_voorstel(*, voorstel: OrganisatieVoorstel, door: Persoon, accepteren: bool):
    """A coördinator accepts (the registration is linked, its spelling becomes an alias, its
    other proposals are rejected) or rejects a proposal."""
    with transaction.atomic():
        voorstel = (
            OrganisatieVoorstel.objects.select_for_update()
            .select_related("aanmelding", "organisatie")
            .get(pk=voorstel.pk)
        )
        if voorstel.status != OrganisatieVoorstel.Status.OPEN:
            raise RuleViolation(_("Over dit voorstel is al besloten."))
        now = timezone.now()
        voorstel.status = (
            OrganisatieVoorstel.Status.GEACCEPTEERD
            if accepteren
            else OrganisatieVoorstel.Status.AFGEWEZEN
        )
        voorstel.besloten_door = door
        voorstel.besloten_op = now
        voorstel.save(update_fields=["status", "besloten_door", "besloten_op"])
        if accepteren:
            Aanmelding.objects.filter(pk=voorstel.aanmelding_id).update(
                gekoppelde_organisatie=voorstel.organisatie
            )
            netwerk_services.add_alias(
                organisatie=voorstel.organisatie, naam=voorstel.aanmelding.organisatie
            )
            OrganisatieVoorstel.objects.filter(
                aanmelding_id=voorstel.aanmelding_id, status=OrganisatieVoorstel.Status.OPEN
            ).update(
                status=OrganisatieVoorstel.Status.AFGEWEZEN, besloten_door=door, besloten_op=now
            )
    return voorstel
