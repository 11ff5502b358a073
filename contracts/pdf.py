"""The contract as a PDF (fpdf2), set in a CJK font that ships with a Python package.

The font is WenQuanYi Micro Hei (Apache-2.0) from `paperang-p2-fonts-cjk`; settings
`CONTRACT_PDF_FONT` (a .ttf/.ttc path, e.g. Debian's fonts-wqy-microhei or fonts-noto-cjk) and
`CONTRACT_PDF_FONT_INDEX` (the face in a collection) override it. Nothing is fetched.
A character the font lacks is an error, never a silent box.
"""

from functools import lru_cache
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import TTFFont

from contracts.models import Contract
from marketplace.errors import DomainError
from marketplace.formatting.moments import local_minute

FONT_FAMILY = "contract-cjk"


class MissingGlyphs(DomainError):
    """The PDF font cannot show some characters of the text (HTTP 400)."""

    code = "contract.pdf_missing_glyphs"
    def __init__(self, characters: list[str]):
        self.characters = characters
        super().__init__(_("The PDF cannot show these characters: %(chars)s. Use the printable "
                           "page instead.") % {"chars": " ".join(characters)})


@lru_cache(maxsize=1)
def font_file() -> tuple[Path, int]:
    configured = getattr(settings, "CONTRACT_PDF_FONT", "")
    if configured:
        return Path(configured), int(getattr(settings, "CONTRACT_PDF_FONT_INDEX", 0))
    package = resources.files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"
    return Path(str(package)), 0


def _signature_page(pdf: FPDF, contract: Contract) -> None:
    """Where the stamps go (contracts.pades.document.BOXES: 20–102 mm and 108–190 mm across,
    55–105 mm down)."""
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=14)
    pdf.cell(0, 10, _("Signatures"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=9)
    for x, label, organization in ((20, _("The owner"), contract.owner),
                                   (108, _("The agency"), contract.agency)):
        pdf.set_xy(x, 32)
        pdf.multi_cell(82, 5, f"{label}: {organization.name}\n"
                       + _("USCC: %(uscc)s") % {"uscc": organization.uscc})
        pdf.rect(x, 55, 82, 50)
    pdf.set_xy(20, 112)
    pdf.multi_cell(170, 5, _("Each party signs with its digital certificate issued by the "
                             "platform. Verify the signatures with the platform's root "
                             "certificate."))


def render_pdf(contract: Contract, *, for_signing: bool = False) -> bytes:
    """The frozen text, its SHA-256 and the signatures, as PDF bytes. `for_signing`: the
    document the parties sign digitally (contracts.pades): no signature records, and a last
    page where each party's stamp goes."""
    path, index = font_file()
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FONT_FAMILY, fname=str(path), collection_font_number=index)
    pdf.set_title(f"{contract.project.title}")
    pdf.set_lang("zh-CN")
    pdf.set_creation_date(contract.created_at)
    pdf.add_page()
    with translation.override(settings.LANGUAGE_CODE):
        lines = contract.text.splitlines()
        pdf.set_font(FONT_FAMILY, size=16)
        pdf.multi_cell(0, 10, lines[0] if lines else "", align="C",
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(FONT_FAMILY, size=10.5)
        for line in lines[1:]:
            pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font(FONT_FAMILY, size=9)
        footer = [_("Contract no. %(id)s · template version %(version)s")
                  % {"id": contract.pk, "version": contract.template_version},
                  _("SHA-256 of the text: %(hash)s") % {"hash": contract.text_sha256}]
        signatures = [] if for_signing else contract.signatures.select_related(
            "organization", "user")
        for signature in signatures:
            footer.append(_("Signed online by %(organization)s (%(user)s) at %(when)s over "
                            "SHA-256 %(hash)s")
                          % {"organization": signature.organization.name,
                             "user": signature.user.get_username(),
                             "when": local_minute(signature.signed_at, empty="—"),
                             "hash": signature.text_sha256})
        for line in footer:
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        if for_signing:
            _signature_page(pdf, contract)
    missing = sorted({chr(code) for font in pdf.fonts.values() if isinstance(font, TTFFont)
                      for code in font.missing_glyphs})
    if missing:
        raise MissingGlyphs(missing)
    return bytes(pdf.output())
