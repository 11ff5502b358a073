"""Uploads for tests: small files whose first bytes are what `check_upload` looks for."""

from django.core.files.uploadedfile import SimpleUploadedFile

PNG_HEADER = b"\x89PNG\r\n\x1a\n"


def pdf(name: str = "方案.pdf", body: bytes = b"technical proposal") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + body + b"\n%%EOF\n",
                              content_type="application/pdf")


def png(name: str = "scan.png", body: bytes = b"pixels") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_HEADER + body, content_type="image/png")


def program(name: str = "virus.pdf") -> SimpleUploadedFile:
    """A Windows program dressed up as a PDF."""
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 64,
                              content_type="application/pdf")
