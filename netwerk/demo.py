"""Demo content of the netwerk app: invented people at example.org / example.nl only."""

from allauth.account.models import EmailAddress

from netwerk.models import Persoon

BEHEERDER_EMAIL = "beheer@example.org"
DEMO_PASSWORD = "werkplaats-demo"


def ensure_persoon(*, email: str, naam: str, password: str | None = None, **fields) -> Persoon:
    """Create a demo person with a verified address, or return the existing one."""
    persoon, created = Persoon.objects.get_or_create(email=email, defaults={"naam": naam, **fields})
    if created:
        if password:
            persoon.set_password(password)
        else:
            persoon.set_unusable_password()
        persoon.save()
        EmailAddress.objects.get_or_create(
            user=persoon, email=email, defaults={"primary": True, "verified": True}
        )
    return persoon


def seed(*, scale: int, stdout) -> None:
    ensure_persoon(
        email=BEHEERDER_EMAIL,
        naam="Demi Beheer",
        password=DEMO_PASSWORD,
        is_staff=True,
        is_superuser=True,
    )
    stdout.write(
        f"Demo beheerder: log in as {BEHEERDER_EMAIL} with password {DEMO_PASSWORD!r} "
        "(also at /beheer/)."
    )
