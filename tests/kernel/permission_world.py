"""The world the permission matrix (test_permission_matrix.py) requests every route in: one
owner and one bidding agency whose objects fill every `<pk>` of the URL conf, and the roles
that must or must not see them. Built once per module with the factories (services where the
factories go through them), so states and ownership are real."""

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone

from bidding import services as bidding
from bidding.models import Project
from bidding.services.saved_searches import saved_search_create
from cms.console.groups import EDITORS
from contracts.payments import services as payments
from contracts.services import contract_deliver
from marketplace.accounts.models import Membership
from marketplace.accounts.services import api_token_issue, invite_staff, session_started
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import CalendarDay, CalendarYear
from marketplace.notifications.services import notify
from marketplace.webhooks import services as webhooks
from marketplace.webhooks.delivery import emit
from ratings import services as ratings
from ratings.models import BlacklistEntry, RedFlag
from ratings.services import inspections
from tests.factories.accounts import (
    OwnerFactory,
    UserFactory,
    member_of,
)
from tests.factories.bidding import (
    T0,
    ProjectFactory,
    agency_offering,
    bid,
    open_bids,
    publish,
    published_project,
    user_of,
)
from tests.factories.cases import complaint, owner_case, plan, regulator_with_staff
from tests.factories.files import pdf
from tests.factories.payments import payable_contract
from tests.factories.providers import QualificationFactory
from tests.factories.ratings import closed_contract, contract_template, event

ROLES = ("anonymous", "other_agency", "bidder", "owner", "other_owner", "regulator", "editor")
OWNER_SCORES = {"quality": 5, "timeliness": 4, "attitude": 5, "fee_compliance": 4, "conduct": 5}


def _sealed_project(owner, bidder, now):
    """Published now, one document, the bidder's bid still sealed and its question open."""
    project = ProjectFactory(owner=owner, min_bidders=1, bid_deadline=now + dt.timedelta(days=10))
    bidding.project_attach(project=project, files=[pdf("招标文件.pdf")], by=user_of(owner),
                           now=now)
    project = publish(project, now=now)
    offer = bid(project, bidder, files=[pdf()], now=now + dt.timedelta(minutes=1))
    question = bidding.question_ask(project=project, by=user_of(bidder), text="工期能否延长？",
                                    now=now + dt.timedelta(minutes=2))
    return project, offer, question


def _project_in_publicity(owner, bidder, winner):
    """Opened and awarded to `winner`; the bidder (second) objects during the publicity."""
    project = published_project(owner=owner, min_bidders=1, now=T0)
    bid(project, winner, "80000.00")
    bid(project, bidder, "85000.00")
    project = open_bids(project)
    awarded_at = project.bid_deadline + dt.timedelta(hours=1)
    project = bidding.project_award(project=project, by=user_of(owner), now=awarded_at)
    objection = bidding.objection_file(project=project, by=user_of(bidder), reason="评分有误",
                                       files=[pdf("异议.pdf")],
                                       now=awarded_at + dt.timedelta(hours=1))
    return project, objection


def _blacklisting(bidder, regulator_user, now):
    """Written straight in the table: the service would also sanction the bidder's bids and
    contracts, which the rest of the world needs as they are. Listed long enough ago that a
    repair may be asked for; appealed on its first day."""
    entry = BlacklistEntry.objects.create(
        organization=bidder, reason="提供虚假材料", basis="《管理办法》第二十条",
        source=BlacklistEntry.Source.REGULATOR, starts_at=now - dt.timedelta(days=120),
        ends_at=now + dt.timedelta(days=365), created_by=regulator_user)
    appeal = ratings.appeal_submit(entry=entry, text="材料属实", files=[pdf("申诉.pdf")],
                                   by=user_of(bidder), now=entry.starts_at + dt.timedelta(days=1))
    repair = ratings.repair_request(entry=entry, text="已整改", files=[pdf("整改.pdf")],
                                    by=user_of(bidder), now=now)
    return entry, appeal, repair


def _webhook(owner, admin):
    """The owner's endpoint with one delivery in its log (never sent: no commit here)."""
    endpoint, _secret = webhooks.endpoint_create(organization=owner, url="http://127.0.0.1:9/",
                                                 events=["award.final"], by=admin)
    emit("award.final", {"matrix": True}, organizations=[owner])
    return endpoint, endpoint.deliveries.get()


def build_world() -> dict:
    now = timezone.now()
    owner, other_owner = OwnerFactory(), OwnerFactory()
    bidder, other_agency, winner = agency_offering(), agency_offering(), agency_offering()
    regulator_user = regulator_with_staff(3)[1][0]  # an inspection draws two inspectors
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name=EDITORS))
    users = {"anonymous": None, "other_agency": user_of(other_agency), "bidder": user_of(bidder),
             "owner": user_of(owner), "other_owner": user_of(other_owner),
             "regulator": regulator_user, "editor": editor}

    draft = ProjectFactory(owner=owner)
    sealed, sealed_bid, question = _sealed_project(owner, bidder, now)
    publicity, objection = _project_in_publicity(owner, bidder, winner)
    contract = payable_contract(owner=owner, agency=bidder)
    payment = payments.payment_start(contract=contract, method="offline", by=users["owner"])
    delivery = contract_deliver(contract=contract, by=users["bidder"], note="报告初稿",
                                files=[pdf("报告.pdf")])
    closed = closed_contract(owner=owner, agency=bidder)
    rating = ratings.rating_submit(contract=closed, scores=OWNER_SCORES, by=users["owner"],
                                   now=T0 + dt.timedelta(days=31))
    case = owner_case(owner=owner, agency=bidder)
    filed = complaint(subject=bidder, by=users["owner"], files=[pdf("投诉.pdf")])
    drawn = inspections.plan_draw(plan=plan(by=regulator_user), by=regulator_user)
    entry, appeal, repair = _blacklisting(bidder, regulator_user, now)
    colleague = member_of(owner, role=Membership.Role.STAFF)
    session = session_started(user=users["owner"], session_key="matrix" * 5, ip="127.0.0.1",
                              user_agent="pytest")
    webhook, webhook_delivery = _webhook(owner, users["owner"])
    flag = RedFlag.objects.create(indicator="R018", key=f"project:{publicity.pk}",
                                  project=publicity, created_at=now, computed_at=now)
    return {
        "webhook": webhook, "webhook_delivery": webhook_delivery,
        "users": users, "owner": owner, "bidder": bidder, "draft": draft, "sealed": sealed,
        "sealed_bid": sealed_bid, "question": question,
        "document": sealed.attachments.get(), "bid_file": sealed_bid.attachments.get(),
        "publicity": publicity, "objection": objection,
        "objection_file": objection.attachments.get(),
        "contract": contract, "payment": payment, "delivery_file": delivery.files.get(),
        "closed": closed, "rating": rating, "case": case, "case_evidence": case.evidence.first(),
        "complaint": filed, "complaint_file": filed.attachments.get(),
        "plan": drawn, "target": drawn.targets.first(),
        "credit_event": event(bidder), "entry": entry, "appeal": appeal, "repair": repair,
        "appeal_kind": "appeal", "appeal_file": appeal.evidence.get(),
        "qualification": QualificationFactory(agency=bidder),
        "service_code": sealed.service_item.code,
        "token": api_token_issue(user=users["owner"])[0], "session": session,
        "invitation": invite_staff(organization=owner, email="new@example.cn",
                                   by=users["owner"]).token,
        "colleague": colleague, "template": contract_template(),
        # The holiday calendar that migrations load.
        "calendar_day": CalendarDay.objects.order_by("pk").first(),
        "calendar_year": CalendarYear.objects.order_by("pk").first(),
        "audit_entry": AuditEntry.objects.order_by("pk").first(),
        "red_flag": flag,
        "missing": 999999, "uidb64": "MQ", "reset_token": "set-password",
        # Issue 17 §5: the owner's user's inbox message and saved search.
        "notification": notify(users=[users["owner"]], title="新消息", email=False)[0],
        "saved_search": saved_search_create(user=users["owner"], name="环评",
                                            query=f"service_item={sealed.service_item.code}"),
    }


__all__ = ["ROLES", "Project", "build_world"]
