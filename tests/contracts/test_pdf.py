"""The printable page and the PDF: Chinese set in an embedded CJK font, never missing glyphs."""

import re
import zlib

import pytest

from contracts.pdf import MissingGlyphs, render_pdf
from tests.factories.accounts import AgencyFactory, member_of
from tests.factories.bidding import user_of

pytestmark = pytest.mark.django_db


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _unicode_map(pdf: bytes) -> set[str]:
    """Every character the embedded fonts' ToUnicode maps name."""
    chars = set()
    for stream in _streams(pdf):
        if b"begincmap" not in stream:
            continue
        for target in re.findall(rb"<[0-9A-Fa-f]{4}>\s*<([0-9A-Fa-f]{4,8})>", stream):
            chars.add(chr(int(target, 16)))
    return chars


def test_the_pdf_embeds_a_cjk_font_with_the_glyphs_of_the_chinese_text(contract):
    pdf = render_pdf(contract)
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf and b"WenQuanYi" in pdf
    mapped = _unicode_map(pdf)
    chinese = {c for c in contract.text if "\u4e00" <= c <= "\u9fff"}
    assert len(chinese) > 100
    assert chinese <= mapped


def test_a_rare_character_outside_the_common_face_is_drawn_from_the_whole_font(contract):
    """The common face (GB 2312) lacks 喆 and 堃, frequent in names; the whole font has them."""
    from contracts.fonts import common_face, face_for, full_face

    common, shown = common_face()
    assert "喆" not in shown and "堃" not in shown and "环" in shown
    assert face_for("重庆环评") == common
    assert face_for("王喆") == full_face()
    contract.text += "乙方代表：王喆、李堃\n"
    assert {"喆", "堃"} <= _unicode_map(render_pdf(contract))


def test_a_character_the_font_lacks_is_an_error_not_a_box(contract):
    contract.text += "签章：😀\n"
    with pytest.raises(MissingGlyphs) as refused:
        render_pdf(contract)
    assert refused.value.code == "contract.pdf_missing_glyphs"
    assert "😀" in refused.value.characters


def test_the_parties_download_the_pdf_and_others_get_404(contract, client):
    client.force_login(user_of(contract.agency))
    response = client.get(f"/workspace/contracts/{contract.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF-")
    client.force_login(member_of(AgencyFactory()))
    assert client.get(f"/workspace/contracts/{contract.pk}/pdf/").status_code == 404


def test_the_printable_page_shows_the_text_and_its_hash(contract, client):
    client.force_login(user_of(contract.owner))
    response = client.get(f"/workspace/contracts/{contract.pk}/print/")
    assert response.status_code == 200
    page = response.content.decode()
    assert contract.text_sha256 in page and contract.project.title in page
