"""Who may see the reach report: whoever may see the registrations of bijeenkomsten (the
Coördinator group and beheerders), since the report counts them."""


def can_view_bereik(persoon) -> bool:
    return persoon.is_authenticated and persoon.has_perm("bijeenkomsten.view_aanmelding")
