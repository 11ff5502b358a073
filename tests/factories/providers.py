"""Factories for the providers app: services with commitments, qualifications with scans."""

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.catalog.models import ServiceItem
from providers.models import AgencyService, Qualification, QualificationType
from tests.factories.accounts import AgencyFactory

# Tiny but well-formed files of each accepted kind.
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
TINY_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00"
            b"\x00\x00:~\x9bU\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00"
            b"\x00\x00IEND\xaeB`\x82")
TINY_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00;"
DOCX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"\x00" * 32


def upload(name: str = "certificate.pdf", content: bytes = TINY_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def service_item(code: str = "EIA-R") -> ServiceItem:
    return ServiceItem.objects.get(code=code)


def qualification_type(code: str = "EIA") -> QualificationType:
    """One of the types the data migration loads."""
    return QualificationType.objects.get(code=code)


class AgencyServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyService

    agency = factory.SubFactory(AgencyFactory)
    service_item = factory.LazyFunction(service_item)
    promised_days = 30
    fee_standard = "按国家指导价下浮20%收取"
    fee_max = Decimal("50000.00")
    service_standard = "符合《建设项目环境影响评价技术导则》，通过专家评审"


class QualificationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualificationType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TEST-{n}")
    name = factory.Sequence(lambda n: f"测试资质{n}")
    name_en = factory.Sequence(lambda n: f"Test qualification {n}")


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    agency = factory.SubFactory(AgencyFactory)
    qualification_type = factory.LazyFunction(qualification_type)
    number = factory.Sequence(lambda n: f"渝环评证{n:06d}")
    issuer = "重庆市生态环境局"
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))
    file = factory.django.FileField(data=TINY_PDF, filename="scan.pdf")
    file_content_type = "application/pdf"
    status = Qualification.Status.DECLARED
