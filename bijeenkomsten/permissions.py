"""Who may do what with bijeenkomsten; used by views and templates alike.

The coördinator's rights are the bijeenkomsten permissions of the Coördinator group
(bijeenkomsten migration 0002); a beheerder (superuser) has every permission.

Beside them, the team of one bijeenkomst (`Teamlid`, issue 21 point 5) has rights for that
bijeenkomst alone: an organisator what a coördinator can do for it; a co-organisator their
own organisatie's people (`can_manage_aanmelding`), invitations and the programme; deur the
door list and check-in. Every predicate below is the one place a role is decided.
"""

from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Teamlid

ORGANISATOR = Teamlid.Rol.ORGANISATOR
CO_ORGANISATOR = Teamlid.Rol.CO_ORGANISATOR
DEUR = Teamlid.Rol.DEUR


def teamrollen(persoon) -> dict[int, Teamlid]:
    """The persoon's team memberships by bijeenkomst pk, read once per persoon object (a
    request's user): a page that asks many predicates asks the database once."""
    # The request's user carries whether they are in any team (werkplaats.backends).
    if not persoon.is_authenticated or getattr(persoon, "in_een_team", True) is False:
        return {}
    rollen = getattr(persoon, "_teamrollen", None)
    if rollen is None:
        rollen = {
            teamlid.bijeenkomst_id: teamlid
            for teamlid in Teamlid.objects.filter(persoon=persoon).select_related("organisatie")
        }
        persoon._teamrollen = rollen
    return rollen


def teamlid(persoon, bijeenkomst: Bijeenkomst | None) -> Teamlid | None:
    if bijeenkomst is None:
        return None
    return teamrollen(persoon).get(bijeenkomst.pk)


def _rol(persoon, bijeenkomst: Bijeenkomst | None) -> str | None:
    lid = teamlid(persoon, bijeenkomst)
    return lid.rol if lid is not None else None


def _coordinates(persoon) -> bool:
    return persoon.has_perm("bijeenkomsten.change_aanmelding")


def co_organisatie(persoon, bijeenkomst: Bijeenkomst):
    """The organisatie a co-organisator of this bijeenkomst acts for; None for anyone else."""
    lid = teamlid(persoon, bijeenkomst)
    if lid is None or lid.rol != CO_ORGANISATOR:
        return None
    return lid.organisatie


def can_view(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """A concept exists only for those who prepare it."""
    return bijeenkomst.status != Bijeenkomst.Status.CONCEPT or persoon.has_perm(
        "bijeenkomsten.view_bijeenkomst"
    )


def can_add_bijeenkomst(persoon) -> bool:
    return persoon.has_perm("bijeenkomsten.add_bijeenkomst")


def can_manage_aanmeldingen(persoon, bijeenkomst: Bijeenkomst | None) -> bool:
    """See who registered, register or cancel on someone's behalf. `bijeenkomst` None: any
    bijeenkomst (the coördinator's tools across all of them). A co-organisator manages only
    their own people (`can_manage_aanmelding`, `selectors.zichtbare_aanmeldingen`)."""
    if _coordinates(persoon):
        return True
    return _rol(persoon, bijeenkomst) in (ORGANISATOR, CO_ORGANISATOR)


def can_manage_all_aanmeldingen(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """What touches everyone's registrations: the order of the wachtlijst, offering the
    next place, an import, the log; a coördinator or the organisator."""
    return _coordinates(persoon) or _rol(persoon, bijeenkomst) == ORGANISATOR


def can_register_above_capacity(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """A place above capacity (a speaker, a guest of honour) takes nobody's place but is the
    whole bijeenkomst's decision: not a co-organisator's, who registers within the places."""
    return can_manage_all_aanmeldingen(persoon, bijeenkomst)


def can_manage_aanmelding(persoon, aanmelding: Aanmelding) -> bool:
    """Act on one registration (cancel it on someone's behalf): whoever manages them all,
    or a co-organisator when it is one of their organisatie's people."""
    bijeenkomst = aanmelding.bijeenkomst
    if can_manage_all_aanmeldingen(persoon, bijeenkomst):
        return True
    organisatie = co_organisatie(persoon, bijeenkomst)
    return (
        organisatie is not None
        and bijeenkomst.aanmeldingen.van_netwerk(organisatie).filter(pk=aanmelding.pk).exists()
    )


def can_open_beheer(persoon) -> bool:
    """The list of bijeenkomsten to manage: coördinatoren see all of them, a team member
    the ones they are on."""
    return _coordinates(persoon) or bool(teamrollen(persoon))


def can_manage_team(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Add, change or remove the team members of a bijeenkomst."""
    return can_change_bijeenkomst(persoon, bijeenkomst)


def can_print_badges(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Print the name badges and open the check-in page a badge's QR code leads to:
    whoever may use the door list, whose names and deelsessies the badges carry. Defined
    through it, so a role that widens the door list widens this too."""
    return can_check_in(persoon, bijeenkomst)


def can_change_bijeenkomst(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Edit, publish or cancel the bijeenkomst, change its capacity and quota."""
    if persoon.has_perm("bijeenkomsten.change_bijeenkomst"):
        return True
    return _rol(persoon, bijeenkomst) == ORGANISATOR


def can_invite(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Send invitations and remind the invited: part of managing who comes (a
    co-organisator for their own network)."""
    return can_manage_aanmeldingen(persoon, bijeenkomst)


def can_mail_aanmeldingen(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Write to everyone registered (or one status group)."""
    return can_manage_all_aanmeldingen(persoon, bijeenkomst)


def can_export(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Download the registrations (CSV/XLSX), answers included: all of them, or a
    co-organisator's own network's (`selectors.zichtbare_aanmeldingen`)."""
    return can_manage_aanmeldingen(persoon, bijeenkomst)


def can_import(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Register the rows of a CSV."""
    return can_manage_all_aanmeldingen(persoon, bijeenkomst)


def can_check_in(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """The door list (names, no answers, no e-mail), checking in and a walk-in at the door:
    a coördinator, the organisator and the deur helpers."""
    return _coordinates(persoon) or _rol(persoon, bijeenkomst) in (ORGANISATOR, DEUR)


def can_edit_questions(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Define the questions of the registration form: whoever may edit the bijeenkomst
    (its organisator included)."""
    return can_change_bijeenkomst(persoon, bijeenkomst)


def can_decide_requests(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Approve or decline registration requests: part of managing who comes."""
    return can_manage_all_aanmeldingen(persoon, bijeenkomst)


def can_edit_programme(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Keep the programme: its items, sprekers and deelsessies with their places: whoever
    may edit the bijeenkomst, and its co-organisatoren."""
    return can_change_bijeenkomst(persoon, bijeenkomst) or (
        _rol(persoon, bijeenkomst) == CO_ORGANISATOR
    )


def can_view_all_materials(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Every material of the programme (slides, links): its team always, whoever may view
    the bijeenkomst once it is over. Before then the others see only what the team marked
    to show at once (`Materiaal.direct_tonen`)."""
    if can_edit_programme(persoon, bijeenkomst):
        return True
    return can_view(persoon, bijeenkomst) and bijeenkomst.eind <= timezone.now()


def can_view_materiaal(persoon, materiaal) -> bool:
    bijeenkomst = materiaal.onderdeel.bijeenkomst
    if materiaal.direct_tonen and can_view(persoon, bijeenkomst):
        return True
    return can_view_all_materials(persoon, bijeenkomst)


def can_write_verslag(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Write the verslag and see its draft: whoever may edit the bijeenkomst (its
    organisator included), or a trekker of one of its leerateliers."""
    if not persoon.is_authenticated:
        return False
    if can_change_bijeenkomst(persoon, bijeenkomst):
        return True
    return bijeenkomst.leerateliers.filter(trekkers=persoon).exists()


def can_view_verslag(persoon, verslag) -> bool:
    """A published verslag shows once its bijeenkomst is over; a draft only to its writers."""
    if verslag is None:
        return False
    if verslag.is_gepubliceerd and verslag.bijeenkomst.eind <= timezone.now():
        return can_view(persoon, verslag.bijeenkomst)
    return can_write_verslag(persoon, verslag.bijeenkomst)


def can_download_bewijs(persoon, aanmelding: Aanmelding) -> bool:
    """A certificate of attendance is for who was checked in, once the bijeenkomst is over;
    the caller has already proven it is theirs (logged in as owner, or the personal link)."""
    return (
        aanmelding.aanwezig_op is not None
        and aanmelding.status == Aanmelding.Status.BEVESTIGD
        and aanmelding.bijeenkomst.status == Bijeenkomst.Status.GEPUBLICEERD
        and aanmelding.bijeenkomst.eind <= timezone.now()
    )


def can_view_evaluatie(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """The evaluation's results (anonymous counts and open answers): its verslag's writers,
    so a team role that widens `can_write_verslag` widens this too."""
    return can_write_verslag(persoon, bijeenkomst)


def can_send_evaluatie(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Mail the evaluation to those present: the same team as its results."""
    return can_write_verslag(persoon, bijeenkomst)
