"""Kennisproducten and the files they carry, made in memory: real PDFs (pypdf) and real
OOXML zips, so the content checks are tested against what they meet in use."""

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kennisbank.models import DossierOnderdeel, Kennisdossier, Kennisproduct


def pdf_bytes(text: str = "Samenwerken in de wijk", *, javascript: str | None = None) -> bytes:
    """A one-page PDF whose page shows `text` (a Helvetica text object)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    catalog = b"<< /Type /Catalog /Pages 2 0 R%s >>" % (
        b" /OpenAction 6 0 R" if javascript else b""
    )
    objects = [
        catalog,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if javascript:
        objects.append(b"<< /S /JavaScript /JS (%s) >>" % javascript.encode("latin-1"))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def ooxml_bytes(kind: str = "docx", *, macro: bool = False, padding: int = 0) -> bytes:
    """A minimal DOCX, PPTX or XLSX; `macro` adds a vbaProject.bin, `padding` a part of that
    many zero bytes (which compresses a thousandfold: a zip bomb in small)."""
    main = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml", "xlsx": "xl/workbook.xml"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(main[kind], '<?xml version="1.0"?><document/>')
        if macro:
            archive.writestr(main[kind].split("/")[0] + "/vbaProject.bin", b"\x00" * 100)
        if padding:
            archive.writestr("customXml/item1.xml", b"\x00" * padding)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


class KennisproductFactory(factory.django.DjangoModelFactory):
    """A published product behind a link; pass `bestand=upload(...)` and `bestand_type` for
    one with a file."""

    class Meta:
        model = Kennisproduct
        skip_postgeneration_save = True

    titel = factory.Sequence(lambda n: f"Kennisproduct {n}")
    slug = factory.Sequence(lambda n: f"kennisproduct-{n}")
    soort = Kennisproduct.Soort.PUBLICATIE
    samenvatting = "Wat we leerden over samenwerken in de wijk."
    jaar = 2024
    link = factory.Sequence(lambda n: f"https://example.org/publicatie/{n}")
    status = Kennisproduct.Status.GEPUBLICEERD
    gepubliceerd_op = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def leerateliers(self, create, extracted, **kwargs):
        if create and extracted:
            self.leerateliers.add(*extracted)

    @factory.post_generation
    def themas(self, create, extracted, **kwargs):
        if create and extracted:
            self.themas.add(*extracted)

    @factory.post_generation
    def voorwaarden(self, create, extracted, **kwargs):
        if create and extracted:
            self.voorwaarden.add(*extracted)


class KennisdossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kennisdossier

    titel = factory.Sequence(lambda n: f"Kennisdossier {n}")
    slug = factory.Sequence(lambda n: f"kennisdossier-{n}")
    samenvatting = "Alles over ervaringsdeskundigheid."
    gepubliceerd = True


class DossierOnderdeelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DossierOnderdeel

    dossier = factory.SubFactory(KennisdossierFactory)
