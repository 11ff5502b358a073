"""Checking uploaded files by their content, and keeping private files private.

Every upload (qualification scans, bid attachments, deliverables) goes through `check_upload`:
the first bytes decide what the file is, whatever its name or the browser's content type claim,
and the name's extension must agree with the content. Files that only some users may read are
stored with `private_storage`, outside MEDIA_ROOT, and streamed by a view after a permission
check; they never get a public URL.
"""

from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.template.defaultfilters import filesizeformat
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    name: str
    label: str
    magic: bytes
    extensions: tuple[str, ...]  # the first one is the canonical extension
    content_type: str


KINDS: dict[str, FileKind] = {
    kind.name: kind
    for kind in (
        FileKind("pdf", "PDF", b"%PDF-", (".pdf",), "application/pdf"),
        FileKind("jpeg", "JPEG", b"\xff\xd8\xff", (".jpg", ".jpeg"), "image/jpeg"),
        FileKind("png", "PNG", b"\x89PNG\r\n\x1a\n", (".png",), "image/png"),
    )
}
_HEADER_BYTES = max(len(kind.magic) for kind in KINDS.values())


def max_upload_bytes() -> int:
    return int(getattr(settings, "MARKETPLACE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def accepted_description(allowed=("pdf", "jpeg", "png")) -> str:
    """"PDF, JPEG or PNG, at most 10.0 MB": for help texts next to file inputs."""
    labels = [KINDS[name].label for name in allowed]
    kinds = labels[0] if len(labels) == 1 else _("%(kinds)s or %(last)s") % {
        "kinds": ", ".join(labels[:-1]), "last": labels[-1]}
    return _("%(kinds)s, at most %(size)s.") % {
        "kinds": kinds, "size": filesizeformat(max_upload_bytes())}


def _size_of(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(position)
    return size


def _read_header(file) -> bytes:
    file.seek(0)
    header = file.read(_HEADER_BYTES)
    file.seek(0)
    return header or b""


def detect_kind(file) -> str | None:
    header = _read_header(file)
    for kind in KINDS.values():
        if header.startswith(kind.magic):
            return kind.name
    return None


def check_upload(file, *, allowed=("pdf", "jpeg", "png"), field: str = "file") -> str:
    """The kind of `file` ("pdf", "jpeg" or "png") if it may be stored; else a DomainError.

    The browser's content type is never trusted: only the leading bytes count, and the file
    name's extension must name the same kind (a renamed program is refused, and so is a PDF
    called .png, which some viewers would mishandle).
    """
    if file is None:
        raise DomainError(_("Choose a file to upload."), field=field)
    size = _size_of(file)
    if size == 0:
        raise DomainError(_("The file is empty."), field=field)
    limit = max_upload_bytes()
    if size > limit:
        raise DomainError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            field=field, code="upload.too_large",
        )
    detected = detect_kind(file)
    if detected is None or detected not in allowed:
        raise DomainError(
            _("This file type is not accepted. Upload %(accepted)s")
            % {"accepted": accepted_description(allowed)},
            field=field, code="upload.type_not_accepted",
        )
    extension = PurePath(getattr(file, "name", "") or "").suffix.lower()
    if extension not in KINDS[detected].extensions:
        raise DomainError(
            _("The file name ends in “%(extension)s” but the file is a %(kind)s file. "
              "Rename it to end in “%(expected)s”.")
            % {"extension": extension or _("(no extension)"), "kind": KINDS[detected].label,
               "expected": KINDS[detected].extensions[0]},
            field=field, code="upload.extension_mismatch",
        )
    return detected


def canonical_name(kind: str, stem: str = "file") -> str:
    """A safe file name for a checked upload: the user's name never reaches the disk."""
    return f"{stem}{KINDS[kind].extensions[0]}"


def content_type_of(kind: str) -> str:
    return KINDS[kind].content_type


class PrivateFileSystemStorage(FileSystemStorage):
    """Local storage outside MEDIA_ROOT, so no static or media route can ever serve it.

    Defaults to a `private` folder beside MEDIA_ROOT (var/private), or
    MARKETPLACE_PRIVATE_MEDIA_ROOT when set.
    """

    @cached_property
    def base_location(self):
        configured = getattr(settings, "MARKETPLACE_PRIVATE_MEDIA_ROOT", None)
        return self._value_or_setting(
            self._location, configured or Path(settings.MEDIA_ROOT).parent / "private"
        )

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "MARKETPLACE_PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a permission check.")


_private_file_system_storage = PrivateFileSystemStorage()


def private_storage():
    """The storage for files only some users may read (`STORAGES["private"]` when configured,
    e.g. a private S3 bucket; else local files outside MEDIA_ROOT)."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return _private_file_system_storage
