"""Name badges for the door: a PDF of A4 label sheets, one label per confirmed attendee,
with their name, organisatie, the deelsessies they hold and a QR code to check them in.

The QR code is not the personal link: that link lives only in the person's mail (the
database keeps its hash), and printed on a badge anyone could photograph it would let
them cancel the registration. The badge carries a check-in link instead: the
registration's number signed with the secret key (its own salt, as the bewijs van
deelname's code), so it cannot be made up and the database keeps nothing for it. It opens
a page for whoever may see the door list, with the button that checks the person in; for
anyone else it opens nothing.
"""

import io
from collections.abc import Callable, Iterable
from pathlib import Path

import reportlab
from django.core import signing
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from bijeenkomsten.bewijs import ORGANISER
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from netwerk.outbox import qr_png

_SALT = "bijeenkomsten.badge"

# The sheet: A4 with 2 × 4 labels of 105 × 74 mm (Avery L7165/3483 and the like); the
# 1 mm of height the labels leave is split over the top and bottom edge.
SHEET_WIDTH, SHEET_HEIGHT = A4
LABEL_WIDTH = 105 * mm
LABEL_HEIGHT = 74 * mm
COLUMNS = 2
ROWS = 4
LABELS_PER_SHEET = COLUMNS * ROWS
SHEET_MARGIN_LEFT = (SHEET_WIDTH - COLUMNS * LABEL_WIDTH) / 2
SHEET_MARGIN_TOP = (SHEET_HEIGHT - ROWS * LABEL_HEIGHT) / 2
# Inside a label: printers do not print to the edge, and label sheets shift a little.
LABEL_PADDING = 7 * mm
QR_SIZE = 30 * mm

# Bitstream Vera, which ReportLab ships: unlike the PDF's own Helvetica (Latin-1 only) it
# has most letters of the Turkish, Polish and other names of the region (Ş, ğ, ı, Ł), not
# every one (ź, ő print as a blank box): a font of its own would be a new dependency.
FONT, FONT_BOLD = "BadgeVera", "BadgeVera-Bold"
_FONTS = Path(reportlab.__file__).parent / "fonts"
pdfmetrics.registerFont(TTFont(FONT, str(_FONTS / "Vera.ttf")))
pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONTS / "VeraBd.ttf")))
NAME_SIZES = (22, 12)  # largest and smallest size the name is set in to fit one line
ORGANISATIE_SIZES = (12, 9)
DETAIL_SIZE = 8.5
MAX_SESSION_LINES = 4


def code_for(aanmelding: Aanmelding) -> str:
    return signing.Signer(salt=_SALT, algorithm="sha256").sign(str(aanmelding.pk))


def aanmelding_for_code(code: str, *, bijeenkomst: Bijeenkomst) -> Aanmelding | None:
    """The registration of `bijeenkomst` a genuine badge code was printed for, in any
    status (the door sees that a cancelled one cannot be checked in), or None."""
    try:
        pk = int(signing.Signer(salt=_SALT, algorithm="sha256").unsign(code))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Aanmelding.objects.filter(pk=pk, bijeenkomst=bijeenkomst)
        .select_related("bijeenkomst", "aanwezig_gemeld_door")
        .first()
    )


def fitted(text: str, *, font: str, sizes: tuple[float, float], width: float):
    """(text, size): the largest size from `sizes` at which `text` fits `width`, or the
    smallest with the text shortened by an ellipsis."""
    largest, smallest = sizes
    size = largest
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    if stringWidth(text, font, size) <= width:
        return text, size
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…", size


def session_lines(aanmelding: Aanmelding) -> list[str]:
    """The deelsessies the attendee holds a place in, one line per ronde (`sessies`, as the
    door list prefetches them)."""
    return [keuze.deelsessie.titel for keuze in aanmelding.sessies][:MAX_SESSION_LINES]


def label_origin(index: int) -> tuple[float, float]:
    """The bottom-left corner of label `index` on its sheet: left to right, top down."""
    position = index % LABELS_PER_SHEET
    row, column = divmod(position, COLUMNS)
    x = SHEET_MARGIN_LEFT + column * LABEL_WIDTH
    y = SHEET_HEIGHT - SHEET_MARGIN_TOP - (row + 1) * LABEL_HEIGHT
    return x, y


def badges_pdf(
    aanmeldingen: Iterable[Aanmelding],
    *,
    bijeenkomst: Bijeenkomst,
    checkin_url: Callable[[Aanmelding], str],
) -> bytes:
    """The badges of `aanmeldingen`, in their order, eight to an A4 sheet. `checkin_url`
    gives the absolute check-in link for a registration's QR code."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("Badges: %(titel)s") % {"titel": bijeenkomst.titel})
    pdf.setAuthor(ORGANISER)
    heading = "{titel} · {datum}".format(
        titel=bijeenkomst.titel, datum=formats.date_format(localtime(bijeenkomst.start), "j F Y")
    )
    count = 0
    for count, aanmelding in enumerate(aanmeldingen, start=1):
        if count > 1 and (count - 1) % LABELS_PER_SHEET == 0:
            pdf.showPage()
        _draw_label(pdf, aanmelding, *label_origin(count - 1), heading, checkin_url(aanmelding))
    if count == 0:
        pdf.setFont(FONT, 12)
        pdf.drawString(25 * mm, SHEET_HEIGHT - 30 * mm, _("Er zijn geen bevestigde deelnemers."))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_label(pdf, aanmelding: Aanmelding, x: float, y: float, heading: str, url: str):
    left, top = x + LABEL_PADDING, y + LABEL_HEIGHT - LABEL_PADDING
    full_width = LABEL_WIDTH - 2 * LABEL_PADDING

    text, size = fitted(heading, font=FONT, sizes=(DETAIL_SIZE, DETAIL_SIZE), width=full_width)
    pdf.setFillGray(0.35)
    pdf.setFont(FONT, size)
    pdf.drawString(left, top - size, text)
    pdf.setFillGray(0)

    baseline = top - 12 * mm
    text, size = fitted(aanmelding.naam, font=FONT_BOLD, sizes=NAME_SIZES, width=full_width)
    pdf.setFont(FONT_BOLD, size)
    pdf.drawString(left, baseline, text)
    if aanmelding.organisatie:
        baseline -= 7 * mm
        text, size = fitted(
            aanmelding.organisatie, font=FONT, sizes=ORGANISATIE_SIZES, width=full_width
        )
        pdf.setFont(FONT, size)
        pdf.drawString(left, baseline, text)

    qr_x, qr_y = x + LABEL_WIDTH - LABEL_PADDING - QR_SIZE, y + LABEL_PADDING
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(url))), qr_x, qr_y, QR_SIZE, QR_SIZE)

    lines = session_lines(aanmelding)
    session_width = full_width - QR_SIZE - 4 * mm
    pdf.setFont(FONT, DETAIL_SIZE)
    line_y = y + LABEL_PADDING + (len(lines) - 1) * DETAIL_SIZE * 1.35
    for line in lines:
        text, size = fitted(line, font=FONT, sizes=(DETAIL_SIZE, 7), width=session_width)
        pdf.setFont(FONT, size)
        pdf.drawString(left, line_y, text)
        line_y -= DETAIL_SIZE * 1.35
