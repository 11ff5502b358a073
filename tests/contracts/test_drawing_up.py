"""Drawing up: the final award becomes a contract with a frozen, hashed text."""

import hashlib

import pytest

from bidding import signals
from bidding.models import Project
from contracts import services
from contracts.models import Contract, ContractTemplate
from marketplace.audit.models import AuditEntry
from marketplace.errors import StateConflict
from marketplace.notifications.models import Notification
from marketplace.periods import add_period, setting_period
from tests.factories.contracts import (
    awarded_project,
    contract_awaiting_signatures,
    finalize,
    latest_contract,
    project_in_publicity,
    standing_award,
)

pytestmark = pytest.mark.django_db


def test_the_final_award_draws_up_one_contract_with_both_parties_and_the_bid(contract):
    bid = contract.bid
    assert contract.award.final and contract.agency == bid.agency
    assert contract.owner == contract.project.owner
    assert contract.price == bid.price and contract.promised_days == bid.promised_days
    assert contract.status == Contract.Status.AWAITING_SIGNATURES
    for text in (contract.owner.name, contract.owner.uscc, contract.owner.contact_name,
                 contract.agency.name, contract.agency.uscc, contract.project.title,
                 contract.project.description, contract.project.service_item.name,
                 "80,000.00", bid.fee_standard, bid.service_standard, bid.receipt,
                 "付款方式", "争议解决"):
        assert text in contract.text


def test_the_text_is_hashed_and_the_template_version_recorded(contract):
    assert contract.text_sha256 == hashlib.sha256(contract.text.encode("utf-8")).hexdigest()
    template = ContractTemplate.objects.get(is_active=True)
    assert (contract.template_id, contract.template_version) == (template.pk, template.version)


def test_the_signing_deadline_is_the_signing_period_after_drawing_up(contract):
    assert contract.signing_deadline == add_period(
        contract.created_at, setting_period("MARKETPLACE_SIGNING_PERIOD"))


def test_both_parties_are_notified_and_the_drawing_up_audited(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contract = contract_awaiting_signatures()
    notified = set(Notification.objects.filter(kind="contracts.drawn_up")
                   .values_list("user__membership__organization", flat=True))
    assert notified == {contract.owner_id, contract.agency_id}
    assert AuditEntry.objects.filter(action="contract.drawn_up",
                                     object_id=str(contract.pk)).count() == 1


def test_a_template_edited_afterwards_changes_neither_the_text_nor_the_hash(contract):
    text, digest = contract.text, contract.text_sha256
    new = services.template_add(title="新文本", body="完全不同的合同 {{ price }}", by=None)
    services.template_activate(template=new, by=None)
    ContractTemplate.objects.filter(version=1).update(body="改动后的旧版本")
    contract.refresh_from_db()
    assert (contract.text, contract.text_sha256) == (text, digest)
    assert contract.template_version == 1


def test_a_new_active_version_is_used_for_the_next_contract(db):
    new = services.template_add(title="第二版", body="第二版合同：{{ owner.name }} {{ price }}",
                                by=None)
    services.template_activate(template=new, by=None)
    contract = latest_contract(awarded_project())
    assert contract.template_version == new.version
    assert contract.text.startswith("第二版合同：")


def test_the_receiver_is_idempotent_when_the_signal_comes_twice(contract):
    award = contract.award
    signals.award_finalized.send(sender=Project, project=award.project, award=award,
                                 bid=award.bid, now=award.finalized_at, by=None)
    assert Contract.objects.filter(award=award).count() == 1
    assert services.contract_draw_up(award=award) == contract


def test_the_project_api_exposes_the_contract_id(contract, api_client):
    data = api_client.get(f"/api/v1/projects/{contract.project_id}/").json()
    assert data["contract"] == contract.pk


def test_without_a_template_in_use_the_award_stays_in_publicity(db):
    ContractTemplate.objects.update(is_active=False)
    project = project_in_publicity()
    with pytest.raises(StateConflict) as refused:
        finalize(project)
    assert refused.value.code == "state.conflict"
    project.refresh_from_db()
    assert project.status == Project.Status.PUBLICITY
    assert not standing_award(project).final
    assert not Contract.objects.filter(project=project).exists()
