"""Opening a deadline's projects together (`projects_open_together`, the beat's chunks) has the
outcome of opening each alone (`project_open`): the same bids, project states, audit entries,
OCDS releases, outbox messages and webhook events, in a number of queries that does not grow
with the projects; a broken project sends the chunk the one-by-one way."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bidding import services
from bidding.models import Bid, Exclusion, Project, ProjectSealKey
from bidding.services.opening import projects_open_together
from marketplace.audit.models import AuditEntry
from marketplace.audit.services import verify_chain
from marketplace.outbox.models import OutboxMessage
from marketplace.webhooks.models import Endpoint, WebhookEvent
from providers.models import QualificationType
from ratings.models import OCDSRelease
from tests.factories.bidding import T0, agency_offering, bid, published_project, qualify, user_of

pytestmark = pytest.mark.django_db
S = Project.Status
DEADLINE = T0 + dt.timedelta(days=4)
OPENED = DEADLINE + dt.timedelta(minutes=1)


def _market(agencies) -> list[Project]:
    """Six projects, each a case the opening treats differently."""
    a = agencies
    plain = published_project(now=T0)  # three valid bids, one abnormally low
    for agency, price in zip(a[:3], ["80000", "85000", "20000"], strict=True):
        bid(plain, agency, price)
    weighted = published_project(now=T0, selection_method=Project.Method.COMPREHENSIVE)
    for agency, price in zip(a[:3], ["90000", "70000", "75000"], strict=True):
        bid(weighted, agency, price)
    excluded = published_project(now=T0)  # one bidder excluded after bidding: too few, fails
    for agency in a[:3]:
        bid(excluded, agency)
    Exclusion.objects.create(project=excluded, agency=a[1], reason="编制了可研报告")
    qualified = published_project(now=T0)  # one bidder's qualification lapsed before opening
    qualified.required_qualifications.set([QualificationType.objects.get(code="EIA")])
    for agency in a[1:4]:
        bid(qualified, agency)
    withdrawn = published_project(now=T0)  # a withdrawn bid stays out of the count
    offers = [bid(withdrawn, agency) for agency in a[:4]]
    services.bid_withdraw(bid=offers[0], by=user_of(a[0]), now=T0 + dt.timedelta(hours=2))
    empty = published_project(now=T0)  # nobody bid: fails with 0 valid
    return [plain, weighted, excluded, qualified, withdrawn, empty]


def _outcome(projects: list[Project]) -> dict:
    """What a user, a regulator and an API client can see of the openings, with the ids of
    projects, bids and entries replaced by their place (the two markets have different ids)."""
    place = {p.pk: n for n, p in enumerate(projects)}
    bids = list(Bid.objects.filter(project__in=projects).order_by("project_id", "id"))
    bid_place = {b.pk: (place[b.project_id], n) for n, b in enumerate(bids)}
    agency_of = {b.pk: b.agency_id for b in bids}

    def kwargs(message):
        k = dict(message.kwargs)
        if "project_id" in k:
            k["project_id"] = place[k["project_id"]]
        if k.get("doc_type") == "project":
            k["pks"] = sorted(place[pk] for pk in k["pks"])
        if "delivery_id" in k:
            k["delivery_id"] = "-"  # the webhook events are compared below
        if "bid_id" in k:
            k["bid_id"] = bid_place[k["bid_id"]]
        return message.task_name, sorted(k.items())

    owner_of = {p.pk: p.owner_id for p in projects}
    entries = AuditEntry.objects.filter(
        stream__in=[f"project:{p.pk}" for p in projects]).order_by("stream", "stream_seq")
    return {
        "projects": [(place[p.pk], p.status, p.opened_at, p.failed_reason) for p in
                     Project.objects.filter(pk__in=place).order_by("pk")],
        "bids": [(bid_place[b.pk], b.agency_id, b.status, b.price, b.proposal, b.valid,
                  b.invalid_reason, b.rank, b.score, b.abnormally_low,
                  b.credit_score_at_opening, b.sealed_contents) for b in bids],
        "audit": sorted((place[int(e.object_id)], e.stream_seq, e.action, e.actor_id,
                         e.organization_id == owner_of[int(e.object_id)], e.created_at,
                         _with_receipts_counted(e.data))
                        for e in entries if e.action != "project.published"),
        "releases": sorted(
            (place[r.project_id], r.kind, r.tag, r.date,
             _without_ids(r.data, r.release_id, r.project.title, r.project.owner.name))
            for r in OCDSRelease.objects.select_related("project__owner").filter(
                project__in=projects,
                                                audit_entry__action__in=(
                                                    "project.opened", "project.failed"))),
        "outbox": sorted(kwargs(m) for m in OutboxMessage.objects.exclude(
            task_name__in=("bidding.match_saved_searches",)).filter(
            pk__gt=_MARK.get("outbox", 0))),
        "webhooks": sorted((e.event, agency_of.get(e.body and _bid_of(e.body)), ) for e in
                           WebhookEvent.objects.filter(pk__in=_new_webhook_ids())),
    }


_MARK: dict = {}


def _with_receipts_counted(data: dict) -> list:
    """An entry's data with its receipts (salted: different in the two markets) counted."""
    if "receipts" in data:
        data = {**data, "receipts": len(data["receipts"])}
    return sorted(data.items())


def _without_ids(data: dict, release_id: str, title: str, owner: str) -> str:
    """The release with the ids, the title and the owner's name blanked: what differs between
    the two markets."""
    text = (json.dumps(data, sort_keys=True, ensure_ascii=False).replace(release_id, "RELEASE")
            .replace(f'"{title}"', '"TITLE"').replace(f'"{owner}"', '"OWNER"'))
    return re.sub(r'"(ocid|id|relatedBid)": "[^"]*"', r'"\1": "-"', text)


def _bid_of(body: str) -> int:
    return json.loads(body)["data"]["bid"]["id"]


def _new_webhook_ids():
    return WebhookEvent.objects.filter(created_at__gte=_MARK["webhooks_after"]).values("pk")


def _mark(now) -> None:
    _MARK["outbox"] = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
    _MARK["webhooks_after"] = now


def test_opening_together_is_opening_each_alone(agencies, time_machine):
    agencies = [*agencies[:3], agency_offering()]
    Endpoint.objects.create(organization=agencies[0], url="https://hooks.example.com/a",
                            events=["bid.opened"], secret_kek_id="k", secret_wrapped_key="w",
                            secret_sealed="s")
    for agency in agencies[1:3]:
        qualify(agency, "EIA")
    qualify(agencies[3], "EIA", valid_until=(T0 + dt.timedelta(days=1)).date())
    alone, together = _market(agencies), _market(agencies)
    time_machine.move_to(OPENED, tick=False)

    _mark(OPENED)
    for project in alone:
        services.project_open(project=project.pk, now=OPENED)
    seen_alone = _outcome(alone)
    OutboxMessage.objects.filter(pk__gt=_MARK["outbox"]).delete()
    WebhookEvent.objects.all().delete()

    _mark(OPENED)
    assert projects_open_together([p.pk for p in together], now=OPENED) == 6
    seen_together = _outcome(together)

    for part in seen_alone:
        assert seen_together[part] == seen_alone[part], part
    statuses = [status for _n, status, _at, _reason in seen_together["projects"]]
    assert statuses == [S.EVALUATING, S.EVALUATING, S.FAILED, S.FAILED, S.EVALUATING, S.FAILED]
    assert any(b[9] for b in seen_together["bids"])  # the abnormally low price was flagged
    assert seen_together["webhooks"], "the listening agency heard of its bids"
    assert verify_chain().ok


def test_opening_together_takes_the_same_queries_for_two_projects_as_for_eight(agencies):
    def queries(count: int) -> int:
        projects = [published_project(now=T0) for _ in range(count)]
        for project in projects:
            for agency in agencies[:3]:
                bid(project, agency)
        with CaptureQueriesContext(connection) as captured:
            assert projects_open_together([p.pk for p in projects], now=OPENED) == count
        return len(captured)

    assert queries(2) == queries(8)


def test_projects_not_yet_due_or_already_opened_are_left_alone(agencies):
    due = published_project(now=T0)
    later = published_project(now=T0, bid_deadline=OPENED + dt.timedelta(days=1))
    for project in (due, later):
        for agency in agencies[:3]:
            bid(project, agency)
    assert projects_open_together([due.pk, later.pk], now=OPENED) == 1
    assert projects_open_together([due.pk, later.pk], now=OPENED) == 0
    assert AuditEntry.objects.filter(action="project.opened").count() == 1
    later.refresh_from_db()
    assert later.status == S.BIDDING and later.opened_at is None


def test_a_project_whose_seal_key_is_lost_does_not_hold_up_the_others(agencies):
    broken, fine = published_project(now=T0), published_project(now=T0)
    for project in (broken, fine):
        for agency in agencies[:3]:
            bid(project, agency)
    ProjectSealKey.objects.filter(project=broken).delete()
    assert services.open_projects([broken.pk, fine.pk], now=OPENED) == 1
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == S.BIDDING and broken.opened_at is None  # refused, nothing written
    assert fine.status == S.EVALUATING
    assert not Bid.objects.filter(project=broken, sealed_contents="").exists()
