"""The bewijs van deelname: a PDF certificate for who was checked in, and the code on it
that the verification page reads.

The code is the registration's number signed with the secret key (its own salt), so it
cannot be guessed or made up, and the database needs to keep nothing for it. The
verification page shows only that the certificate is genuine, for which bijeenkomst and
on which day: never the name, which the holder can show themselves.
"""

import io

from django.core import signing
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from bijeenkomsten.models import Aanmelding, Bijeenkomst

_SALT = "bijeenkomsten.bewijs-van-deelname"
ORGANISER = "Werkplaats Sociaal Domein Arnhem Nijmegen"


def code_for(aanmelding: Aanmelding) -> str:
    return signing.Signer(salt=_SALT, algorithm="sha256").sign(str(aanmelding.pk))


def aanmelding_for_code(code: str) -> Aanmelding | None:
    """The registration a genuine code was made for, if it still proves attendance."""
    try:
        pk = int(signing.Signer(salt=_SALT, algorithm="sha256").unsign(code))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Aanmelding.objects.filter(
            pk=pk,
            status=Aanmelding.Status.BEVESTIGD,
            aanwezig_op__isnull=False,
            bijeenkomst__status=Bijeenkomst.Status.GEPUBLICEERD,
        )
        .select_related("bijeenkomst")
        .first()
    )


def duration_text(aanmelding: Aanmelding) -> str:
    minutes = int(
        (aanmelding.bijeenkomst.eind - aanmelding.bijeenkomst.start).total_seconds() // 60
    )
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)s uur", "%(n)s uur", hours) % {"n": hours})
    if rest or not hours:
        parts.append(ngettext("%(n)s minuut", "%(n)s minuten", rest) % {"n": rest})
    return " ".join(parts)


def organiser_text(aanmelding: Aanmelding) -> str:
    names = [ORGANISER] + [o.naam for o in aanmelding.bijeenkomst.organisaties.order_by("naam")]
    return ", ".join(names)


def certificate_pdf(aanmelding: Aanmelding, *, verification_url: str) -> bytes:
    """One A4 page: who, which bijeenkomst, when, how long, organised by whom, and where
    anyone can check that it is genuine."""
    bijeenkomst = aanmelding.bijeenkomst
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("Bewijs van deelname"))
    pdf.setAuthor(ORGANISER)
    width, height = A4
    y = height - 4 * cm
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(width / 2, y, _("Bewijs van deelname"))
    y -= 2.5 * cm
    pdf.setFont("Helvetica", 12)
    pdf.drawCentredString(width / 2, y, _("Hierbij verklaren wij dat"))
    y -= 1.2 * cm
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawCentredString(width / 2, y, aanmelding.naam[:80])
    y -= 1.2 * cm
    pdf.setFont("Helvetica", 12)
    pdf.drawCentredString(width / 2, y, _("heeft deelgenomen aan"))
    y -= 1.2 * cm
    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawCentredString(width / 2, y, bijeenkomst.titel[:90])
    y -= 2 * cm
    pdf.setFont("Helvetica", 11)
    start = localtime(bijeenkomst.start)
    rows = [
        (_("Datum"), formats.date_format(start, "j F Y")),
        (_("Duur"), duration_text(aanmelding)),
        (_("Georganiseerd door"), organiser_text(aanmelding)[:110]),
    ]
    if bijeenkomst.locatie:
        rows.append((_("Locatie"), bijeenkomst.locatie[:110]))
    for label, value in rows:
        pdf.drawString(3 * cm, y, f"{label}:")
        pdf.drawString(7.5 * cm, y, value)
        y -= 0.8 * cm
    y -= 1.5 * cm
    pdf.setFont("Helvetica", 9)
    pdf.drawString(3 * cm, y, _("Controleer of dit bewijs echt is op:"))
    y -= 0.5 * cm
    pdf.drawString(3 * cm, y, verification_url)
    pdf.linkURL(verification_url, (3 * cm, y - 2, width - 3 * cm, y + 10), relative=0)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
