"""Random inspections (双随机、一公开): the commitment is public before the draw, the draw is
recomputable from public data alone, inspectors come only from the regulator's staff, results
are recorded once and published."""

import hashlib

import pytest

from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed, StateConflict
from ratings.models import CreditEvent, InspectionPlan, InspectionTarget
from ratings.services import inspections
from tests.conftest import client_for
from tests.factories.accounts import AgencyFactory, log_in_verified, member_of
from tests.factories.bidding import agency_offering, service_item, user_of
from tests.factories.cases import OPENED_AT, plan, regulator_with_staff

pytestmark = pytest.mark.django_db


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _independent_draw(secret: str, candidates: list[str], count: int) -> list[str]:
    """DESIGN's rule written out again with hashlib only (not the platform's helper)."""
    remaining, picked = sorted(candidates), []
    for _ in range(count):
        seed = _sha(secret + "".join(remaining))
        winner = remaining[int(seed, 16) % len(remaining)]
        picked.append(winner)
        remaining.remove(winner)
    return picked


@pytest.fixture
def regulator_and_staff():
    return regulator_with_staff(4)


def test_plan_publishes_the_commitment_and_hides_the_secret_until_the_draw(
        regulator_and_staff, api_client):
    _regulator, staff = regulator_and_staff
    item = plan(by=staff[0])
    assert item.draw_commitment == _sha(item.draw_secret)
    assert AuditEntry.objects.filter(action="inspection.planned",
                                     data__commitment=item.draw_commitment).exists()
    own = client_for(staff[1]).get(f"/api/v1/inspections/{item.pk}/").json()
    assert own["draw_commitment"] == item.draw_commitment and own["draw_secret"] == ""
    assert item.draw_secret not in str(own)
    # Plans not drawn yet are their regulator's only.
    refusal = api_client.get(f"/api/v1/inspections/{item.pk}/")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")


def test_draw_is_recomputable_from_public_data_only(regulator_and_staff, api_client):
    _regulator, staff = regulator_and_staff
    pool = [agency_offering() for _ in range(6)]
    AgencyFactory()  # offers nothing: outside the pool
    item = plan(by=staff[0], sample_size=3, inspectors_per_agency=2,
                service_item=service_item())
    commitment = item.draw_commitment
    inspections.plan_draw(plan=item, by=staff[0], now=OPENED_AT)

    public = api_client.get(f"/api/v1/inspections/{item.pk}/").json()
    secret = public["draw_secret"]
    assert _sha(secret) == commitment == public["draw_commitment"]
    assert sorted(public["pool"]) == sorted(a.uscc for a in pool)
    drawn = _independent_draw(secret, public["pool"], 3)
    assert [t["uscc"] for t in sorted(public["targets"], key=lambda t: t["position"])] == drawn
    for target in public["targets"]:
        expected = _independent_draw(_sha(secret + target["uscc"]), public["inspector_pool"], 2)
        assert sorted(i["code"] for i in target["inspectors"]) == sorted(expected)
        assert [d["code"] for d in target["inspector_draws"]] == expected


def test_inspectors_are_drawn_only_from_the_regulators_staff(regulator_and_staff):
    regulator, staff = regulator_and_staff
    other_regulator, other_staff = regulator_with_staff(5)
    for _ in range(5):
        agency_offering()
    item = plan(by=staff[0], sample_size=5, inspectors_per_agency=3)
    inspections.plan_draw(plan=item, by=staff[0], now=OPENED_AT)
    item.refresh_from_db()
    assert sorted(item.inspector_pool) == sorted(inspections.inspector_code(u.pk) for u in staff)
    assigned = {u.pk for t in item.targets.all() for u in t.inspectors.all()}
    assert assigned <= {u.pk for u in staff}
    assert not assigned & {u.pk for u in other_staff}
    assert all(t.inspectors.count() == 3 for t in item.targets.all())


def test_pool_filters_region_and_grade(regulator_and_staff):
    _regulator, staff = regulator_and_staff
    graded_a = agency_offering(credit_grade="A")
    agency_offering(credit_grade="C")
    item = plan(by=staff[0], sample_size=5, grades=["A"])
    inspections.plan_draw(plan=item, by=staff[0], now=OPENED_AT)
    item.refresh_from_db()
    assert item.pool == [graded_a.uscc]
    assert [t.agency_id for t in item.targets.all()] == [graded_a.pk]


def test_draw_refusals(regulator_and_staff):
    _regulator, staff = regulator_and_staff
    other_regulator, other_staff = regulator_with_staff(1)
    item = plan(by=staff[0])
    with pytest.raises(StateConflict) as refused:  # empty pool
        inspections.plan_draw(plan=item, by=staff[0], now=OPENED_AT)
    assert refused.value.code == "state.conflict"
    agency_offering()
    with pytest.raises(NotAllowed) as refused:
        inspections.plan_draw(plan=item, by=other_staff[0], now=OPENED_AT)
    assert refused.value.code == "not_allowed"
    with pytest.raises(NotAllowed) as refused:
        inspections.plan_draw(plan=item, by=user_of(AgencyFactory()), now=OPENED_AT)
    assert refused.value.code == "not_allowed"
    inspections.plan_draw(plan=item, by=staff[0], now=OPENED_AT)
    drawn = InspectionTarget.objects.filter(plan=item).count()
    assert drawn == 2  # K = 2: the agency offering a service and the one that tried to draw
    with pytest.raises(StateConflict) as refused:
        inspections.plan_draw(plan=item, by=staff[0], now=OPENED_AT)
    assert refused.value.code == "state.conflict"
    assert InspectionTarget.objects.filter(plan=item).count() == drawn
    short = plan(by=other_staff[0], inspectors_per_agency=2)
    with pytest.raises(StateConflict) as refused:  # one staff member, two inspectors needed
        inspections.plan_draw(plan=short, by=other_staff[0], now=OPENED_AT)
    assert refused.value.code == "state.conflict"


def test_plan_input_is_checked(regulator_and_staff):
    _regulator, staff = regulator_and_staff
    with pytest.raises(DomainError) as refused:
        plan(by=staff[0], grades=["E"])
    assert refused.value.code == "invalid"
    with pytest.raises(DomainError) as refused:
        plan(by=staff[0], sample_size=0)
    assert refused.value.code == "invalid"
    with pytest.raises(NotAllowed) as refused:
        plan(by=user_of(AgencyFactory()))
    assert refused.value.code == "not_allowed"
    assert not InspectionPlan.objects.exists()


def test_results_are_recorded_once_by_an_inspector_with_credit_events(regulator_and_staff,
                                                                      api_client):
    _regulator, staff = regulator_and_staff
    agency_offering()
    agency_offering()
    item = plan(by=staff[0], sample_size=2, inspectors_per_agency=1)
    inspections.plan_draw(plan=item, by=staff[0], now=OPENED_AT)
    first, second = item.targets.order_by("position")
    inspector = first.inspectors.get()
    outsider = member_of(item.regulator, role="staff")  # joined after the draw
    with pytest.raises(NotAllowed) as refused:
        inspections.inspection_record(target=first, passed=True, findings="", by=outsider,
                                      now=OPENED_AT)
    assert refused.value.code == "not_allowed"
    with pytest.raises(DomainError) as refused:
        inspections.inspection_record(target=first, passed=False, findings=" ", by=inspector,
                                      now=OPENED_AT)
    assert refused.value.code == "invalid"
    inspections.inspection_record(target=first, passed=False, findings="未按承诺时限出具报告",
                                  by=inspector, now=OPENED_AT)
    with pytest.raises(StateConflict) as refused:
        inspections.inspection_record(target=first, passed=True, findings="", by=inspector,
                                      now=OPENED_AT)
    assert refused.value.code == "state.conflict"
    item.refresh_from_db()
    assert item.status == InspectionPlan.Status.DRAWN
    admin = staff[0]  # member_of makes admins by default
    inspections.inspection_record(target=second, passed=True, findings="", by=admin,
                                  now=OPENED_AT)
    item.refresh_from_db()
    assert item.status == InspectionPlan.Status.COMPLETED
    events = CreditEvent.objects.filter(source_kind="inspection").order_by("source_id")
    assert [e.event_type for e in events] == ["inspection_failed", "inspection_passed"]

    page = api_client.get(f"/inspections/{item.pk}/").content.decode()
    assert "未按承诺时限出具报告" in page and item.draw_secret in page
    assert api_client.get("/inspections/").status_code == 200


def test_result_api_and_pages(regulator_and_staff, client):
    _regulator, staff = regulator_and_staff
    agency_offering()
    admin_client = client_for(staff[0])
    created = admin_client.post("/api/v1/inspections/", {
        "title": "抽查", "sample_size": 1, "inspectors_per_agency": 1, "grades": ["B"]},
        format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client_for(user_of(AgencyFactory())).post(
        f"/api/v1/inspections/{pk}/draw/").status_code == 404
    drawn = admin_client.post(f"/api/v1/inspections/{pk}/draw/")
    assert drawn.status_code == 200 and drawn.json()["status"] == "drawn"
    target_id = drawn.json()["targets"][0]["id"]
    recorded = admin_client.post(f"/api/v1/inspection-targets/{target_id}/result/",
                                 {"passed": True}, format="json")
    assert recorded.status_code == 200 and recorded.json()["result"] == "passed"
    refusal = admin_client.post(f"/api/v1/inspection-targets/{target_id}/result/",
                                {"passed": True}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")

    # The regulator's pages are the console's (one regulator interface); the public plan page
    # links its regulator and inspectors there.
    log_in_verified(client, staff[0])
    assert client.get("/console/supervision/inspections/").status_code == 200
    response = client.post("/console/supervision/inspections/new/", {
        "title": "第二批", "sample_size": 1, "inspectors_per_agency": 1})
    assert response.status_code == 302
    second = InspectionPlan.objects.exclude(pk=pk).get()
    own = client.get(f"/inspections/{second.pk}/")  # own, not drawn yet
    assert f'href="/console/supervision/inspections/{second.pk}/"' in own.content.decode()
    client.logout()
    refusal = client.get(f"/inspections/{second.pk}/")
    assert refusal.status_code == 404 and "未找到。" in refusal.content.decode()
    log_in_verified(client, staff[0])
    assert client.post(f"/console/supervision/inspections/{second.pk}/draw/").status_code == 302
    target = second.targets.get()
    result = f"/console/supervision/inspections/targets/{target.pk}/"
    assert f'href="{result}"' in client.get(f"/inspections/{second.pk}/").content.decode()
    response = client.post(result, {f"t{target.pk}-result": "failed",
                                    f"t{target.pk}-findings": "资质过期"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.result == "failed"
    page = client.get(f"/inspections/{second.pk}/").content.decode()
    assert "✓" in page and "✗" not in page
