"""Violation cases: who may open one, the reply period enforced by the server's clock, and
when a regulator may decide."""

import datetime as dt

import pytest
import time_machine

from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed, StateConflict
from marketplace.notifications.models import Notification
from marketplace.periods import add_period
from ratings.models import CaseEvidence, ViolationCase
from ratings.services import cases
from tests.conftest import client_for
from tests.factories.accounts import AgencyFactory, OwnerFactory
from tests.factories.bidding import agency_offering, bid, published_project, user_of
from tests.factories.cases import OPENED_AT, opened_project_with_bid, owner_case
from tests.factories.files import pdf, png
from tests.factories.ratings import regulator_user

pytestmark = pytest.mark.django_db
Status = ViolationCase.Status


def test_owner_opens_a_case_about_a_bidder_and_the_agency_is_notified():
    case = owner_case()
    assert case.status == Status.AWAITING_REPLY
    assert case.reply_due_at == add_period(OPENED_AT, "3wd")
    assert case.evidence.get().party == CaseEvidence.Party.OPENER
    assert Notification.objects.filter(user__membership__organization=case.respondent,
                                       kind="ratings.case_opened").exists()
    assert AuditEntry.objects.filter(action="case.opened", object_id=str(case.pk)).exists()


def test_regulators_are_told_of_cases_owners_open_and_of_replies():
    regulator = regulator_user()
    case = owner_case()
    assert Notification.objects.filter(user=regulator, kind="ratings.case_opened").exists()
    cases.case_reply(case=case, text="答复", by=user_of(case.respondent),
                     now=OPENED_AT + dt.timedelta(hours=1))
    assert Notification.objects.filter(user=regulator, kind="ratings.case_replied").exists()


def test_owner_cannot_open_a_case_about_an_agency_it_never_dealt_with():
    project, _agency = opened_project_with_bid()
    with pytest.raises(NotAllowed) as refused:
        cases.case_open(respondent=AgencyFactory(), grounds="contract_breach", statement="x",
                        by=user_of(project.owner), now=OPENED_AT)
    assert refused.value.code == "not_allowed"
    assert not ViolationCase.objects.exists()


def test_owner_cannot_name_a_bidder_of_a_project_still_sealed():
    """The refusal must not tell the owner who bid before opening."""
    project = published_project(min_bidders=1)
    agency = agency_offering()
    bid(project, agency)
    with pytest.raises(NotAllowed) as refused:
        cases.case_open(respondent=agency, grounds="collusion", statement="x", project=project,
                        by=user_of(project.owner), now=OPENED_AT)
    assert refused.value.code == "not_allowed"


def test_agencies_cannot_open_cases():
    with pytest.raises(NotAllowed) as refused:
        cases.case_open(respondent=OwnerFactory(), grounds="contract_breach", statement="x",
                        by=user_of(AgencyFactory()), now=OPENED_AT)
    assert refused.value.code == "not_allowed"


def test_regulator_may_open_a_case_about_an_owner_and_needs_a_statement():
    regulator = regulator_user()
    owner = OwnerFactory()
    with pytest.raises(DomainError) as refused:
        cases.case_open(respondent=owner, grounds="refusal_to_sign", statement="  ",
                        by=regulator, now=OPENED_AT)
    assert refused.value.field == "statement"
    case = cases.case_open(respondent=owner, grounds="refusal_to_sign", statement="拒签合同",
                           by=regulator, now=OPENED_AT)
    assert case.opened_by_organization.is_regulator


def test_a_bad_evidence_file_refuses_the_whole_case():
    from tests.factories.files import program

    with pytest.raises(DomainError) as refused:
        owner_case(files=[pdf(), program()])
    assert refused.value.code == "upload.type_not_accepted"
    assert not ViolationCase.objects.exists()
    assert not CaseEvidence.objects.exists()


# --- Reply -----------------------------------------------------------------------------------


def _reply_api(case, moment, **data):
    client = client_for(user_of(case.respondent))
    with time_machine.travel(moment, tick=False):
        return client.post(f"/api/v1/cases/{case.pk}/reply/",
                           {"text": "已按期提交", **data}, format="multipart")


def test_reply_one_second_before_the_end_of_the_period_is_accepted():
    case = owner_case()
    response = _reply_api(case, case.reply_due_at - dt.timedelta(seconds=1),
                          evidence=[png("回执.png")])
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.status == Status.REPLIED
    assert case.evidence.filter(party=CaseEvidence.Party.RESPONDENT).count() == 1
    assert Notification.objects.filter(kind="ratings.case_replied",
                                       user__membership__organization=case.project.owner
                                       ).exists()


def test_reply_one_second_after_the_end_of_the_period_is_refused_by_the_server_clock():
    case = owner_case()
    response = _reply_api(case, case.reply_due_at + dt.timedelta(seconds=1))
    assert response.status_code == 409
    assert response.json()["code"] == "state.conflict"
    case.refresh_from_db()
    assert case.status == Status.AWAITING_REPLY and case.reply == ""


def test_only_the_organization_concerned_can_reply_and_only_once():
    case = owner_case()
    with pytest.raises(NotAllowed) as refused:
        cases.case_reply(case=case, text="x", by=user_of(case.project.owner),
                         now=OPENED_AT + dt.timedelta(hours=1))
    assert refused.value.code == "not_allowed"
    cases.case_reply(case=case, text="答复", by=user_of(case.respondent),
                     now=OPENED_AT + dt.timedelta(hours=1))
    with pytest.raises(StateConflict) as refused:
        cases.case_reply(case=case, text="再答复", by=user_of(case.respondent),
                         now=OPENED_AT + dt.timedelta(hours=2))
    assert refused.value.code == "state.conflict"


# --- Decision timing -------------------------------------------------------------------------


def test_decision_before_the_period_ends_is_refused_without_a_reply():
    case = owner_case()
    with pytest.raises(StateConflict) as refused:
        cases.case_decide(case=case, upheld=True, decision="违约", by=regulator_user(),
                          now=case.reply_due_at - dt.timedelta(seconds=1))
    assert refused.value.code == "state.conflict"
    case.refresh_from_db()
    assert case.status == Status.AWAITING_REPLY and case.credit_event is None


def test_decision_before_the_period_ends_is_allowed_once_the_organization_replied():
    case = owner_case()
    cases.case_reply(case=case, text="答复", by=user_of(case.respondent),
                     now=OPENED_AT + dt.timedelta(hours=1))
    case = cases.case_decide(case=case, upheld=False, decline_reason="insufficient_evidence",
                             decision="证据不足", by=regulator_user(),
                             now=OPENED_AT + dt.timedelta(hours=2))
    assert case.status == Status.DECLINED and case.credit_event is None


def test_decision_after_the_period_is_allowed_without_a_reply():
    case = owner_case()
    case = cases.case_decide(case=case, upheld=False, decline_reason="no_violation",
                             decision="不构成违规", by=regulator_user(), now=case.reply_due_at)
    assert case.status == Status.DECLINED
    assert AuditEntry.objects.filter(action="case.decided", object_id=str(case.pk)).exists()


def test_only_regulators_decide():
    case = owner_case()
    for user in (user_of(case.project.owner), user_of(case.respondent)):
        with pytest.raises(NotAllowed) as refused:
            cases.case_decide(case=case, upheld=True, decision="x", by=user,
                              now=case.reply_due_at)
        assert refused.value.code == "not_allowed"


def test_declining_needs_a_reason_and_a_written_decision():
    case = owner_case()
    regulator = regulator_user()
    with pytest.raises(DomainError) as refused:
        cases.case_decide(case=case, upheld=False, decision="不成立", by=regulator,
                          now=case.reply_due_at)
    assert refused.value.field == "decline_reason"
    with pytest.raises(DomainError) as refused:
        cases.case_decide(case=case, upheld=True, decision=" ", by=regulator,
                          now=case.reply_due_at)
    assert refused.value.field == "decision"


def test_a_decided_case_cannot_be_replied_to_or_decided_again():
    case = owner_case()
    regulator = regulator_user()
    cases.case_decide(case=case, upheld=False, decline_reason="no_violation", decision="不成立",
                      by=regulator, now=case.reply_due_at)
    with pytest.raises(StateConflict) as refused:
        cases.case_decide(case=case, upheld=True, decision="改判", by=regulator,
                          now=case.reply_due_at)
    assert refused.value.code == "state.conflict"
    with pytest.raises(StateConflict) as refused:
        cases.case_reply(case=case, text="x", by=user_of(case.respondent),
                         now=case.reply_due_at)
    assert refused.value.code == "state.conflict"


def test_state_table_allows_only_forward_moves():
    case = ViolationCase(status=Status.UPHELD)
    for target in Status.values:
        with pytest.raises(StateConflict) as refused:
            cases.CASE.move(case, target, save=False)
        assert refused.value.code == "state.invalid_transition"
    case = ViolationCase(status=Status.REPLIED)
    with pytest.raises(StateConflict) as refused:
        cases.CASE.move(case, Status.AWAITING_REPLY, save=False)
    assert refused.value.code == "state.invalid_transition"
    cases.CASE.move(case, Status.DECLINED, save=False)
    assert case.status == Status.DECLINED
