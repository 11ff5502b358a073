"""Decisions on violation cases: upheld records the credit event once (and blacklists for
serious grounds); who can read a case and its evidence; the pages."""

import datetime as dt
import threading

import pytest
from django.db import connection

from marketplace.errors import StateConflict
from ratings.models import BlacklistEntry, CaseEvidence, CreditEvent, ViolationCase
from ratings.services import cases
from tests.conftest import client_for
from tests.factories.accounts import AgencyFactory, log_in_verified, reauthentication
from tests.factories.bidding import user_of
from tests.factories.cases import OPENED_AT, owner_case
from tests.factories.files import pdf
from tests.factories.ratings import regulator_user

Status = ViolationCase.Status


@pytest.mark.django_db
def test_upheld_case_records_the_grounds_credit_event_once():
    case = owner_case(grounds="non_compliant_work")
    case = cases.case_decide(case=case, upheld=True, decision="报告不符合规范", by=regulator_user(),
                             now=case.reply_due_at)
    event = case.credit_event
    assert case.status == Status.UPHELD
    assert event.event_type == "commitment_breach"
    assert (event.source_kind, event.source_id) == ("violation_case", case.pk)
    assert event.organization_id == case.respondent_id and event.basis == "报告不符合规范"
    assert CreditEvent.objects.filter(source_kind="violation_case").count() == 1
    assert case.blacklist_entry is None


@pytest.mark.django_db
def test_upheld_serious_grounds_blacklist_the_organization():
    case = owner_case(grounds="false_materials")
    case = cases.case_decide(case=case, upheld=True, decision="提供虚假业绩材料",
                             by=regulator_user(), now=case.reply_due_at)
    assert case.credit_event.event_type == "false_materials"
    entry = case.blacklist_entry
    assert entry is not None and entry.organization_id == case.respondent_id
    assert BlacklistEntry.objects.filter(organization=case.respondent).count() == 1
    case.respondent.refresh_from_db()
    assert case.respondent.is_blacklisted(case.reply_due_at + dt.timedelta(days=1))


@pytest.mark.django_db
def test_regulator_may_also_blacklist_on_other_grounds_with_an_end_date():
    case = owner_case(grounds="contract_breach")
    until = case.reply_due_at + dt.timedelta(days=90)
    case = cases.case_decide(case=case, upheld=True, decision="严重违约", by=regulator_user(),
                             blacklist_until=until, now=case.reply_due_at)
    assert case.blacklist_entry.ends_at == until
    assert case.blacklist_entry.source == BlacklistEntry.Source.REGULATOR


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_regulators_deciding_at_once_record_one_event_and_the_second_is_refused():
    case = owner_case(grounds="contract_breach")
    regulators = [regulator_user(), regulator_user()]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker(user):
        try:
            barrier.wait(timeout=30)
            results.append(cases.case_decide(case=case, upheld=True, decision="违约成立",
                                             by=user, now=case.reply_due_at))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(u,)) for u in regulators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], StateConflict)
    assert CreditEvent.objects.filter(source_kind="violation_case", source_id=case.pk).count() == 1


# --- Visibility ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_and_evidence_are_visible_to_parties_and_regulators_only():
    case = owner_case()
    evidence = case.evidence.get()
    insiders = [user_of(case.project.owner), user_of(case.respondent), regulator_user()]
    for user in insiders:
        client = client_for(user)
        assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
        download = client.get(f"/api/v1/cases/{case.pk}/evidence/{evidence.pk}/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")
    outsider = client_for(user_of(AgencyFactory()))
    refusal = outsider.get(f"/api/v1/cases/{case.pk}/")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
    refusal = outsider.get(f"/api/v1/cases/{case.pk}/evidence/{evidence.pk}/")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
    assert outsider.get("/api/v1/cases/").json()["count"] == 0
    assert client_for(regulator_user()).get("/api/v1/cases/").json()["count"] == 1


@pytest.mark.django_db
def test_case_pages_are_404_for_outsiders(client):
    case = owner_case()
    client.force_login(user_of(AgencyFactory()))
    response = client.get(f"/workspace/cases/{case.pk}/")
    assert response.status_code == 404 and "未找到。" in response.content.decode()
    evidence = case.evidence.get()
    response = client.get(f"/workspace/cases/{case.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 404 and "未找到。" in response.content.decode()


# --- The full flow through the API and the pages ---------------------------------------------


@pytest.mark.django_db
def test_api_flow_open_reply_decide():
    from tests.factories.cases import opened_project_with_bid

    project, agency = opened_project_with_bid()
    owner = client_for(user_of(project.owner))
    opened = owner.post("/api/v1/cases/", {
        "respondent": agency.pk, "grounds": "contract_breach", "statement": "未按约定提交成果",
        "project": project.pk, "evidence": [pdf()]}, format="multipart")
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert body["status"] == "awaiting_reply" and len(body["evidence"]) == 1
    case_id = body["id"]
    replied = client_for(user_of(agency)).post(f"/api/v1/cases/{case_id}/reply/",
                                               {"text": "业主未提供资料"}, format="json")
    assert replied.status_code == 200 and replied.json()["status"] == "replied"
    refused = owner.post(f"/api/v1/cases/{case_id}/decide/",
                         {"upheld": True, "decision": "x"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_allowed"
    decided = client_for(regulator_user()).post(f"/api/v1/cases/{case_id}/decide/", {
        "upheld": True, "decision": "违约成立"}, format="json")
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "upheld" and decided.json()["credit_event"]
    again = client_for(regulator_user()).post(f"/api/v1/cases/{case_id}/decide/", {
        "upheld": False, "decline_reason": "no_violation", "decision": "x"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "state.conflict"


@pytest.mark.django_db
def test_pages_open_reply_and_decide(client, settings):
    settings.MARKETPLACE_REPLY_PERIOD = "3wd"
    from tests.factories.cases import opened_project_with_bid

    project, agency = opened_project_with_bid()
    client.force_login(user_of(project.owner))
    assert client.get("/workspace/cases/new/").status_code == 200
    response = client.post("/workspace/cases/new/", {
        "respondent_uscc": agency.uscc, "grounds": "contract_breach", "project": project.pk,
        "statement": "未按约定提交成果", "evidence": [pdf()]})
    assert response.status_code == 302, response.content
    case = ViolationCase.objects.get()
    assert response["Location"] == f"/workspace/cases/{case.pk}/"
    assert CaseEvidence.objects.filter(case=case).count() == 1

    client.force_login(user_of(agency))
    assert client.get(f"/workspace/cases/{case.pk}/").status_code == 200
    response = client.post(f"/workspace/cases/{case.pk}/reply/", {"text": "我方已履约"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REPLIED

    regulator = regulator_user()
    log_in_verified(client, regulator)
    assert client.get("/workspace/cases/?status=replied").status_code == 200
    # The regulator reads the case page and decides in the console (one regulator interface).
    console = f"/console/supervision/cases/{case.pk}/"
    assert f'href="{console}"' in client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert client.get(f"/workspace/cases/{case.pk}/decide/")["Location"] == console
    response = client.post(console, {
        "upheld": "declined", "decline_reason": "no_violation", "decision": "不构成违约",
        **reauthentication(regulator)})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.DECLINED and case.decline_reason == "no_violation"
    client.force_login(user_of(project.owner))
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert "不构成违约" in page and "我方已履约" in page


@pytest.mark.django_db
def test_page_shows_an_unknown_uscc_as_a_form_error(client):
    from tests.factories.cases import opened_project_with_bid

    project, _agency = opened_project_with_bid()
    client.cookies["django_language"] = "en"
    client.force_login(user_of(project.owner))
    response = client.post("/workspace/cases/new/", {
        "respondent_uscc": "915000000000000000", "grounds": "contract_breach",
        "statement": "x"})
    assert response.status_code == 200
    assert "No organization has this code." in response.content.decode()
    assert not ViolationCase.objects.exists()


@pytest.mark.django_db
def test_reply_page_after_the_period_shows_the_refusal(client):
    case = owner_case(now=OPENED_AT)
    import time_machine

    client.force_login(user_of(case.respondent))
    with time_machine.travel(case.reply_due_at + dt.timedelta(seconds=1), tick=False):
        response = client.post(f"/workspace/cases/{case.pk}/reply/", {"text": "迟到的答复"})
    assert response.status_code == 409
    assert "陈述申辩期限已于 2026-03-17 10:00 届满。" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.AWAITING_REPLY


@pytest.mark.django_db
def test_regulator_opens_a_case_on_the_page_by_project_number(client):
    from tests.factories.cases import opened_project_with_bid

    project, agency = opened_project_with_bid()
    log_in_verified(client, regulator_user())
    response = client.post("/workspace/cases/new/", {
        "respondent_uscc": agency.uscc.lower(), "grounds": "collusion", "project": project.pk,
        "statement": "与其他投标人串通报价"})
    assert response.status_code == 302, response.content
    case = ViolationCase.objects.get()
    assert case.project_id == project.pk and case.opened_by_organization.is_regulator


@pytest.mark.django_db
def test_regulators_list_of_cases_ready_for_decision(client):
    import time_machine

    waiting = owner_case()
    replied = owner_case()
    cases.case_reply(case=replied, text="答复", by=user_of(replied.respondent),
                     now=OPENED_AT + dt.timedelta(hours=1))
    log_in_verified(client, regulator_user())
    with time_machine.travel(OPENED_AT + dt.timedelta(hours=2), tick=False):
        page = client.get("/workspace/cases/?status=ready")
    assert [c.pk for c in page.context["page"]] == [replied.pk]
    with time_machine.travel(waiting.reply_due_at, tick=False):
        page = client.get("/workspace/cases/?status=ready")
    assert sorted(c.pk for c in page.context["page"]) == sorted([waiting.pk, replied.pk])
