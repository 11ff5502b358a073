"""A project's documents (招标文件、附件): attached and removed by the owner while it is a draft;
public with the announcement once it is published (they are part of its terms, so a published
project's documents change only by cancelling and posting again)."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from bidding.models import Project, ProjectAttachment
from bidding.rules import check_can_change_documents
from bidding.services.common import ensure_owner, lock_project, now_or
from marketplace.audit import services as audit
from marketplace.errors import DomainError
from marketplace.files import checked_file_fields

# Enough for an announcement's documents; a cap keeps one project from filling the disk.
MAX_DOCUMENTS = 20


@transaction.atomic
def project_attach(*, project: Project, files: Sequence, by, now: dt.datetime | None = None
                   ) -> list[ProjectAttachment]:
    """Attach `files` to a draft. Every file is checked before anything is written, so one bad
    file refuses them all and nothing is stored."""
    now = now_or(now)
    project = lock_project(project)
    owner = ensure_owner(project, by)
    check_can_change_documents(project=project)
    files = [file for file in files if file is not None]
    if not files:
        raise DomainError(_("Choose at least one file to attach."), field="files")
    existing = ProjectAttachment.objects.filter(project=project).count()
    if existing + len(files) > MAX_DOCUMENTS:
        raise DomainError(_("A project can have at most %(max)s documents.")
                          % {"max": MAX_DOCUMENTS}, field="files")
    checked = [checked_file_fields(file, field="files", stem="document") for file in files]
    attachments = [ProjectAttachment.objects.create(project=project, uploaded_at=now, **fields)
                   for fields in checked]
    audit.record(action="project.documents_attached", actor=by, organization=owner,
                 obj=project, data={"documents": [
                     {"id": a.pk, "name": a.original_name, "sha256": a.sha256}
                     for a in attachments]}, now=now)
    return attachments


@transaction.atomic
def project_detach(*, attachment: ProjectAttachment, by, now: dt.datetime | None = None
                   ) -> None:
    """Remove a document from a draft (the stored file is deleted after commit)."""
    now = now_or(now)
    project = lock_project(attachment.project_id)
    owner = ensure_owner(project, by)
    check_can_change_documents(project=project)
    attachment = ProjectAttachment.objects.select_for_update().get(pk=attachment.pk)
    data = {"id": attachment.pk, "name": attachment.original_name, "sha256": attachment.sha256}
    stored, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    # Only once the row is surely gone: a rolled-back removal keeps its file.
    transaction.on_commit(lambda: storage.delete(stored))
    audit.record(action="project.document_removed", actor=by, organization=owner, obj=project,
                 data=data, now=now)
