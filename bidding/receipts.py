"""Bid receipts (DESIGN §4 "Bids"): what the agency is given when it seals a bid.

    canonical = sorted-keys JSON of {project, agency, price, discount_rate, promised_days,
                proposal, attachments, sealed_at}  (compact separators, UTF-8, no escaping)
    receipt   = sha256((canonical + salt).encode("utf-8")).hexdigest()

`attachments` is the sorted list of the SHA-256 (lowercase hex) of the bid's attached files
(`BidAttachment.sha256`); it is part of every bid's canonical form, `[]` for a bid without files,
so adding files changed no receipt of a bid without them.

The salt (64 hex characters from `secrets`) keeps the receipt from revealing a guessable price.
The agency sees its receipt, salt and canonical text; receipts are published at opening, so the
agency can check that what was opened is what it sent.
"""

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from decimal import Decimal

SALT_BYTES = 32


def make_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def canonical(
    *,
    project_id: int,
    agency_id: int,
    price: Decimal,
    promised_days: int,
    proposal: str,
    sealed_at: dt.datetime,
    discount_rate: Decimal | None = None,
    attachments: Sequence[str] = (),
) -> str:
    payload = {
        "project": project_id,
        "agency": agency_id,
        "price": format(Decimal(price).quantize(Decimal("0.01")), "f"),
        "discount_rate": (format(Decimal(discount_rate).quantize(Decimal("0.01")), "f")
                          if discount_rate is not None else None),
        "promised_days": int(promised_days),
        "proposal": proposal,
        "attachments": sorted(a.lower() for a in attachments),
        # UTC, microseconds included: the moment the content was sealed.
        "sealed_at": sealed_at.astimezone(dt.UTC).isoformat(),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def receipt_of(canonical_text: str, salt: str) -> str:
    return hashlib.sha256((canonical_text + salt).encode("utf-8")).hexdigest()


def canonical_of_bid(bid) -> str:
    return canonical(
        project_id=bid.project_id,
        agency_id=bid.agency_id,
        price=bid.price,
        promised_days=bid.promised_days,
        proposal=bid.proposal,
        sealed_at=bid.sealed_at,
        discount_rate=bid.discount_rate,
        attachments=bid.attachment_hashes or (),
    )


def seal(bid, *, now: dt.datetime) -> None:
    """Give `bid` (its content set) a fresh salt, seal time and receipt; the caller saves."""
    bid.sealed_at = now
    bid.salt = make_salt()
    bid.receipt = receipt_of(canonical_of_bid(bid), bid.salt)


def verify_receipt(
    *,
    receipt: str,
    salt: str,
    project_id: int,
    agency_id: int,
    price: Decimal,
    promised_days: int,
    proposal: str,
    sealed_at: dt.datetime,
    discount_rate: Decimal | None = None,
    attachments: Sequence[str] = (),
) -> bool:
    """Whether `receipt` is the receipt of exactly this content and salt."""
    text = canonical(project_id=project_id, agency_id=agency_id, price=price,
                     promised_days=promised_days, proposal=proposal, sealed_at=sealed_at,
                     discount_rate=discount_rate, attachments=attachments)
    return hmac.compare_digest(receipt_of(text, salt), receipt.lower())


def verify_bid_receipt(bid) -> bool:
    """Whether the stored bid still matches the receipt its agency was given."""
    return hmac.compare_digest(receipt_of(canonical_of_bid(bid), bid.salt), bid.receipt)
