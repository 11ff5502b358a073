"""The contract as a PDF (fpdf2), set in a CJK font that ships with a Python package.

The font is WenQuanYi Micro Hei (contracts.fonts): first its common face, then, when the text
has a character that face lacks, the whole font. A character the font lacks is an error,
never a silent box.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import TTFFont

from contracts.fonts import common_face, full_face
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
    pdf, missing = _render(contract, for_signing=for_signing, face=common_face()[0])
    if missing:  # a rarer character: the whole font, parsed only for such a text
        pdf, missing = _render(contract, for_signing=for_signing, face=full_face())
    if missing:
        raise MissingGlyphs(missing)
    return bytes(pdf.output())


def _render(contract: Contract, *, for_signing: bool, face: str) -> tuple[FPDF, list[str]]:
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FONT_FAMILY, fname=face)
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
    return pdf, missing
