"""Who may do what with bijeenkomsten; used by views and templates alike.

The coördinator's rights are the bijeenkomsten permissions of the Coördinator group
(bijeenkomsten migration 0002); a beheerder (superuser) has every permission.
"""

from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Bijeenkomst


def can_view(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """A concept exists only for those who prepare it."""
    return bijeenkomst.status != Bijeenkomst.Status.CONCEPT or persoon.has_perm(
        "bijeenkomsten.view_bijeenkomst"
    )


def can_add_bijeenkomst(persoon) -> bool:
    return persoon.has_perm("bijeenkomsten.add_bijeenkomst")


def can_manage_aanmeldingen(persoon, bijeenkomst: Bijeenkomst | None) -> bool:
    """See who registered, register or cancel on someone's behalf, keep the wachtlijst.
    `bijeenkomst` None: any bijeenkomst (the coördinator's list of all of them)."""
    return persoon.has_perm("bijeenkomsten.change_aanmelding")


def can_print_badges(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Print the name badges and open the check-in page a badge's QR code leads to:
    whoever may use the door list, whose names and deelsessies the badges carry. Defined
    through it, so a role that widens the door list widens this too."""
    return can_manage_aanmeldingen(persoon, bijeenkomst)


def can_change_bijeenkomst(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Edit, publish or cancel the bijeenkomst, change its capacity."""
    return persoon.has_perm("bijeenkomsten.change_bijeenkomst")


def can_invite(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Send invitations and remind the invited: part of managing who comes."""
    return persoon.has_perm("bijeenkomsten.change_aanmelding")


def can_mail_aanmeldingen(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Write to everyone registered (or one status group)."""
    return persoon.has_perm("bijeenkomsten.change_aanmelding")


def can_edit_questions(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Define the questions of the registration form: whoever may edit the bijeenkomst
    (the one place a team role of the bijeenkomst will widen this)."""
    return can_change_bijeenkomst(persoon, bijeenkomst)


def can_decide_requests(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Approve or decline registration requests: part of managing who comes."""
    return can_manage_aanmeldingen(persoon, bijeenkomst)


def can_edit_programme(persoon, bijeenkomst: Bijeenkomst) -> bool:
    """Keep the programme: its items, sprekers and deelsessies with their places. For now
    whoever may edit the bijeenkomst; the one place to widen for a team per bijeenkomst."""
    return can_change_bijeenkomst(persoon, bijeenkomst)


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
    """Write the verslag and see its draft: whoever may edit the bijeenkomst, or a trekker
    of one of its leerateliers. The one place to widen when bijeenkomsten get a team."""
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
