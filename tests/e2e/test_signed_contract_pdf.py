"""The digitally signed contract in Chromium (issue 16): after both parties sign, a party
downloads the signed PDF, which carries two PAdES signatures with visible stamps, and anyone
checks it on the public verification page."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pyhanko.pdf_utils.reader import PdfFileReader

from contracts.models import Contract
from tests.factories.accounts import PASSWORD
from tests.factories.bidding import user_of
from tests.factories.contracts import contract_awaiting_signatures, sign

pytestmark = pytest.mark.django_db(transaction=True)


def _stamps(data: bytes) -> list[tuple[str, bytes]]:
    """(field name, normal appearance stream) of each filled signature field."""
    reader = PdfFileReader(io.BytesIO(data))
    stamps = []
    for embedded in reader.embedded_signatures:
        widget = embedded.sig_field.get_object()
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
        assert x2 - x1 > 100 and y2 - y1 > 60, "the stamp is visible, not a zero-size field"
        stamps.append((embedded.field_name, widget["/AP"]["/N"].get_object().data))
    return stamps


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_both_parties_sign_and_the_signed_pdf_shows_two_stamps(guide, tmp_path, language):
    start = timezone.now() - dt.timedelta(days=4, hours=4)
    contract = contract_awaiting_signatures(start=start)
    sign(contract, contract.owner, now=timezone.now())
    tour = guide.open("agency", language)
    page = tour.page
    tour.login(user_of(contract.agency).username, PASSWORD)
    tour.goto(f"/workspace/contracts/{contract.pk}/", "contract signed by the owner")
    page.get_by_role("link", name=tour.t("Sign the contract")).click()
    tour.check("sign the contract")
    page.get_by_label(tour.t("Password")).fill(PASSWORD)
    tour.submit("signed by both", button=tour.t("Sign"))
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE

    tour.goto(f"/workspace/contracts/{contract.pk}/", "contract in force, signed PDF offered")
    with page.expect_download() as download:
        page.locator("[data-signed-pdf]").click()
    path = tmp_path / "signed.pdf"
    download.value.save_as(path)
    data = path.read_bytes()
    stamps = _stamps(data)
    assert [name for name, _ in stamps] == [f"owner_{contract.owner.uscc}",
                                           f"agency_{contract.agency.uscc}"]
    for _name, appearance in stamps:
        assert b"Tj" in appearance or b"TJ" in appearance, "the stamp draws its text"

    visitor = guide.open("anonymous", language)
    visitor.goto("/verify/contract/", "public verification page")
    visitor.page.set_input_files("input[type=file]", str(path))
    visitor.submit("verification result", button=visitor.t("Verify"))
    expect(visitor.page.locator('[data-signature="valid"]')).to_have_count(2)
    expect(visitor.page.locator("[data-matches]")).to_be_visible()
    expect(visitor.page.locator("[data-verification]")).to_contain_text(contract.agency.name)
