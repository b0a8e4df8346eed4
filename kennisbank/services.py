"""Kennisproducten: write (with a checked file or a link), publish, withdraw; and the
kennisdossiers coördinatoren curate from them.

A product is written as a concept; its writers see it on its own page, which is its
preview, and publish it from there. Who may write it is asked through
`kennisbank.permissions`; what a non-coördinator writes must stay tagged with a leeratelier
or thema they lead, so nobody writes a product they cannot reach again.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import Bijeenkomst
from kennisbank.models import DossierOnderdeel, Kennisdossier, Kennisproduct
from kennisbank.permissions import can_edit_product
from netwerk.models import Persoon
from themas.models import Update
from themas.rendering import render_markdown
from werkplaats import cache
from werkplaats.bestanden import check_bestand
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one
from werkplaats.slugs import save_with_unique_slug

# Paths beside kennisbank/<slug>/ and kennisbank/dossiers/<slug>/ (kennisbank/urls.py).
PRODUCT_PATHS = {"nieuw", "feed", "dossiers"}
DOSSIER_PATHS = {"nieuw"}


class KennisproductError(RuleViolation):
    """A change of a kennisproduct that the rules do not allow."""


@dataclass
class ProductInvoer:
    """What the product form holds, apart from the file."""

    titel: str
    soort: str
    samenvatting: str
    jaar: int
    tekst: str = ""
    overige_auteurs: str = ""
    ik_ben_auteur: bool = False
    datum: object = None
    taal: str = "nl"
    licentie: str = Kennisproduct.Licentie.CC_BY
    link: str = ""
    identifier: str = ""
    fase: str = ""
    lerende_praktijk: object = None
    bijeenkomst: object = None
    organisaties: list = field(default_factory=list)
    voorwaarden: list = field(default_factory=list)
    leerateliers: list = field(default_factory=list)
    themas: list = field(default_factory=list)


def save_product(
    *,
    door: Persoon,
    invoer: ProductInvoer,
    product: Kennisproduct | None = None,
    bestand=None,
) -> Kennisproduct:
    """Create a concept (no `product`) or change one; a new `bestand` replaces the old file,
    a link removes it. The file is checked by content before anything is stored."""
    gecontroleerd = check_bestand(bestand) if bestand is not None else None
    if gecontroleerd is not None and invoer.link:
        raise KennisproductError(_("Voeg een bestand toe of geef een link, niet allebei."))
    _check_writer_keeps_access(door, invoer)
    oud_bestand = None
    with transaction.atomic():
        if product is None:
            product = Kennisproduct(aangemaakt_door=door)
        else:
            product = Kennisproduct.objects.select_for_update().get(pk=product.pk)
        for name in (
            "titel",
            "soort",
            "samenvatting",
            "jaar",
            "tekst",
            "overige_auteurs",
            "datum",
            "taal",
            "licentie",
            "link",
            "identifier",
            "fase",
            "lerende_praktijk",
            "bijeenkomst",
        ):
            setattr(product, name, getattr(invoer, name))
        product.tekst_html = render_markdown(invoer.tekst)
        if gecontroleerd is not None:
            oud_bestand = product.bestand.name or None
            product.bestand = bestand
            product.bestand_type = gecontroleerd.type
            product.bestand_grootte = gecontroleerd.grootte
            product.bestand_tekst = gecontroleerd.tekst
        elif invoer.link and product.bestand:
            oud_bestand = product.bestand.name
            product.bestand = ""
            product.bestand_type = ""
            product.bestand_grootte = 0
            product.bestand_tekst = ""
        if not product.bestand and not invoer.link:
            raise KennisproductError(_("Voeg een bestand toe of geef een link."))
        if product.pk is None:
            product.full_clean(exclude=["slug", "bestand"])
            save_with_unique_slug(
                product, text=invoer.titel, fallback="kennisproduct", reserved=PRODUCT_PATHS
            )
        else:
            product.full_clean(exclude=["bestand"])
            product.save()
        product.organisaties.set(invoer.organisaties)
        product.voorwaarden.set(invoer.voorwaarden)
        product.leerateliers.set(invoer.leerateliers)
        product.themas.set(invoer.themas)
        if invoer.ik_ben_auteur:
            product.auteurs.add(door)
        else:
            product.auteurs.remove(door)
        cache.bump("kennisbank")
        if oud_bestand:
            storage = product.bestand.storage
            transaction.on_commit(lambda: storage.delete(oud_bestand))
    return product


def _check_writer_keeps_access(door: Persoon, invoer: ProductInvoer) -> None:
    if door.has_perm("kennisbank.change_kennisproduct"):
        return
    eigen_ateliers = {atelier.pk for atelier in door.getrokken_leerateliers.all()}
    eigen_themas = {thema.pk for thema in door.getrokken_themas.all()}
    if not (
        eigen_ateliers & {atelier.pk for atelier in invoer.leerateliers}
        or eigen_themas & {thema.pk for thema in invoer.themas}
    ):
        raise KennisproductError(
            _(
                "Kies ten minste één leeratelier of thema dat jij trekt, zodat je het product "
                "kunt blijven bewerken."
            )
        )


def publish_product(*, product: Kennisproduct, door: Persoon, now=None) -> Kennisproduct:
    """Make a concept or withdrawn product public; publishing twice changes nothing."""
    with transaction.atomic():
        product = Kennisproduct.objects.select_for_update().get(pk=product.pk)
        if not can_edit_product(door, product):
            raise KennisproductError(_("Je mag dit kennisproduct niet publiceren."))
        if product.is_gepubliceerd:
            return product
        product.status = Kennisproduct.Status.GEPUBLICEERD
        product.gepubliceerd_op = product.gepubliceerd_op or now or timezone.now()
        product.save(update_fields=["status", "gepubliceerd_op", "gewijzigd_op"])
        cache.bump("kennisbank")
    return product


def withdraw_product(*, product: Kennisproduct, door: Persoon) -> Kennisproduct:
    """Take a published product off the public pages (its writers still see it)."""
    with transaction.atomic():
        product = Kennisproduct.objects.select_for_update().get(pk=product.pk)
        if not can_edit_product(door, product):
            raise KennisproductError(_("Je mag dit kennisproduct niet intrekken."))
        if product.status != Kennisproduct.Status.GEPUBLICEERD:
            raise KennisproductError(_("Dit kennisproduct is niet gepubliceerd."))
        product.status = Kennisproduct.Status.INGETROKKEN
        product.save(update_fields=["status", "gewijzigd_op"])
        cache.bump("kennisbank")
    return product


# Kennisdossiers: curated by coördinatoren (kennisbank.permissions.can_curate_dossiers).


@dataclass
class DossierInvoer:
    titel: str
    samenvatting: str
    inleiding: str = ""
    gepubliceerd: bool = False


def save_dossier(*, invoer: DossierInvoer, dossier: Kennisdossier | None = None) -> Kennisdossier:
    with transaction.atomic():
        if dossier is None:
            dossier = Kennisdossier()
        else:
            dossier = lock_one(Kennisdossier.objects, pk=dossier.pk)
        dossier.titel = invoer.titel.strip()
        dossier.samenvatting = invoer.samenvatting.strip()
        dossier.inleiding = invoer.inleiding
        dossier.inleiding_html = render_markdown(invoer.inleiding)
        dossier.gepubliceerd = invoer.gepubliceerd
        if dossier.pk is None:
            dossier.full_clean(exclude=["slug"])
            save_with_unique_slug(
                dossier, text=invoer.titel, fallback="kennisdossier", reserved=DOSSIER_PATHS
            )
        else:
            dossier.full_clean()
            dossier.save()
        cache.bump("kennisbank")
    return dossier


def add_to_dossier(*, dossier: Kennisdossier, item, toelichting: str = "") -> DossierOnderdeel:
    """Put a published product or update, or a published bijeenkomst, at the end."""
    with transaction.atomic():
        dossier = lock_one(Kennisdossier.objects, pk=dossier.pk)
        field = DOSSIER_ITEM_FIELDS[type(item)]
        if not _is_public(item):
            raise KennisproductError(
                _("Alleen wat gepubliceerd is kan in een dossier; dit is het (nog) niet.")
            )
        if dossier.onderdelen.filter(**{field: item}).exists():
            raise KennisproductError(_("Dit staat al in het dossier."))
        highest = dossier.onderdelen.aggregate(highest=Max("volgorde"))["highest"]
        onderdeel = DossierOnderdeel(
            dossier=dossier,
            volgorde=0 if highest is None else highest + 1,
            toelichting=toelichting.strip(),
            **{field: item},
        )
        onderdeel.full_clean()
        onderdeel.save()
        cache.bump("kennisbank")
    return onderdeel


def move_in_dossier(*, onderdeel: DossierOnderdeel, richting: int) -> DossierOnderdeel:
    """One place up (richting -1) or down (+1); at the edge nothing moves."""
    with transaction.atomic():
        dossier = lock_one(Kennisdossier.objects, pk=onderdeel.dossier_id)
        onderdelen = list(dossier.onderdelen.order_by("volgorde", "pk"))
        index = next(i for i, candidate in enumerate(onderdelen) if candidate.pk == onderdeel.pk)
        target = index + richting
        if 0 <= target < len(onderdelen):
            onderdelen[index], onderdelen[target] = onderdelen[target], onderdelen[index]
        for volgorde, candidate in enumerate(onderdelen):
            candidate.volgorde = volgorde
        DossierOnderdeel.objects.bulk_update(onderdelen, ["volgorde"])
        cache.bump("kennisbank")
    return onderdeel


def remove_from_dossier(*, onderdeel: DossierOnderdeel) -> Kennisdossier:
    with transaction.atomic():
        dossier = lock_one(Kennisdossier.objects, pk=onderdeel.dossier_id)
        dossier.onderdelen.filter(pk=onderdeel.pk).delete()
        cache.bump("kennisbank")
    return dossier


def _is_public(item) -> bool:
    if isinstance(item, Kennisproduct):
        return item.is_gepubliceerd
    if isinstance(item, Update):
        return item.status == Update.Status.GEPUBLICEERD
    return item.status == Bijeenkomst.Status.GEPUBLICEERD


DOSSIER_ITEM_FIELDS = {Kennisproduct: "product", Update: "update", Bijeenkomst: "bijeenkomst"}


def product_from_verslag(*, verslag, door: Persoon) -> Kennisproduct:
    """The geleerde lessen of a published verslag as a concept kennisproduct, in one step:
    tagged like its bijeenkomst, linking to the verslag and keeping the bijeenkomst it came
    from. Once per verslag: a second time points at the first."""
    bijeenkomst = verslag.bijeenkomst
    if not verslag.is_gepubliceerd or not verslag.geleerde_lessen.strip():
        raise KennisproductError(
            _("Alleen de geleerde lessen van een gepubliceerd verslag worden een kennisproduct.")
        )
    titel = _("Geleerde lessen: %(titel)s") % {"titel": bijeenkomst.titel}
    titel = titel[:250]
    if Kennisproduct.objects.filter(bijeenkomst=bijeenkomst, titel=titel).exists():
        raise KennisproductError(
            _("Van dit verslag is al een kennisproduct gemaakt: “%(titel)s”.") % {"titel": titel}
        )
    ateliers = list(bijeenkomst.leerateliers.all())
    invoer = ProductInvoer(
        titel=titel,
        soort=Kennisproduct.Soort.PUBLICATIE,
        samenvatting=_("Wat de deelnemers van %(titel)s op %(datum)s leerden.")
        % {
            "titel": bijeenkomst.titel[:200],
            "datum": f"{timezone.localtime(bijeenkomst.start):%d-%m-%Y}",
        },
        jaar=timezone.localtime(bijeenkomst.start).year,
        tekst=verslag.geleerde_lessen,
        datum=timezone.localtime(bijeenkomst.start).date(),
        link=f"{settings.SITE_URL}{bijeenkomst.get_absolute_url()}",
        bijeenkomst=bijeenkomst,
        voorwaarden=list({v.pk: v for a in ateliers for v in a.voorwaarden.all()}.values()),
        leerateliers=ateliers,
        themas=list(bijeenkomst.themas.all()),
    )
    return save_product(door=door, invoer=invoer)
