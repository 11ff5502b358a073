"""A mass listing (the grade-D rule of the nightly recompute, `blacklist_add_many`) has the
outcome of listing each organization in turn with `blacklist_add`: the same entries, audit
entries, notices, announcements, webhook events and outbox messages; in a number of queries
that does not grow with the number listed."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms import announcements
from marketplace.audit.models import AuditEntry
from marketplace.audit.services import verify_streams
from marketplace.notifications.models import Notification
from marketplace.outbox.models import OutboxMessage
from marketplace.pki.services import certificate_issue
from marketplace.webhooks.models import Endpoint, WebhookEvent
from ratings import services
from ratings.models import BlacklistEntry
from ratings.services.automatic import apply_grade_rule
from ratings.services.blacklist import Listing
from tests.factories.accounts import AgencyFactory, OwnerFactory, member_of
from tests.factories.bidding import agency_offering, bid, published_project
from tests.factories.ratings import T0

pytestmark = pytest.mark.django_db
NOW = T0 + dt.timedelta(hours=2)
ENDS = NOW + dt.timedelta(days=365)


def _endpoint(organization, events, n):
    return Endpoint.objects.create(organization=organization, url=f"https://hooks.example.com/{n}",
                                   events=events, secret_kek_id="k", secret_wrapped_key="w",
                                   secret_sealed="s")


def _world() -> list:
    """Six organizations, each a case a listing treats differently."""
    busy = agency_offering()  # a live bid: disqualified, with its own sealed audit entry
    bid(published_project(now=T0), busy, now=T0 + dt.timedelta(hours=1))
    member_of(busy, role="staff")
    listening = AgencyFactory()  # told by webhook (one endpoint of two listens)
    member_of(listening)
    _endpoint(listening, ["sanction.listed", "sanction.lifted"], 1)
    _endpoint(listening, ["rating.received"], 2)
    quiet = AgencyFactory()  # nobody to tell, nothing running
    owner = OwnerFactory()  # an inactive member is not told
    member_of(owner)
    gone = member_of(owner, role="staff")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    certified = OwnerFactory()  # its signing certificate is revoked
    certificate_issue(organization=certified, now=T0)
    earlier = AgencyFactory()  # an entry in force that ends later: it stays the end date
    BlacklistEntry.objects.create(organization=earlier, reason="违规承接", source="regulator",
                                  starts_at=T0 - dt.timedelta(days=10),
                                  ends_at=ENDS + dt.timedelta(days=200))
    return [busy, listening, quiet, owner, certified, earlier]


def _listings(organizations) -> list[Listing]:
    return [Listing(organization=o, reason=f"信用等级D（第{i}家）")
            for i, o in enumerate(organizations)]


def _marker() -> dict:
    return {"audit": AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first(),
            "notice": Notification.objects.order_by("-pk").values_list("pk", flat=True).first(),
            "outbox": OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first(),
            "webhook": set(WebhookEvent.objects.values_list("pk", flat=True))}


# Ids, and what differs between two organizations made alike (a certificate's serial).
ID_KEYS = {"id", "project", "entry", "review", "serial"}


def _normalizer(organizations):
    tokens = {}
    for i, o in enumerate(organizations):
        tokens[o.name] = f"<org {i}>"
        tokens[o.uscc] = f"<uscc {i}>"
        tokens[reverse("ratings:credit_detail", args=[o.pk])] = f"<credit page {i}>"
    ordered = sorted(tokens, key=len, reverse=True)

    def norm(value, key=""):
        if isinstance(value, dict):
            return {k: norm(v, k) for k, v in value.items()}
        if isinstance(value, list):
            if key.endswith("_ids"):
                return len(value)
            return [norm(item) for item in value]
        if key in ID_KEYS or key.endswith("_id"):
            return "<id>" if value is not None else None
        if isinstance(value, str):
            for token in ordered:
                value = value.replace(token, tokens[token])
        return value

    return norm


def _outcome(organizations, marker) -> dict:
    norm = _normalizer(organizations)
    index = {o.pk: i for i, o in enumerate(organizations)}
    entries = []
    for i, o in enumerate(organizations):
        o.refresh_from_db()
        entries += [(i, e.reason, e.basis, e.source, e.rule, e.status, e.starts_at, e.ends_at,
                     o.blacklisted_until)
                    for e in BlacklistEntry.objects.filter(organization=o, starts_at=NOW)]
    audit = sorted(
        (index.get(e.organization_id), e.action, e.stream.split(":")[0], e.stream_seq,
         e.object_type, norm(re.sub(r"#\d+|[0-9a-f]{32,}", "<id>", e.object_repr)),
         json.dumps(norm(e.data), sort_keys=True),
         e.actor_name, e.created_at)
        for e in AuditEntry.objects.filter(pk__gt=marker["audit"] or 0))
    notices = sorted(
        (index.get(n.user.membership.organization_id), n.user.membership.role, n.kind,
         norm(n.title), norm(n.body), norm(n.url))
        for n in Notification.objects.filter(pk__gt=marker["notice"] or 0)
        .select_related("user__membership"))
    messages = list(OutboxMessage.objects.filter(pk__gt=marker["outbox"] or 0))
    outbox = sorted((m.task_name, json.dumps(norm(m.kwargs), sort_keys=True)) for m in messages)
    webhooks = []
    for event in WebhookEvent.objects.exclude(pk__in=marker["webhook"]):
        body = json.loads(event.body)
        webhooks.append((event.event, json.dumps(norm(body["data"]), sort_keys=True),
                         sorted(d.endpoint.url for d in event.deliveries.all())))
    pages = []
    for m in messages:  # what the worker will publish
        if m.task_name == "cms.publish_announcement":
            page, created = announcements.publish(**m.kwargs)
            assert created
            pages.append((page.kind, page.sequence, norm(page.title), norm(page.subject),
                          norm(page.summary), json.dumps(norm(page.data), sort_keys=True),
                          page.published_on, index[page.organization_id]))
    return {"entries": entries, "audit": audit, "notices": notices, "outbox": outbox,
            "webhooks": sorted(webhooks), "pages": sorted(pages)}


def test_a_mass_listing_has_the_outcome_of_listing_each_in_turn():
    single = _world()
    marker = _marker()
    for listing in _listings(single):
        services.blacklist_add(organization=listing.organization, reason=listing.reason,
                               basis=" 评级规则 ", ends_at=ENDS, source="automatic",
                               rule="grade_d", now=NOW)
    expected = _outcome(single, marker)

    mass = _world()
    marker = _marker()
    services.blacklist_add_many(listings=_listings(mass), basis=" 评级规则 ", ends_at=ENDS,
                                source="automatic", rule="grade_d", now=NOW)
    got = _outcome(mass, marker)

    for part in expected:
        assert got[part] == expected[part], part
    # What the comparison rests on: each kind of outcome is there.
    assert len(expected["entries"]) == 6
    assert {row[1] for row in expected["audit"]} >= {"blacklist.added", "bid.disqualified",
                                                     "certificate.revoked"}
    assert len(expected["notices"]) == 4  # busy's two members, listening's, owner's active one
    assert len(expected["webhooks"]) == 1 and len(expected["pages"]) == 6
    assert expected["entries"][5][-1] == ENDS + dt.timedelta(days=200)  # the later end stays
    assert verify_streams().ok


def test_a_mass_listing_refuses_a_regulator_and_lists_nobody():
    from marketplace.errors import DomainError
    from tests.factories.accounts import RegulatorFactory

    agency, regulator = AgencyFactory(), RegulatorFactory()
    with pytest.raises(DomainError) as refused:
        services.blacklist_add_many(listings=_listings([agency, regulator]), basis="",
                                    ends_at=ENDS, source="automatic", rule="grade_d", now=NOW)
    assert refused.value.field == "organization"
    assert not BlacklistEntry.objects.exists()


def _graded_d(count):
    organizations = [AgencyFactory() for _ in range(count)]
    for o in organizations:
        member_of(o)
    from marketplace.accounts.models import Organization

    Organization.objects.filter(pk__in=[o.pk for o in organizations]).update(
        credit_grade="D", credit_score="55.00")
    return organizations


def test_the_nightly_grade_d_rule_lists_everybody_in_the_same_number_of_queries():
    _graded_d(2)
    with CaptureQueriesContext(connection) as few:
        assert apply_grade_rule(now=NOW) == 2
    _graded_d(12)
    with CaptureQueriesContext(connection) as many:
        assert apply_grade_rule(now=NOW) == 12
    assert len(many) == len(few)
    assert BlacklistEntry.objects.filter(rule="grade_d").count() == 14
    assert Notification.objects.filter(kind="ratings.blacklisted").count() == 14
    assert AuditEntry.objects.filter(action="blacklist.added").count() == 14
    assert verify_streams().ok
