"""Project documents: attached to a draft by its owner (every file checked by content before
anything is written), public with the announcement once published, a draft's only for its
owner; removed only while a draft; every change audited."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from bidding import services
from bidding.models import Project, ProjectAttachment
from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed, StateConflict
from tests.factories.accounts import AgencyFactory, OwnerFactory
from tests.factories.bidding import T0, ProjectFactory, publish, user_of
from tests.factories.owner_pages import browser_as, project_form_data
from tests.factories.providers import TINY_PDF, TINY_PNG, WINDOWS_EXE, upload

pytestmark = pytest.mark.django_db
DEADLINE = T0 + dt.timedelta(days=5)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(T0, tick=False):
        yield


def private_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT).parent / "private"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_documents_are_attached_when_the_draft_is_posted():
    owner = OwnerFactory()
    data = project_form_data(deadline=DEADLINE)
    data["documents"] = [upload("招标文件.pdf", TINY_PDF), upload("位置图.png", TINY_PNG)]
    response = browser_as(owner).post("/workspace/projects/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(owner=owner)
    documents = list(project.attachments.order_by("id"))
    assert [d.original_name for d in documents] == ["招标文件.pdf", "位置图.png"]
    assert [d.content_type for d in documents] == ["application/pdf", "image/png"]
    assert len(private_files()) == 2
    assert AuditEntry.objects.filter(action="project.documents_attached",
                                     object_id=str(project.pk)).count() == 1


def test_one_bad_file_refuses_the_whole_post_and_nothing_is_stored():
    owner = OwnerFactory()
    data = project_form_data(deadline=DEADLINE)
    data["documents"] = [upload("招标文件.pdf", TINY_PDF), upload("说明.pdf", WINDOWS_EXE)]
    response = browser_as(owner).post("/workspace/projects/new/", data)
    assert response.status_code == 200
    assert "This file type is not accepted" in " ".join(
        response.context["form"].errors["documents"])
    assert not Project.objects.filter(owner=owner).exists()
    assert not ProjectAttachment.objects.exists()
    assert private_files() == []


def test_a_renamed_file_is_refused_on_the_workspace_form():
    project = ProjectFactory()
    response = browser_as(project.owner).post(
        f"/workspace/projects/{project.pk}/documents/",
        {"documents-documents": [upload("map.png", TINY_PDF)]})
    assert response.status_code == 400
    assert "The file name ends in “.png” but the file is a PDF file." in response.content.decode()
    assert "Rename it" in response.content.decode()
    assert not project.attachments.exists() and private_files() == []


def test_the_attach_service_checks_every_file_first():
    project = ProjectFactory()
    with pytest.raises(DomainError) as refused:
        services.project_attach(project=project, by=user_of(project.owner),
                                files=[upload("a.pdf"), upload("b.pdf", b"")])
    assert refused.value.field == "files"
    assert not project.attachments.exists() and private_files() == []


def test_only_the_owner_attaches_and_only_to_a_draft():
    project = ProjectFactory(bid_deadline=DEADLINE)
    with pytest.raises(NotAllowed) as refused:
        services.project_attach(project=project, by=user_of(OwnerFactory()),
                                files=[upload()])
    assert refused.value.code == "not_allowed"
    publish(project, now=T0)
    with pytest.raises(StateConflict) as refused:
        services.project_attach(project=project, by=user_of(project.owner), files=[upload()])
    assert refused.value.code == "state.conflict"
    assert not project.attachments.exists()


def test_a_draft_document_is_removed_and_its_file_deleted(
        django_capture_on_commit_callbacks):
    project = ProjectFactory()
    browser = browser_as(project.owner)
    browser.post(f"/workspace/projects/{project.pk}/documents/",
                 {"documents-documents": [upload("a.pdf")]})
    document = project.attachments.get()
    assert len(private_files()) == 1
    with pytest.raises(NotAllowed) as refused:
        services.project_detach(attachment=document, by=user_of(OwnerFactory()))
    assert refused.value.code == "not_allowed"
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            f"/workspace/projects/{project.pk}/documents/{document.pk}/remove/")
    assert response.status_code == 302
    assert not project.attachments.exists()
    assert private_files() == []
    assert AuditEntry.objects.filter(action="project.document_removed").count() == 1


def test_documents_of_a_published_project_cannot_be_removed():
    project = ProjectFactory(bid_deadline=DEADLINE)
    services.project_attach(project=project, by=user_of(project.owner), files=[upload()])
    publish(project, now=T0)
    document = project.attachments.get()
    response = browser_as(project.owner).post(
        f"/workspace/projects/{project.pk}/documents/{document.pk}/remove/")
    assert response.status_code == 409
    assert "Documents can be changed only while the project is a" in response.content.decode()
    assert project.attachments.count() == 1


def test_a_draft_document_is_downloadable_by_its_owner_only():
    project = ProjectFactory()
    services.project_attach(project=project, by=user_of(project.owner),
                            files=[upload("招标文件.pdf")])
    document = project.attachments.get()
    url = f"/projects/{project.pk}/documents/{document.pk}/"
    response = browser_as(project.owner).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Content-Type"] == "application/pdf"
    for stranger in (None, OwnerFactory(), AgencyFactory()):
        assert browser_as(stranger).get(url).status_code == 404


def test_published_documents_are_public_and_listed_on_the_announcement():
    project = ProjectFactory(bid_deadline=DEADLINE)
    services.project_attach(project=project, by=user_of(project.owner),
                            files=[upload("招标文件.pdf")])
    publish(project, now=T0)
    document = project.attachments.get()
    url = f"/projects/{project.pk}/documents/{document.pk}/"
    page = browser_as().get(f"/projects/{project.pk}/").content.decode()
    assert url in page and "招标文件.pdf" in page and document.sha256 in page
    response = browser_as().get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    other = ProjectFactory()
    assert browser_as().get(f"/projects/{other.pk}/documents/{document.pk}/").status_code == 404
