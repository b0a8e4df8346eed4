"""Kennisproducten: write (with a checked file or a link), publish, withdraw.

A product is written as a concept; its writers see it on its own page, which is its
preview, and publish it from there. Who may write it is asked through
`kennisbank.permissions`; what a non-coördinator writes must stay tagged with a leeratelier
or thema they lead, so nobody writes a product they cannot reach again.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kennisbank.bestanden import check_bestand
from kennisbank.models import Kennisproduct
from kennisbank.permissions import can_edit_product
from netwerk.models import Persoon
from themas.rendering import render_markdown
from werkplaats import cache
from werkplaats.exceptions import RuleViolation
from werkplaats.slugs import save_with_unique_slug


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
            save_with_unique_slug(product, text=invoer.titel, fallback="kennisproduct")
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
