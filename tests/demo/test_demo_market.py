"""`seed_demo` builds a living demo market through the services: offers, projects in every
state, sealed bids, a verifiable draw, signed contracts, a payment and revealed ratings, with
their announcements; the public pages show it, sealed prices stay sealed, and it is idempotent.
"""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from bidding.models import Award, Bid, Draw, Project, Question
from bidding.selectors_price_index import item_index
from cms.models import AnnouncementKind, AnnouncementPage
from contracts.models import Contract, Delivery, Payment, PaymentEvent, Signature
from demo.price_history import history_specs
from demo.projects import all_projects
from marketplace.accounts.models import Organization
from marketplace.audit.models import AuditEntry, StreamHead
from marketplace.audit.services import verify_chain
from marketplace.catalog.models import ServiceItem
from marketplace.notifications.models import Notification
from marketplace.outbox.models import OutboxMessage
from providers.models import AgencyService, Qualification
from ratings.models import CreditEvent, Rating
from tests.factories.bidding import as_its_agency

pytestmark = pytest.mark.django_db

Status = Project.Status


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    seed()


def project(title_part: str) -> Project:
    return Project.objects.get(title__contains=title_part)


def test_every_agency_offers_one_to_three_services_and_some_declare_certificates(seeded):
    agencies = Organization.objects.filter(kind=Organization.Kind.AGENCY)
    for agency in agencies:
        offers = AgencyService.objects.filter(agency=agency)
        assert 1 <= offers.count() <= 3, agency
        assert all(o.promised_days and o.fee_standard and o.service_standard for o in offers)
    declared = Qualification.objects.filter(status=Qualification.Status.DECLARED)
    assert declared.values("agency").distinct().count() >= 3
    assert all(q.file.name and q.file_content_type == "application/pdf" for q in declared)
    assert AuditEntry.objects.filter(action="agency_service.added").count() == \
        AgencyService.objects.count()


def test_the_seed_makes_projects_in_each_state(seeded):
    statuses = list(Project.objects.values_list("status", flat=True))
    assert statuses.count(Status.BIDDING) >= 2
    for status in (Status.EVALUATING, Status.PUBLICITY, Status.FAILED, Status.CANCELLED):
        assert status in statuses
    assert statuses.count(Status.AWARDED) >= 3
    methods = set(Project.objects.values_list("selection_method", flat=True))
    assert methods == set(Project.Method.values)
    assert set(Project.objects.values_list("quote_format", flat=True)) == \
        set(Project.QuoteFormat.values)
    assert Project.objects.count() == len(all_projects()) + len(history_specs())


def test_bidding_projects_are_open_in_the_coming_days_with_sealed_bids_and_answers(seeded):
    now = timezone.now()
    for p in Project.objects.filter(status=Status.BIDDING):
        assert p.published_at < now < p.bid_deadline
        assert p.bid_deadline - now < timezone.timedelta(days=14)
        assert p.opened_at is None
        assert Bid.objects.filter(project=p, status=Bid.Status.SUBMITTED).count() >= 2
        assert Question.objects.filter(project=p, answered_at__isnull=False).exists()


def test_each_history_is_in_the_past_and_what_runs_still_runs(seeded):
    now = timezone.now()
    evaluating = Project.objects.get(status=Status.EVALUATING)
    assert evaluating.opened_at <= now
    assert Bid.objects.filter(project=evaluating, valid=True).count() >= 2
    publicity = Award.objects.get(project__status=Status.PUBLICITY)
    assert publicity.proposed_at <= now < publicity.publicity_ends_at
    failed = Project.objects.get(status=Status.FAILED)
    assert failed.failed_reason
    cancelled = Project.objects.get(status=Status.CANCELLED)
    assert cancelled.cancel_reason and cancelled.cancelled_at <= now
    assert AuditEntry.objects.filter(created_at__gt=now).count() == 0


def test_a_random_award_has_a_verifiable_draw_and_a_contract_inside_its_window(seeded):
    drawn = Project.objects.get(selection_method=Project.Method.RANDOM)
    assert drawn.status == Status.AWARDED
    draw = Draw.objects.get(project=drawn)
    assert draw.bid.receipt in draw.candidates
    contract = Contract.objects.get(project=drawn)
    assert contract.status == Contract.Status.AWAITING_SIGNATURES
    assert contract.signing_deadline > timezone.now()


def test_contracts_are_signed_performed_paid_and_rated_through_the_services(seeded):
    active = Contract.objects.get(status=Contract.Status.ACTIVE)
    assert Signature.objects.filter(contract=active).count() == 2
    completed = Contract.objects.get(status=Contract.Status.COMPLETED)
    assert Signature.objects.filter(contract=completed).count() == 2
    assert Delivery.objects.get(contract=completed).outcome == Delivery.Outcome.ACCEPTED
    payment = Payment.objects.get(contract=completed)
    assert payment.status == Payment.Status.CONFIRMED
    assert payment.amount == completed.price
    assert PaymentEvent.objects.filter(payment=payment).count() == 3  # started, sent, confirmed
    ratings = Rating.objects.filter(contract=completed)
    assert sorted(ratings.values_list("direction", flat=True)) == sorted(
        Rating.Direction.values)
    assert all(r.revealed_at is not None and not r.is_default for r in ratings)
    assert CreditEvent.objects.filter(event_type="rating_received").count() == 2
    assert AuditEntry.objects.filter(action="contract.signed").count() == 4


def test_announcements_and_notices_exist_at_once(seeded):
    kinds = set(AnnouncementPage.objects.live().values_list("kind", flat=True))
    for kind in (AnnouncementKind.PROCUREMENT, AnnouncementKind.QA, AnnouncementKind.OPENING,
                 AnnouncementKind.AWARD_PUBLICITY, AnnouncementKind.RESULT,
                 AnnouncementKind.TERMINATION):
        assert kind in kinds
    assert Notification.objects.exists()
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_the_audit_chain_verifies(seeded):
    result = verify_chain()
    assert result.ok, result
    assert result.checked == AuditEntry.objects.count()


def test_public_pages_answer_after_seeding(seeded, client):
    drawn = Project.objects.get(selection_method=Project.Method.RANDOM)
    paths = ["/", "/projects/", "/agencies/", "/announcements/", "/credit/",
             f"/projects/{drawn.pk}/draw/"]
    paths += [f"/projects/{p.pk}/" for p in Project.objects.all()]
    paths += [page.url for page in AnnouncementPage.objects.live()[:5]]
    for path in paths:
        assert client.get(path).status_code == 200, path
    draw_page = client.get(f"/projects/{drawn.pk}/draw/").content.decode()
    assert Draw.objects.get(project=drawn).seed in draw_page
    # The price index has data for a couple of items (demo.price_history).
    cache.clear()
    for code in ("EIA-T", "MAP-TOPO"):
        assert client.get(f"/price-index/items/{code}/").status_code == 200
        summary = item_index(ServiceItem.objects.get(code=code)).summary
        assert summary.enough, (code, summary.projects)
    assert client.get("/price-index/").status_code == 200


def _spellings(value: Decimal) -> set[str]:
    whole = int(value)
    return {str(value), f"{whole:,}", f"{value:,}", f"{value:,.2f}"}


def test_no_sealed_price_of_a_bidding_project_appears_on_public_pages(seeded, client):
    pages = [client.get("/projects/").content.decode(),
             client.get("/announcements/").content.decode(),
             client.get("/").content.decode()]
    bidding = Project.objects.filter(status=Status.BIDDING)
    for p in bidding:
        pages.append(client.get(f"/projects/{p.pk}/").content.decode())
    for bid in map(as_its_agency, Bid.objects.filter(project__in=bidding)):
        secrets = _spellings(bid.price)
        if bid.discount_rate is not None:
            secrets |= {str(bid.discount_rate), f"{bid.discount_rate.normalize()}%"}
        for page in pages:
            for secret in secrets:
                assert secret not in page, (bid.project_id, secret)


def test_running_the_seed_again_changes_nothing():
    seed()
    models = [Project, Bid, Question, Award, Draw, Contract, Signature, Delivery, Payment,
              PaymentEvent, Rating, CreditEvent, AgencyService, Qualification, AnnouncementPage,
              Notification, OutboxMessage, AuditEntry]
    before = {m.__name__: m.objects.count() for m in models}
    heads = dict(StreamHead.objects.values_list("stream", "hash"))

    seed()

    assert {m.__name__: m.objects.count() for m in models} == before
    assert dict(StreamHead.objects.values_list("stream", "hash")) == heads


def test_a_government_department_selects_a_monopoly_item_directly(seeded):
    monopoly = project("电梯监督检验")
    assert monopoly.owner.is_government_owner
    assert monopoly.selection_method == Project.Method.DIRECT
    assert monopoly.service_item.is_monopoly
    contract = Contract.objects.get(project=monopoly)
    assert contract.time_limit_days == monopoly.service_item.time_limit_days
    assert contract.competent_department == "重庆市市场监督管理局"


def test_the_demo_contracts_carry_both_digital_signatures_that_verify_on_the_root_alone(seeded):
    """Issue 16's done-when: both signatures of a demo contract verify against the published
    root certificate alone; one byte changed after signing is detected."""
    from contracts.pades.verification import load_certificates, verify_document
    from marketplace.pki.selectors import root_pem

    roots = load_certificates(root_pem())
    active = Contract.objects.get(status=Contract.Status.ACTIVE)
    last = Signature.objects.filter(contract=active).exclude(signed_pdf="").latest("signed_at")
    data = last.signed_pdf.read()

    report = verify_document(data, roots=roots)

    assert [(s.valid, s.intact, s.trusted) for s in report.signatures] == [(True, True, True)] * 2
    assert {s.uscc for s in report.signatures} == {active.owner.uscc, active.agency.uscc}
    position = data.index(b"/CreationDate")  # a byte inside the signed range
    tampered = data[:position + 20] + bytes([data[position + 20] ^ 1]) + data[position + 21:]
    assert not any(s.valid for s in verify_document(tampered, roots=roots).signatures)


def test_each_collusion_and_favouritism_pattern_fires_on_the_demo_market(seeded):
    from demo.management.commands.seed_demo import existing_market
    from ratings.models import RedFlag, RedFlagRun

    run = RedFlagRun.objects.get()
    assert all(run.counts[code] >= 1 for code in ("CN02", "CN03", "CN04", "CN05")), run.counts
    org = existing_market().organizations

    def named(code: str) -> set:
        flag = RedFlag.objects.get(indicator=code)
        return {(p.organization_id, p.role) for p in flag.parties.all()}

    assert named("CN02") == {(org["agency2"].pk, "agency"), (org["agency5"].pk, "agency")}
    assert named("CN03") == {(org["agency5"].pk, "runner_up"), (org["agency6"].pk, "winner")}
    assert named("CN04") == {(org["owner3"].pk, "owner"), (org["agency3"].pk, "winner")}
    assert named("CN05") == {(org["owner2"].pk, "owner")}
