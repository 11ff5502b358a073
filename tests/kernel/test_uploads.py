"""marketplace.uploads.check_upload: content decides, the name must agree, size is capped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.errors import DomainError
from marketplace.uploads import DEFAULT_MAX_UPLOAD_BYTES, check_upload, private_storage
from tests.factories.providers import DOCX, GIF, TINY_JPEG, TINY_PDF, TINY_PNG, WINDOWS_EXE


def upload(name, content, content_type="application/pdf"):
    # The claimed content type is deliberately wrong or flattering: it must not matter.
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("licence.pdf", TINY_PDF, "pdf"),
    ("LICENCE.PDF", TINY_PDF, "pdf"),
    ("scan.png", TINY_PNG, "png"),
    ("scan.jpg", TINY_JPEG, "jpeg"),
    ("scan.jpeg", TINY_JPEG, "jpeg"),
])
def test_pdf_png_and_jpeg_are_recognised_by_content(name, content, kind):
    assert check_upload(upload(name, content, "application/octet-stream")) == kind


def test_a_renamed_program_is_refused():
    with pytest.raises(DomainError) as refused:
        check_upload(upload("certificate.pdf", WINDOWS_EXE))
    assert refused.value.field == "file"
    assert "不支持该文件类型" in str(refused.value.message)


@pytest.mark.parametrize(("name", "content"), [("scan.gif", GIF), ("certificate.docx", DOCX)])
def test_other_types_are_refused(name, content):
    with pytest.raises(DomainError) as refused:
        check_upload(upload(name, content))
    assert refused.value.code == "upload.type_not_accepted"


@pytest.mark.parametrize(("name", "content"), [
    ("scan.png", TINY_PDF),      # a PDF named .png
    ("scan.pdf", TINY_JPEG),     # a JPEG named .pdf
    ("scan", TINY_PDF),          # no extension
    ("scan.exe", TINY_PNG),
])
def test_the_extension_must_agree_with_the_content(name, content):
    with pytest.raises(DomainError) as refused:
        check_upload(upload(name, content))
    assert refused.value.field == "file"


def test_a_file_over_the_default_limit_of_10_mb_is_refused():
    assert DEFAULT_MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    big = TINY_PDF + b"0" * (DEFAULT_MAX_UPLOAD_BYTES + 1 - len(TINY_PDF))
    with pytest.raises(DomainError) as refused:
        check_upload(upload("big.pdf", big))
    assert "文件过大" in str(refused.value.message)
    exactly = big[:DEFAULT_MAX_UPLOAD_BYTES]
    assert check_upload(upload("limit.pdf", exactly)) == "pdf"


def test_the_limit_comes_from_settings(settings):
    settings.MARKETPLACE_MAX_UPLOAD_BYTES = 100
    with pytest.raises(DomainError) as refused:
        check_upload(upload("scan.pdf", TINY_PDF + b" " * 100))
    assert refused.value.code == "upload.too_large"


def test_empty_and_missing_files_are_refused():
    with pytest.raises(DomainError) as refused:
        check_upload(upload("empty.pdf", b""))
    assert refused.value.code == "invalid"
    with pytest.raises(DomainError) as refused:
        check_upload(None)
    assert refused.value.code == "invalid"


def test_allowed_kinds_can_be_narrowed():
    with pytest.raises(DomainError) as refused:
        check_upload(upload("scan.png", TINY_PNG), allowed=("pdf",))
    assert refused.value.code == "upload.type_not_accepted"


def test_the_field_name_is_reported(settings):
    with pytest.raises(DomainError) as refused:
        check_upload(upload("a.gif", GIF), field="attachment")
    assert refused.value.field == "attachment"


def test_check_leaves_the_file_readable_from_the_start():
    file = upload("scan.pdf", TINY_PDF)
    check_upload(file)
    assert file.read() == TINY_PDF


def test_private_files_live_outside_media_root_and_have_no_url(settings, tmp_path):
    storage = private_storage()
    assert not str(storage.location).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        storage.url("qualifications/1/x.pdf")
