"""Kennisproducten and the files they carry, made in memory: real PDFs (pypdf) and real
OOXML zips, so the content checks are tested against what they meet in use."""

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kennisbank.demo import simple_pdf
from kennisbank.models import DossierOnderdeel, Kennisdossier, Kennisproduct


def pdf_bytes(text: str = "Samenwerken in de wijk", *, javascript: str | None = None) -> bytes:
    return simple_pdf(text, javascript=javascript)


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
