"""Kennisproducten and the files they carry, made in memory: real PDFs (pypdf) and real
OOXML zips, so the content checks are tested against what they meet in use."""

import io
import zipfile
from xml.sax.saxutils import escape

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kennisbank.demo import simple_pdf
from kennisbank.models import DossierOnderdeel, Kennisdossier, Kennisproduct


def pdf_bytes(text: str = "Samenwerken in de wijk", *, javascript: str | None = None) -> bytes:
    return simple_pdf(text, javascript=javascript)


def ooxml_bytes(
    kind: str = "docx", *, macro: bool = False, padding: int = 0, text: str = ""
) -> bytes:
    """A minimal DOCX, PPTX or XLSX; `macro` adds a vbaProject.bin, `padding` a part of that
    many zero bytes (which compresses a thousandfold: a zip bomb in small), `text` its
    words, a paragraph (slide, shared string) per line, where each kind keeps them."""
    main = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml", "xlsx": "xl/workbook.xml"}
    lines = [escape(line) for line in text.splitlines()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        if kind == "docx":
            body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
            archive.writestr(
                main[kind],
                f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>',
            )
        else:
            archive.writestr(main[kind], '<?xml version="1.0"?><document/>')
        if kind == "pptx":
            # Slide 10 after slide 2: the order of the numbers, not of the names.
            for number, line in zip((2, 10, 11, 12, 13, 14, 15), lines, strict=False):
                archive.writestr(
                    f"ppt/slides/slide{number}.xml",
                    f'<?xml version="1.0"?><p:sld {P}>'
                    f"<a:p><a:r><a:t>{line}</a:t></a:r></a:p></p:sld>",
                )
        if kind == "xlsx" and lines:
            items = "".join(f"<si><t>{line}</t></si>" for line in lines)
            archive.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {S}>{items}</sst>')
        if macro:
            archive.writestr(main[kind].split("/")[0] + "/vbaProject.bin", b"\x00" * 100)
        if padding:
            archive.writestr("customXml/item1.xml", b"\x00" * padding)
    return out.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
P = (
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
)
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


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
