"""Checked, private attachments: one abstract model and one way in and out for every app.

Project documents, bid attachments, objection evidence, deliverables and evidence files all go
through `checked_file_fields` (content-checked by `marketplace.uploads.check_upload`, renamed,
hashed) and are streamed by `file_response` after the caller's permission check: they live in
private storage and never get a public URL.
"""

import hashlib
import io
import uuid
from pathlib import PurePath

from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.uploads import canonical_name, check_upload, content_type_of, private_storage


def checked_upload_to(instance, filename: str) -> str:
    # The stored name is ours, never the uploader's: only the checked extension survives.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"{instance.upload_folder}/{uuid.uuid4().hex}{suffix}"


class CheckedFile(models.Model):
    """A file whose content was checked on the way in; `sha256` lets parties verify it later."""

    upload_folder = "files"

    file = models.FileField(_("file"), upload_to=checked_upload_to, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


def _sha256_of(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def checked_file_fields(file, *, field: str = "files", stem: str = "file",
                        allowed=("pdf", "jpeg", "png")) -> dict:
    """The fields of a `CheckedFile` row for an upload, or a DomainError naming `field`.

    Call it before writing anything, for every file of the action, so that one bad file
    refuses the whole action and nothing is half-stored.
    """
    kind = check_upload(file, allowed=allowed, field=field)
    original_name = PurePath(getattr(file, "name", "") or "").name[:200] or canonical_name(kind)
    fields = {"original_name": original_name, "content_type": content_type_of(kind),
              "size": file.size, "sha256": _sha256_of(file)}
    file.name = canonical_name(kind, stem=stem)
    return {"file": file, **fields}


def file_response(stored: CheckedFile, *, download_name: str | None = None,
                  content: bytes | None = None) -> FileResponse:
    """Stream a stored file; the caller has already checked that the viewer may read it.
    `content`: the file's plaintext when the stored file is encrypted (the caller decrypted)."""
    body = stored.file.open("rb") if content is None else io.BytesIO(content)
    response = FileResponse(body, content_type=stored.content_type,
                            as_attachment=True,
                            filename=download_name or stored.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
