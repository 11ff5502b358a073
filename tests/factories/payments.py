"""Payments test helpers: contracts to pay, a recorded-response Stripe HTTP client and signed
webhook payloads.

`RecordedStripe` is a real `stripe.HTTPClient`: the official library builds every request
(URL, form body, headers, idempotency key) as it would in production and hands it to this
client, which records it and answers with a canned response from
`tests/contracts/stripe_fixtures/` (bodies shaped like Stripe's). No network.
"""

import copy
import datetime as dt
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import stripe

from bidding.models import Award, Project
from contracts.models import Contract, ContractTemplate
from tests.factories.bidding import T0, agency_offering, bid, published_project, user_of

FIXTURES = Path(__file__).resolve().parent.parent / "contracts" / "stripe_fixtures"
WEBHOOK_SECRET = "whsec_test_0123456789abcdefghijklmnopqrstuv"
SECRET_KEY = "sk_test_51TestPlatformKey0123456789"


# --- contracts ---------------------------------------------------------------------------------

def _template() -> ContractTemplate:
    template = ContractTemplate.objects.filter(is_active=True).first()
    if template is None:
        template = ContractTemplate.objects.create(
            version=901, title="中介服务合同", body="甲方委托乙方提供中介服务。", is_active=True)
    return template


def payable_contract(*, price: str = "80000.00", status: str = Contract.Status.ACTIVE,
                     owner=None, agency=None) -> Contract:
    """A contract in force (or in `status`) between a new owner and agency, built straight in
    the database from a real project and bid (the drawing-up flow is the contracts tests')."""
    agency = agency or agency_offering()
    kwargs = {"owner": owner} if owner is not None else {}
    project = published_project(min_bidders=1, **kwargs)
    offer = bid(project, agency, price)
    award = Award.objects.create(project=project, bid=offer, proposed_at=T0,
                                 publicity_ends_at=T0 + dt.timedelta(days=8), final=True,
                                 finalized_at=T0 + dt.timedelta(days=8))
    Project.objects.filter(pk=project.pk).update(status=Project.Status.AWARDED)
    template = _template()
    text = f"{template.body}\n{project.title}\n"
    return Contract.objects.create(
        project=project, award=award, bid=offer, owner=project.owner, agency=agency,
        template=template, template_version=template.version, price=Decimal(price),
        promised_days=offer.promised_days, text=text,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(), status=status,
        created_at=T0 + dt.timedelta(days=8), signing_deadline=T0 + dt.timedelta(days=15),
        activated_at=T0 + dt.timedelta(days=9))


def owner_user(contract: Contract):
    return user_of(contract.owner)


def agency_user(contract: Contract):
    return user_of(contract.agency)


# --- the recorded Stripe client ------------------------------------------------------------------

def fixture(name: str, **overrides) -> dict:
    """A canned Stripe object; `overrides` replace top-level keys (dicts are merged)."""
    data = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict
    form: dict  # flat keys as Stripe encodes them: "line_items[0][price_data][unit_amount]"

    @property
    def idempotency_key(self) -> str | None:
        return {k.lower(): v for k, v in self.headers.items()}.get("idempotency-key")


@dataclass
class RecordedStripe(stripe.HTTPClient):
    """Answers `(METHOD, path)` with the queued responses, in order; records every request.
    A request nobody expected fails the test."""

    routes: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)
    name = "recorded"

    def __post_init__(self):
        super().__init__()

    def on(self, method: str, path: str, body: dict, status: int = 200) -> "RecordedStripe":
        self.routes.setdefault((method.upper(), path), []).append((status, body))
        return self

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        if isinstance(post_data, bytes):
            post_data = post_data.decode("utf-8")
        form = dict(parse_qsl(post_data or parts.query or "", keep_blank_values=True))
        self.requests.append(RecordedRequest(method.upper(), parts.path, dict(headers), form))
        queue = self.routes.get((method.upper(), parts.path))
        if not queue:
            raise AssertionError(f"unexpected Stripe request {method.upper()} {parts.path}")
        status, body = queue.pop(0) if len(queue) > 1 else queue[0]
        return json.dumps(body), status, {"request-id": f"req_test_{len(self.requests)}"}

    def request_stream(self, *args, **kwargs):
        raise NotImplementedError

    def close(self):
        return None

    def sent(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method.upper() and r.path == path]


# --- webhook payloads ----------------------------------------------------------------------------

def signature_header(payload: str, *, secret: str = WEBHOOK_SECRET,
                     timestamp: int | None = None) -> str:
    """Stripe's scheme: `t=<unix time>,v1=<HMAC-SHA256(secret, "<t>.<payload>")>`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def event(name: str, *, obj: dict | None = None, **overrides) -> dict:
    """A Stripe event from a fixture, with fields of `data.object` replaced by `obj`."""
    data = fixture(name, **overrides)
    if obj:
        data = copy.deepcopy(data)
        data["data"]["object"].update(obj)
    return data


def payment_metadata(payment) -> dict:
    return {"contract_id": str(payment.contract_id), "payment_id": str(payment.pk),
            "payment_key": str(payment.key)}


def post_event(client, data: dict, *, secret: str = WEBHOOK_SECRET, header: str | None = None):
    payload = json.dumps(data, ensure_ascii=False)
    return client.post("/api/v1/payments/stripe/webhook/", data=payload.encode("utf-8"),
                       content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=header if header is not None
                       else signature_header(payload, secret=secret))
