"""A project's documents through the API (issue 17 §5): listed and downloaded by whoever may
see the project (a draft's only by its owner), uploaded by the owner while the project is a
draft (the page's rule), every file checked by its content like the page's: a bad one refuses
the upload with a clear 400 and nothing is stored."""

import datetime as dt

import pytest
import time_machine

from bidding import services
from bidding.models import ProjectAttachment
from marketplace.audit.models import AuditEntry
from tests.conftest import client_for
from tests.factories.accounts import AgencyFactory, OwnerFactory
from tests.factories.bidding import T0, ProjectFactory, publish, user_of
from tests.factories.providers import TINY_PDF, TINY_PNG, WINDOWS_EXE, upload

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(T0, tick=False):
        yield


def _draft_with_document():
    project = ProjectFactory(bid_deadline=T0 + dt.timedelta(days=5))
    services.project_attach(project=project, by=user_of(project.owner),
                            files=[upload("招标文件.pdf", TINY_PDF)])
    return project


def _url(project, tail=""):
    return f"/api/v1/projects/{project.pk}/documents/{tail}"


def test_anyone_lists_and_downloads_a_published_projects_documents(api_client):
    project = publish(_draft_with_document(), now=T0)

    listed = api_client.get(_url(project))

    assert listed.status_code == 200
    (document,) = listed.data["results"]
    assert (document["name"], document["content_type"]) == ("招标文件.pdf", "application/pdf")
    assert document["size"] == len(TINY_PDF) and len(document["sha256"]) == 64
    assert document["url"].endswith(_url(project, f"{document['id']}/download/"))
    download = api_client.get(_url(project, f"{document['id']}/download/"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == TINY_PDF
    assert "attachment" in download["Content-Disposition"]


def test_a_drafts_documents_are_invisible_to_others():
    project = _draft_with_document()
    document = project.attachments.get()
    others = [client_for(user_of(OwnerFactory())), client_for(user_of(AgencyFactory()))]

    for client in others:
        assert client.get(_url(project)).status_code == 404
        assert client.get(_url(project, f"{document.pk}/download/")).status_code == 404
    owner = client_for(user_of(project.owner))
    assert owner.get(_url(project)).data["count"] == 1
    assert owner.get(_url(project, f"{document.pk}/download/")).status_code == 200


def test_a_document_of_another_project_is_not_found_under_this_one(api_client):
    project = publish(_draft_with_document(), now=T0)
    elsewhere = publish(_draft_with_document(), now=T0).attachments.get()

    response = api_client.get(_url(project, f"{elsewhere.pk}/download/"))

    assert response.status_code == 404


def test_the_owner_uploads_documents_to_a_draft():
    project = ProjectFactory()
    owner = user_of(project.owner)

    response = client_for(owner).post(
        _url(project),
        {"files": [upload("招标文件.pdf", TINY_PDF), upload("位置图.png", TINY_PNG)]},
        format="multipart")

    assert response.status_code == 201
    assert [d["name"] for d in response.data] == ["招标文件.pdf", "位置图.png"]
    assert project.attachments.count() == 2
    assert AuditEntry.objects.filter(action="project.documents_attached", actor=owner).exists()


def test_a_file_that_is_no_pdf_jpeg_or_png_by_its_content_is_a_clear_400():
    project = ProjectFactory()

    response = client_for(user_of(project.owner)).post(
        _url(project), {"files": [upload("招标文件.pdf", TINY_PDF),
                                  upload("说明.pdf", WINDOWS_EXE)]},
        format="multipart", **EN)

    assert response.status_code == 400
    assert response.data["code"] == "upload.type_not_accepted"
    assert "This file type is not accepted" in str(response.data["files"])
    assert not ProjectAttachment.objects.exists()  # the good file is not stored either


def test_an_upload_without_files_is_a_400():
    project = ProjectFactory()

    response = client_for(user_of(project.owner)).post(_url(project), {}, format="multipart")

    assert response.status_code == 400
    assert "files" in response.data


def test_a_published_projects_documents_are_frozen_as_on_the_page():
    project = publish(_draft_with_document(), now=T0)

    response = client_for(user_of(project.owner)).post(
        _url(project), {"files": [upload("补充.pdf", TINY_PDF)]}, format="multipart", **EN)

    assert response.status_code == 409
    assert response.data["code"] == "state.conflict"
    assert "only while the project is a draft" in response.data["detail"]
    assert project.attachments.count() == 1


def test_only_the_owner_uploads(api_client):
    project = publish(_draft_with_document(), now=T0)
    agency = client_for(user_of(AgencyFactory()))

    assert agency.post(_url(project), {"files": [upload("x.pdf", TINY_PDF)]},
                       format="multipart").status_code == 403
    assert api_client.post(_url(project), {"files": [upload("x.pdf", TINY_PDF)]},
                           format="multipart").status_code == 401
    assert project.attachments.count() == 1
