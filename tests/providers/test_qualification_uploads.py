"""Declaring a qualification: uploads are checked by content and stored under our name."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed
from providers import services
from providers.models import Qualification
from tests.conftest import client_for
from tests.factories.providers import (
    DOCX,
    GIF,
    TINY_JPEG,
    TINY_PDF,
    TINY_PNG,
    WINDOWS_EXE,
    qualification_type,
    upload,
)

pytestmark = pytest.mark.django_db


def declare(agency, by, file, **overrides):
    values = {
        "qualification_type": qualification_type("EIA"),
        "number": "国环评证甲字第1234号",
        "issuer": "生态环境部",
        "valid_until": timezone.localdate() + dt.timedelta(days=400),
    }
    return services.qualification_declare(agency=agency, by=by, file=file,
                                          **{**values, **overrides})


@pytest.mark.parametrize(("name", "content", "content_type", "suffix"), [
    ("营业执照 扫描件.PDF", TINY_PDF, "application/pdf", ".pdf"),
    ("scan.png", TINY_PNG, "image/png", ".png"),
    ("photo.jpeg", TINY_JPEG, "image/jpeg", ".jpg"),
])
def test_pdf_png_and_jpeg_scans_are_accepted_and_stored_under_our_name(
        agency, agency_admin, name, content, content_type, suffix):
    qualification = declare(agency, agency_admin, upload(name, content))

    qualification.refresh_from_db()
    assert qualification.status == Qualification.Status.DECLARED
    assert qualification.file_content_type == content_type
    stored = qualification.file.name
    assert stored.startswith(f"qualifications/{agency.pk}/")
    assert stored.endswith(suffix)
    assert "扫描件" not in stored and "scan" not in stored.rsplit("/", 1)[1]
    with qualification.file.open("rb") as handle:
        assert handle.read() == content


def test_declaring_is_audited(agency, agency_admin):
    qualification = declare(agency, agency_admin, upload())
    entry = AuditEntry.objects.get(action="qualification.declared")
    assert entry.object_id == str(qualification.pk)
    assert entry.data["type"] == "EIA"
    assert entry.data["file_kind"] == "pdf"


@pytest.mark.parametrize(("name", "content"), [
    ("certificate.pdf", WINDOWS_EXE),   # a renamed .exe
    ("certificate.exe", WINDOWS_EXE),
    ("scan.gif", GIF),
    ("certificate.docx", DOCX),
    ("scan.png", TINY_PDF),             # content and extension disagree
])
def test_unacceptable_files_are_refused_and_nothing_is_stored(agency, agency_admin, name,
                                                               content):
    with pytest.raises(DomainError) as refused:
        declare(agency, agency_admin, upload(name, content))
    assert refused.value.field == "file"
    assert not Qualification.objects.exists()


def test_an_oversized_scan_is_refused(agency, agency_admin, settings):
    settings.MARKETPLACE_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(DomainError) as refused:
        declare(agency, agency_admin, upload("big.pdf", TINY_PDF + b"0" * 1024))
    assert refused.value.field == "file"


def test_an_already_expired_certificate_is_refused(agency, agency_admin):
    with pytest.raises(DomainError) as refused:
        declare(agency, agency_admin, upload(),
                valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert refused.value.field == "valid_until"


def test_the_same_certificate_cannot_be_declared_twice(agency, agency_admin):
    declare(agency, agency_admin, upload())
    with pytest.raises(DomainError) as refused:
        declare(agency, agency_admin, upload())
    assert refused.value.field == "number"


def test_only_the_agency_admin_declares(agency, agency_staff, regulator_user):
    for user in (agency_staff, regulator_user):
        with pytest.raises(NotAllowed) as refused:
            declare(agency, user, upload())
        assert refused.value.code == "not_allowed"


def test_the_page_shows_a_refused_upload_on_the_file_field(client, agency, agency_admin):
    client.force_login(agency_admin)
    response = client.post(reverse("providers:qualification_declare"), {
        "type": "EIA", "number": "123", "issuer": "生态环境部",
        "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "file": upload("certificate.pdf", WINDOWS_EXE),
    })
    assert response.status_code == 200
    assert "不支持该文件类型" in str(response.context["form"].errors["file"])
    assert not Qualification.objects.exists()


def test_the_page_declares_a_qualification(client, agency, agency_admin):
    client.force_login(agency_admin)
    response = client.post(reverse("providers:qualification_declare"), {
        "type": "CMA", "number": "CMA-2026-001", "issuer": "重庆市市场监督管理局",
        "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "file": upload("cma.png", TINY_PNG),
    })
    assert response.status_code == 302
    assert Qualification.objects.get().qualification_type.code == "CMA"


def test_the_api_refuses_a_renamed_program_with_a_400_on_file(agency, agency_admin):
    response = client_for(agency_admin).post(reverse("api:my_qualifications"), {
        "type": "EIA", "number": "123", "issuer": "生态环境部",
        "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "file": upload("certificate.pdf", WINDOWS_EXE),
    }, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "upload.type_not_accepted"
    body = response.json()
    assert body.pop("code") == "upload.type_not_accepted"
    assert list(body) == ["file"]
