"""Reads of thema's for pages of any app."""

from django.db.models import Prefetch, Q, QuerySet

from leerateliers import selectors as leeratelier_selectors
from leerateliers.models import Leeratelier
from themas.models import Contactpersoon, Thema, Update, UpdateBezorging, Volging


def themas_voor_lijst() -> QuerySet[Thema]:
    return Thema.objects.prefetch_related(
        Prefetch("leerateliers", queryset=Leeratelier.objects.zichtbaar().only("naam", "slug")),
        "thematrekkers",
    )


def themas_voor_home(limit: int = 6) -> list[Thema]:
    return list(Thema.objects.all()[:limit])


def themas_voor_keuze() -> QuerySet[Thema]:
    return Thema.objects.only("pk", "naam", "slug")


def thema_voor_pagina(*, slug: str) -> Thema:
    """With its invalshoeken and the contact people who may be shown (consent), in a fixed
    number of queries however many there are."""
    return Thema.objects.prefetch_related(
        "thematrekkers",
        "invalshoeken",
        Prefetch(
            "contactpersonen",
            queryset=Contactpersoon.objects.zichtbaar().select_related("persoon"),
            to_attr="zichtbare_contactpersonen",
        ),
    ).get(slug=slug)


def wijzigingen_van(thema: Thema, limit: int = 30):
    return thema.wijzigingen.select_related("door")[:limit]


def gekruiste_leeratelier_ids(thema: Thema) -> QuerySet:
    """Ids of the ateliers a thema crosses; a merged atelier counts as the one it merged into."""
    return Leeratelier.objects.filter(
        Q(themas=thema) | Q(samengevoegde_leerateliers__themas=thema)
    ).values("pk")


def leerateliers_van_thema(thema: Thema) -> QuerySet[Leeratelier]:
    return (
        Leeratelier.objects.zichtbaar().filter(pk__in=gekruiste_leeratelier_ids(thema)).voor_lijst()
    )


def themas_van_leeratelier(leeratelier) -> QuerySet[Thema]:
    """The thema's that cross an atelier, also through the ateliers merged into it."""
    return Thema.objects.filter(
        Q(leerateliers=leeratelier) | Q(leerateliers__samengevoegd_in=leeratelier)
    ).distinct()


def updates_voor_lijst() -> QuerySet[Update]:
    return Update.objects.gepubliceerd().voor_lijst()


def laatste_updates(*, thema=None, leeratelier=None, limit: int = 5) -> list[Update]:
    updates = Update.objects.gepubliceerd().voor_lijst()
    if leeratelier is not None:
        # With the updates of the ateliers merged into it, marked "voorheen: …".
        updates = leeratelier_selectors.met_voorheen(
            updates, leeratelier=leeratelier, veld="leeratelier"
        )
    elif thema is not None:
        updates = updates.van(thema=thema)
    return list(updates[:limit])


def update_voor_pagina(*, slug: str) -> Update:
    return (
        Update.objects.select_related("thema", "leeratelier", "auteur")
        .prefetch_related("vermelde_leerateliers", "voorwaarden")
        .get(slug=slug)
    )


def getrokken_themas(persoon) -> QuerySet[Thema]:
    """The thema's this person is thematrekker of, for their own page."""
    return Thema.objects.filter(thematrekkers=persoon).order_by("naam")


def onuitgegeven_updates_van(persoon) -> QuerySet[Update]:
    """A writer's drafts and scheduled updates, for /mijn/."""
    return (
        Update.objects.filter(
            auteur=persoon, status__in=[Update.Status.CONCEPT, Update.Status.INGEPLAND]
        )
        .select_related("thema", "leeratelier")
        .order_by("-gewijzigd_op")
    )


def volgingen_van(persoon) -> QuerySet[Volging]:
    return persoon.volgingen.select_related("thema", "leeratelier").order_by("pk")


def updates_gepubliceerd_tussen(*, vanaf, tot) -> QuerySet[Update]:
    """Updates published after `vanaf` up to and including `tot`, oldest first (nieuwsbrief)."""
    return (
        Update.objects.gepubliceerd()
        .filter(gepubliceerd_op__gt=vanaf, gepubliceerd_op__lte=tot)
        .select_related("thema", "leeratelier")
        .order_by("gepubliceerd_op", "pk")
    )


def gegevens_van(persoon) -> dict:
    """What this app holds about a persoon, for their own export (privacy): what they follow
    and how, the updates they wrote, the thema's they are thematrekker of, and which updates
    were mailed to them."""
    return {
        "volgingen": [
            {
                "thema": volging.thema.naam if volging.thema else None,
                "leeratelier": volging.leeratelier.naam if volging.leeratelier else None,
                "mail": volging.get_frequentie_display(),
                "sinds": volging.aangemaakt_op,
            }
            for volging in Volging.objects.filter(persoon=persoon)
            .select_related("thema", "leeratelier")
            .order_by("aangemaakt_op", "pk")
        ],
        "updates": [
            {
                "titel": update.titel,
                "status": update.get_status_display(),
                "bij": str(update.onderwerp),
                "aangemaakt_op": update.aangemaakt_op,
                "gepubliceerd_op": update.gepubliceerd_op,
            }
            for update in Update.objects.filter(auteur=persoon)
            .select_related("thema", "leeratelier")
            .order_by("aangemaakt_op", "pk")
        ],
        "thematrekker_van": list(
            Thema.objects.filter(thematrekkers=persoon)
            .order_by("naam")
            .values_list("naam", flat=True)
        ),
        "contactpersoon_van": [
            {"thema": contact.thema.naam, "rol": contact.rol, "toestemming": contact.toestemming}
            for contact in Contactpersoon.objects.filter(persoon=persoon).select_related("thema")
        ],
        "bezorgde_updates": [
            {"update": titel, "via": via, "op": op}
            for titel, via, op in UpdateBezorging.objects.filter(persoon=persoon)
            .order_by("aangemaakt_op", "pk")
            .values_list("update__titel", "via", "aangemaakt_op")
        ],
    }
