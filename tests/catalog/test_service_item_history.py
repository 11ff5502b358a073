"""Regulators change an item's published terms in the console (issue 17 §1): one service, with
a reason, a revision and an audit entry; the public page shows the terms in force on any past
date; nobody else may change them."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.accounts import services as accounts
from marketplace.audit.models import AuditEntry
from marketplace.catalog import selectors, services
from marketplace.catalog.models import FeePricing, ServiceItem, ServiceItemRevision
from marketplace.errors import DomainError, NotAllowed
from tests.factories.accounts import PASSWORD, OwnerFactory, log_in_verified, member_of

pytestmark = pytest.mark.django_db

EDIT = "/console/supervision/service-items/EIA-R/"
BEFORE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
REASON = "渝府办发〔2026〕30号：调整中介服务事项清单"


@pytest.fixture
def regulator(db):
    return accounts.create_regulator(username="catalogue-regulator", password=PASSWORD)


@pytest.fixture
def console(client, regulator):
    log_in_verified(client, regulator)
    client.cookies["django_language"] = "en"
    return client


def form(**changes) -> dict:
    data = {"legal_basis": "《中华人民共和国环境影响评价法》", "time_limit_days": "60",
            "workflow": "发布需求\n选取机构\n\n编制报告书",
            "application_conditions": "具备相应能力。", "fee_pricing": FeePricing.MARKET,
            "fee_standard": "市场调节价。",
            "competent_department": "重庆市生态环境局", "reason": REASON}
    data.update(changes)
    return data


def test_the_console_edit_writes_a_revision_and_an_audit_entry(console, regulator):
    item = ServiceItem.objects.get(code="EIA-R")
    initial = item.revisions.get()  # the migration's: the terms when history started

    assert console.get(EDIT).status_code == 200
    response = console.post(EDIT, form(time_limit_days="40", is_monopoly="on"))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"{EDIT}history/"
    item.refresh_from_db()
    assert (item.time_limit_days, item.is_monopoly) == (40, True)
    assert item.workflow == ["发布需求", "选取机构", "编制报告书"]
    latest = item.revisions.latest("valid_from", "id")
    assert latest.pk != initial.pk and latest.edited_by == regulator
    assert latest.reason == REASON and latest.terms["time_limit_days"] == 40
    entry = AuditEntry.objects.get(action="catalog.service_item_updated")
    assert entry.actor == regulator and entry.data["reason"] == REASON
    assert entry.data["before"]["time_limit_days"] == 60
    assert "time_limit_days" in entry.data["changed"]
    history = console.get(f"{EDIT}history/").content.decode()
    assert REASON in history and "Initial terms" in history


def test_a_change_without_a_reason_is_refused_and_nothing_is_written(console):
    response = console.post(EDIT, form(reason="", time_limit_days="40"))
    assert response.status_code == 200
    assert "Give the reason for the change" in response.content.decode()
    assert ServiceItem.objects.get(code="EIA-R").time_limit_days == 60
    assert ServiceItemRevision.objects.filter(item__code="EIA-R").count() == 1
    assert not AuditEntry.objects.filter(action="catalog.service_item_updated").exists()


def test_on_an_earlier_date_the_page_shows_the_old_terms(client, regulator):
    item = ServiceItem.objects.get(code="EIA-R")
    ServiceItemRevision.objects.filter(item=item).update(valid_from=BEFORE)
    services.service_item_update(item, regulator, REASON, time_limit_days=40,
                                 competent_department="重庆市生态环境局（新）")
    client.cookies["django_language"] = "en"

    old = client.get("/service-items/EIA-R/", {"on": "2026-06-01"}).content.decode()
    new = client.get("/service-items/EIA-R/").content.decode()

    assert "Published terms in force on 1 Jun 2026" in old
    assert "60 days" in old and "重庆市生态环境局（新）" not in old
    assert "40 days" in new and "重庆市生态环境局（新）" in new
    today = timezone.localdate().isoformat()
    assert "40 days" in client.get("/service-items/EIA-R/", {"on": today}).content.decode()
    assert 'href="#history"' in old and REASON in old


def test_terms_on_a_date_before_the_history_are_the_initial_terms(regulator):
    item = ServiceItem.objects.get(code="EIA-R")
    services.service_item_update(item, regulator, REASON, time_limit_days=40)
    assert selectors.terms_on(item, dt.date(2000, 1, 1)).time_limit_days == 60
    assert selectors.terms_on(item, timezone.localdate()).time_limit_days == 40


def test_a_bad_date_shows_the_current_terms_with_a_warning(client):
    page = client.get("/service-items/EIA-R/", {"on": "yesterday"})
    assert page.status_code == 200
    client.cookies["django_language"] = "en"
    page = client.get("/service-items/EIA-R/", {"on": "2026-13-40"}).content.decode()
    assert "Give a past date as YYYY-MM-DD" in page


def test_a_non_regulator_cannot_edit(client):
    owner = member_of(OwnerFactory())
    item = ServiceItem.objects.get(code="EIA-R")
    with pytest.raises(NotAllowed):
        services.service_item_update(item, owner, REASON, time_limit_days=1)
    client.force_login(owner)
    assert client.post(EDIT, form(time_limit_days="1")).status_code in (302, 403)
    assert ServiceItem.objects.get(code="EIA-R").time_limit_days == 60
    assert ServiceItemRevision.objects.filter(item=item).count() == 1


def test_bad_terms_are_refused_with_their_code(regulator):
    item = ServiceItem.objects.get(code="EIA-R")
    cases = [({"time_limit_days": 0}, "catalog.bad_time_limit"),
             ({"fee_pricing": "free"}, "catalog.bad_fee_pricing"),
             ({"workflow": ["x" * 201]}, "text.too_long"),
             ({"time_limit_days": 60}, "catalog.no_change"),
             ({"colour": "red"}, "catalog.unknown_term")]
    for terms, code in cases:
        with pytest.raises(DomainError) as refusal:
            services.service_item_update(item, regulator, REASON, **terms)
        assert refusal.value.code == code, terms
    assert ServiceItemRevision.objects.filter(item=item).count() == 1


def test_an_item_added_later_gets_its_first_revision_on_its_first_change(regulator):
    item = ServiceItem.objects.create(code="NEW-1", name="新增事项", category="综合")
    services.service_item_update(item, regulator, REASON, time_limit_days=12)
    first, second = item.revisions.order_by("valid_from", "id")
    assert first.terms["time_limit_days"] == 30 and first.edited_by is None
    assert second.terms["time_limit_days"] == 12


def test_djangos_admin_shows_items_read_only(admin_client):
    item = ServiceItem.objects.get(code="EIA-R")
    assert admin_client.get(f"/django-admin/catalog/serviceitem/{item.pk}/change/"
                            ).status_code == 200
    admin_client.post(f"/django-admin/catalog/serviceitem/{item.pk}/change/",
                      {"code": "EIA-R", "name": "改名", "time_limit_days": "1"})
    assert ServiceItem.objects.get(pk=item.pk).name == "环境影响评价（报告书）"
