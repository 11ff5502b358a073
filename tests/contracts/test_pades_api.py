"""The signed PDF for the parties and regulators, the public verification (API, page,
offline command) and the published root and CRL (API.md "Added in round 2")."""

import io

import pytest
from cryptography import x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader

from contracts.selectors import signed_pdf_bytes
from tests.conftest import client_for
from tests.factories.accounts import AgencyFactory, RegulatorFactory, member_of
from tests.factories.bidding import user_of
from tests.factories.contracts import active_contract, contract_awaiting_signatures

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def contract():
    return active_contract()


def upload(data: bytes, name: str = "contract.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_parties_and_regulators_download_the_signed_pdf_others_get_404(contract):
    for user in (user_of(contract.owner), user_of(contract.agency),
                 member_of(RegulatorFactory())):
        response = client_for(user).get(f"/api/v1/contracts/{contract.pk}/signed.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        signatures = PdfFileReader(io.BytesIO(response.content)).embedded_signatures
        assert len(signatures) == 2
    stranger = client_for(member_of(AgencyFactory()))
    assert stranger.get(f"/api/v1/contracts/{contract.pk}/signed.pdf").status_code == 404


def test_before_any_digital_signature_the_signed_pdf_is_409():
    contract = contract_awaiting_signatures()
    response = client_for(user_of(contract.owner)).get(
        f"/api/v1/contracts/{contract.pk}/signed.pdf", **EN)
    assert response.status_code == 409
    assert response.json()["code"] == "contract.not_signed_digitally"


def test_anyone_verifies_a_signed_contract_through_the_api(contract, api_client):
    response = api_client.post("/api/v1/verify/contract/",
                               {"file": upload(signed_pdf_bytes(contract))}, format="multipart")
    assert response.status_code == 200
    body = response.json()
    assert body["matches_contract"] is True
    assert body["text_sha256"] == contract.text_sha256
    assert [(s["organization"], s["uscc"], s["valid"], s["intact"])
            for s in body["signatures"]] == [
        (contract.owner.name, contract.owner.uscc, True, True),
        (contract.agency.name, contract.agency.uscc, True, True)]
    assert all(s["signed_at"] for s in body["signatures"])


def test_an_altered_pdf_is_reported_changed_and_invalid(contract, api_client):
    altered = signed_pdf_bytes(contract).replace(b"(D:20", b"(D:21", 1)
    body = api_client.post("/api/v1/verify/contract/", {"file": upload(altered)},
                           format="multipart", **EN).json()
    assert [(s["valid"], s["intact"]) for s in body["signatures"]] == [(False, False)] * 2


@pytest.mark.parametrize(("data", "name", "code"), [
    (b"", "contract.pdf", "invalid"),
    (b"MZ\x90\x00 a program", "contract.pdf", "upload.type_not_accepted"),
    (b"%PDF-1.7\nthis is not a PDF at all", "contract.pdf", "verify.not_pdf"),
])
def test_a_bad_upload_is_a_clear_400(api_client, data, name, code):
    response = api_client.post("/api/v1/verify/contract/", {"file": upload(data, name)},
                               format="multipart", **EN)
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_no_file_is_a_clear_400(api_client):
    response = api_client.post("/api/v1/verify/contract/", {}, format="multipart", **EN)
    assert response.status_code == 400
    assert response.json()["file"] == ["Choose a file to upload."]


def test_the_public_page_shows_the_root_and_verifies_an_upload(contract, client):
    page = client.get("/verify/contract/", **EN).content.decode()
    assert "SHA-256 fingerprint" in page and "/api/v1/pki/root.pem" in page
    response = client.post("/verify/contract/", {"file": upload(signed_pdf_bytes(contract))},
                           **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-signature="valid"') == 2
    assert "The signed text is the text of a contract on this platform." in page
    refused = client.post("/verify/contract/", {"file": upload(b"%PDF-1.4 junk")}, **EN)
    assert refused.status_code == 400
    assert "This file is not a PDF document that can be read." in refused.content.decode()


def test_the_root_and_the_crl_are_published(api_client):
    root = api_client.get("/api/v1/pki/root.pem")
    assert root.status_code == 200 and root.content.startswith(b"-----BEGIN CERTIFICATE")
    certificate = x509.load_pem_x509_certificate(root.content)
    assert certificate.subject == certificate.issuer
    crl = x509.load_der_x509_crl(api_client.get("/api/v1/pki/crl.der").content)
    assert crl.next_update_utc > crl.last_update_utc


def test_the_offline_command_verifies_with_the_root_only(contract, tmp_path, api_client):
    (tmp_path / "root.pem").write_bytes(api_client.get("/api/v1/pki/root.pem").content)
    (tmp_path / "signed.pdf").write_bytes(signed_pdf_bytes(contract))
    out = io.StringIO()
    call_command("verify_contract", str(tmp_path / "signed.pdf"), "--root",
                 str(tmp_path / "root.pem"), stdout=out)
    text = out.getvalue()
    assert "2 signature(s)" in text and text.count(": VALID") == 2
    assert contract.text_sha256 in text
    (tmp_path / "altered.pdf").write_bytes(
        signed_pdf_bytes(contract).replace(b"(D:20", b"(D:21", 1))
    with pytest.raises(SystemExit) as failed:
        call_command("verify_contract", str(tmp_path / "altered.pdf"), "--root",
                     str(tmp_path / "root.pem"), stdout=io.StringIO())
    assert failed.value.code == 1
