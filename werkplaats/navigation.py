"""Where each role finds what it may do: the coördinator's workspaces, asked through each
app's permissions.py, for the header, /mijn/ and /coordinatie/."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from bijeenkomsten.permissions import can_add_bijeenkomst, can_open_beheer
from kennisbank.permissions import can_manage_kennisbank
from leerateliers.permissions import can_merge_leeratelier
from netwerk.permissions import can_decide_lidmaatschappen, can_merge_organisaties
from nieuwsbrief.permissions import can_compose, can_see_abonnees


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    description: str


def coordination_links(user) -> list[Link]:
    """The workspaces of /coordinatie/ this user may open; empty for everyone else."""
    if not user.is_authenticated:
        return []
    links = []
    if can_add_bijeenkomst(user):
        links.append(
            Link(
                _("Bijeenkomsten beheren"),
                reverse("bijeenkomsten:beheer"),
                _("Aanmaken, uitnodigen, aanmeldingen, wachtlijst, import en de deurlijst."),
            )
        )
    elif can_open_beheer(user):
        links.append(
            Link(
                _("Bijeenkomsten die ik organiseer"),
                reverse("bijeenkomsten:beheer"),
                _("De bijeenkomsten in wier team je staat: wat je rol je daar laat doen."),
            )
        )
    if can_compose(user):
        links.append(
            Link(
                _("Nieuwsbrief samenstellen"),
                reverse("nieuwsbrief:edities"),
                _("Edities samenstellen, testen en verzenden."),
            )
        )
    if can_see_abonnees(user):
        links.append(
            Link(
                _("Abonnees van de nieuwsbrief"),
                reverse("nieuwsbrief:abonnees"),
                _("Wie de nieuwsbrief ontvangt, en wie gepauzeerd is."),
            )
        )
    if can_decide_lidmaatschappen(user):
        links.append(
            Link(
                _("Lidmaatschappen"),
                reverse("netwerk:lidmaatschappen"),
                _("Aanvragen om bij een organisatie te horen."),
            )
        )
    if can_merge_organisaties(user):
        links.append(
            Link(
                _("Organisaties samenvoegen"),
                reverse("netwerk:organisaties-samenvoegen"),
                _("Dubbele organisaties samenvoegen tot één, met de oude naam als alias."),
            )
        )
    if can_add_bijeenkomst(user):
        links.append(
            Link(
                _("Organisaties van aanmeldingen"),
                reverse("bijeenkomsten:organisatie-voorstellen"),
                _(
                    "Voorstellen om vrij ingevulde organisatienamen aan een organisatie te "
                    "koppelen."
                ),
            )
        )
    if can_manage_kennisbank(user):
        links.append(
            Link(
                _("Kennisbank"),
                reverse("kennisbank:nieuw"),
                _("Kennisproducten toevoegen, en elk kennisproduct bewerken of publiceren."),
            )
        )
    if can_merge_leeratelier(user):
        links.append(
            Link(
                _("Leerateliers"),
                reverse("leerateliers:lijst"),
                _("Op de pagina van een leeratelier kun je het samenvoegen met een ander."),
            )
        )
    return links


def context(request):
    """Template context: `coordinatie_links`, worked out only when a page asks for it."""
    return {"coordinatie_links": SimpleLazyObject(lambda: coordination_links(request.user))}
