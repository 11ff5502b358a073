"""Rendering a contract template into the frozen contract text, and its hash."""

import hashlib

from django.conf import settings
from django.template import Context, Engine
from django.utils import timezone, translation

# Plain text, not HTML: nothing is escaped. No loaders: a template cannot include files.
ENGINE = Engine(autoescape=False, libraries={}, loaders=[])


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _party(organization) -> dict:
    return {"name": organization.name, "uscc": organization.uscc,
            "contact_name": organization.contact_name, "phone": organization.phone,
            "email": organization.email, "address": organization.address,
            "region": str(organization.region) if organization.region_id else ""}


def _money(amount) -> str:
    return f"{amount:,.2f}"


def context_for(*, project, bid, award, now) -> dict:
    item = project.service_item
    return {
        "owner": _party(project.owner),
        "agency": _party(bid.agency),
        "project": {"id": project.pk, "title": project.title,
                    "description": project.description.strip(),
                    "region": str(project.region) if project.region_id else "",
                    "method": project.get_selection_method_display()},
        "service_item": {"code": item.code, "name": item.name},
        "price": _money(bid.price),
        "promised_days": bid.promised_days,
        "commitments": {"promised_days": bid.promised_days, "fee_standard": bid.fee_standard,
                        "fee_max": _money(bid.fee_max) if bid.fee_max is not None else "",
                        "service_standard": bid.service_standard},
        "proposal": bid.proposal.strip(),
        "award": {"id": award.pk,
                  "finalized_at": timezone.localtime(award.finalized_at or now)
                  .strftime("%Y-%m-%d")},
        "bid_receipt": bid.receipt,
        "drawn_up_on": timezone.localtime(now).strftime("%Y-%m-%d"),
    }


def render_text(template_body: str, context: dict) -> str:
    """The template filled in, in the platform's language, line endings normalized."""
    with translation.override(settings.LANGUAGE_CODE):
        text = ENGINE.from_string(template_body).render(Context(context))
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip() + "\n"
