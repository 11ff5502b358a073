"""Sealed bids do not leak through the audit log (#13 §1): before a project's opening nobody,
regulators and superusers included, reads an entry about its bids (submitted, revised,
withdrawn, disqualified...) in any view of the log: the console's listing, its filters, search,
export and detail pages, Django's admin. After the opening they all appear. The stored entries
are untouched: the chain still verifies."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from bidding import services as bidding
from bidding.models import Bid
from marketplace.accounts import services as accounts
from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry
from marketplace.audit.selectors import visible_entries
from marketplace.audit.services import verify_chain
from ratings import services as ratings
from ratings.models import BlacklistEntry
from tests.factories.accounts import PASSWORD, RegulatorFactory, UserFactory, log_in_verified
from tests.factories.bidding import T0, agency_offering, bid, open_bids, published_project, user_of

pytestmark = pytest.mark.django_db
LOG = "/console/supervision/audit/"
SEALED = {"bid.submitted", "bid.revised", "bid.withdrawn", "bid.confirmed", "bid.disqualified"}


@pytest.fixture
def console_regulator(db):
    return accounts.create_regulator(username="audit-regulator", password=PASSWORD)


@pytest.fixture
def bidding_round(db):
    """A project in bidding with a submitted and revised bid, a withdrawn one, and one
    disqualified by a blacklisting: every kind of bid entry, all sealed."""
    project = published_project(now=T0)
    kept, withdrawn, listed = agency_offering(), agency_offering(), agency_offering()
    hour = dt.timedelta(hours=1)
    own = bid(project, kept, now=T0 + hour)
    bidding.bid_revise(bid=own, by=user_of(kept), price=Decimal("79000.00"), promised_days=20,
                       proposal="技术方案（修订）", now=T0 + 2 * hour)
    gone = bid(project, withdrawn, now=T0 + hour)
    bidding.bid_withdraw(bid=gone, by=user_of(withdrawn), now=T0 + 3 * hour)
    bid(project, listed, now=T0 + hour)
    ratings.blacklist_add(organization=listed, reason="提供虚假材料", basis="监管决定",
                          ends_at=T0 + dt.timedelta(days=365),
                          source=BlacklistEntry.Source.REGULATOR,
                          by=user_of(RegulatorFactory()), now=T0 + 4 * hour)
    return project, kept, withdrawn, listed


def bid_entries():
    return AuditEntry.objects.filter(action__startswith="bid.")


def listed_actions(client, query="") -> list[str]:
    response = client.get(LOG + query)
    assert response.status_code == 200
    return [entry.action for entry in response.context["object_list"]]


def test_every_bid_entry_is_sealed_until_its_project_opens(bidding_round):
    project = bidding_round[0]
    assert {e.action for e in bid_entries()} == SEALED - {"bid.confirmed"}
    assert set(bid_entries().values_list("sealed_project_id", flat=True)) == {project.pk}
    assert not visible_entries(bid_entries(), T0 + dt.timedelta(days=10)).exists()


def test_before_opening_the_console_log_its_filters_and_search_show_no_bid(
        client, console_regulator, bidding_round):
    _project, kept, withdrawn, listed = bidding_round
    log_in_verified(client, console_regulator)
    shown = listed_actions(client)
    assert shown and not SEALED & set(shown)
    page = client.get(LOG).content.decode()
    assert "bid.submitted" not in page and "bid.revised" not in page
    assert listed_actions(client, "?action=bid.") == []
    assert listed_actions(client, "?action=bid.submitted") == []
    for agency in (kept, withdrawn, listed):
        assert not SEALED & set(listed_actions(client, f"?organization={agency.pk}"))
    # The blacklisting itself is public; it no longer counts the agency's bids.
    blacklisted = listed_actions(client, f"?organization={listed.pk}")
    assert "blacklist.added" in blacklisted
    entry = AuditEntry.objects.get(action="blacklist.added")
    assert "bids_disqualified" not in entry.data
    assert listed_actions(client, "?q=Bid") == []


def test_before_opening_a_bid_entry_detail_is_not_found(client, console_regulator,
                                                         bidding_round):
    log_in_verified(client, console_regulator)
    for entry in bid_entries():
        assert client.get(f"{LOG}inspect/{entry.pk}/").status_code == 404, entry.action


def test_before_opening_the_console_export_counts_no_bid_entry(client, console_regulator,
                                                                 bidding_round):
    log_in_verified(client, console_regulator)
    response = client.get(LOG + "?export=csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    # One header line, then one line per entry shown: as many as are readable, no more.
    assert bid_entries().count() == 6
    assert len(lines) - 1 == visible_entries().count() == AuditEntry.objects.count() - 6


def test_before_opening_superusers_do_not_read_bid_entries_in_django_admin(client,
                                                                           bidding_round):
    log_in_verified(client, UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/django-admin/audit/auditentry/?action__exact=bid.submitted")
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == []
    for entry in bid_entries():
        change = client.get(f"/django-admin/audit/auditentry/{entry.pk}/change/")
        assert change.status_code == 302  # "does not exist", back to the list


def test_after_opening_the_bid_entries_appear_everywhere(client, console_regulator,
                                                         bidding_round):
    project, kept, _withdrawn, listed = bidding_round
    open_bids(project)
    log_in_verified(client, console_regulator)
    assert set(listed_actions(client, "?action=bid.")) == SEALED - {"bid.confirmed"}
    assert "bid.revised" in listed_actions(client, f"?organization={kept.pk}")
    assert "bid.disqualified" in listed_actions(client, f"?organization={listed.pk}")
    for entry in bid_entries():
        detail = client.get(f"{LOG}inspect/{entry.pk}/")
        assert detail.status_code == 200 and entry.action in detail.content.decode()


def test_a_project_cancelled_before_opening_keeps_its_bidders_secret(client, console_regulator,
                                                                     bidding_round):
    project = bidding_round[0]
    bidding.project_cancel(project=project, by=user_of(project.owner), reason="需求取消",
                           now=T0 + dt.timedelta(days=1))
    log_in_verified(client, console_regulator)
    assert listed_actions(client, "?action=bid.") == []


def test_the_chain_still_verifies_before_and_after_opening(bidding_round):
    assert verify_chain().ok
    open_bids(bidding_round[0])
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "chain intact" in out.getvalue()


def test_entries_written_before_the_seal_existed_are_sealed_by_the_migration(bidding_round):
    """The data migration fills the new column from what each entry says, hashed fields
    untouched (bidding 0003)."""
    import importlib

    project, kept, _withdrawn, listed = bidding_round
    # As the entries were before: no column, and the sanction's single agency-wide entry.
    reason = Bid.objects.get(agency=listed).invalid_reason
    with transaction.atomic():
        audit.record(action="bid.disqualified", organization=listed, obj=listed,
                     data={"reason": reason, "bids": 1},
                     now=T0 + dt.timedelta(hours=5))
    bid_entries().update(sealed_project_id=None)
    migration = importlib.import_module("bidding.migrations.0003_seal_bid_audit_entries")
    migration.seal_bid_entries(apps, None)
    assert set(bid_entries().values_list("sealed_project_id", flat=True)) == {project.pk}
    assert not visible_entries(bid_entries()).exists()
    assert verify_chain().ok


def test_every_reader_of_the_audit_log_goes_through_visible_entries():
    """A scan: a module that reads AuditEntry rows outside the audit app's own services must
    call the one selector (marketplace/audit/selectors.py)."""
    root = Path(__file__).resolve().parents[2]
    allowed = {root / "marketplace/audit/services.py", root / "marketplace/audit/selectors.py",
                   root / "marketplace/audit/checkpoints.py"}  # verification, never shown
    offenders = []
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in (".venv", "node_modules", "tests") or "migrations" in parts:
            continue
        if path in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        reads = "AuditEntry.objects" in text or "model = AuditEntry" in text or \
            "register(AuditEntry)" in text
        if reads and "visible_entries" not in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []

