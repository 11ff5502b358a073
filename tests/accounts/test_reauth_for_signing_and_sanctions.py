"""Re-authentication before grave acts (`check_reauthenticated`): signing a contract needs a
current code from a signer with an authenticator app (page and API); a regulator's sanctions in
the console need the password and a code. A refusal records nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from contracts.models import Signature
from marketplace.accounts import services as accounts
from marketplace.accounts.second_factor import check_reauthenticated
from marketplace.audit.models import AuditEntry
from marketplace.errors import NotAllowed
from ratings.models import BlacklistEntry, CreditEvent
from tests.conftest import client_for
from tests.factories.accounts import (
    PASSWORD,
    give_authenticator,
    log_in_verified,
    reauthentication,
    totp_code,
)
from tests.factories.bidding import user_of
from tests.factories.contracts import contract_awaiting_signatures

pytestmark = pytest.mark.django_db
S = "/console/supervision"


@pytest.fixture
def contract(db, time_machine):
    contract = contract_awaiting_signatures()
    time_machine.move_to(contract.created_at + dt.timedelta(hours=1), tick=False)
    return contract


def _sign_api(contract, user, **body):
    return client_for(user).post(f"/api/v1/contracts/{contract.pk}/sign/",
                                 {"password": PASSWORD, **body}, format="json")


def test_signing_without_or_with_a_wrong_code_is_refused_and_nothing_is_signed(contract):
    signer = user_of(contract.agency)
    device = give_authenticator(signer)
    missing = _sign_api(contract, signer)
    assert (missing.status_code, missing.json()["code"]) == (403, "otp.code_required")
    wrong = _sign_api(contract, signer, otp_code="000000")
    assert (wrong.status_code, wrong.json()["code"]) == (403, "otp.code_invalid")
    assert not Signature.objects.exists()
    assert not AuditEntry.objects.filter(action="contract.signed").exists()
    device.throttle_reset()
    signed = _sign_api(contract, signer, otp_code=totp_code(device))
    assert signed.status_code == 200, signed.json()
    assert Signature.objects.get().user == signer


def test_a_signer_without_an_authenticator_signs_with_the_password_alone(contract):
    assert _sign_api(contract, user_of(contract.owner)).status_code == 200


def test_the_signing_page_asks_a_signer_with_an_authenticator_for_the_code(client, contract):
    signer = user_of(contract.owner)
    client.cookies["django_language"] = "en"
    client.force_login(signer)
    url = f"/workspace/contracts/{contract.pk}/sign/"
    assert 'name="otp_code"' not in client.get(url).content.decode()
    device = give_authenticator(signer)
    page = client.get(url).content.decode()
    assert 'name="otp_code"' in page and "Code from your authenticator app" in page
    refused = client.post(url, {"password": PASSWORD, "otp_code": "000000",
                                "text_sha256": contract.text_sha256})
    assert "That code is not correct or has already been used." in refused.content.decode()
    assert not Signature.objects.exists()
    device.throttle_reset()
    done = client.post(url, {"password": PASSWORD, "otp_code": totp_code(device),
                             "text_sha256": contract.text_sha256})
    assert done.status_code == 302 and Signature.objects.count() == 1


def test_the_rule_names_the_password_before_the_code(agency_admin):
    give_authenticator(agency_admin)
    with pytest.raises(NotAllowed) as wrong_password:
        check_reauthenticated(agency_admin, "not-it", "123456")
    assert wrong_password.value.field == "password"
    with pytest.raises(NotAllowed) as no_code:
        check_reauthenticated(agency_admin, PASSWORD, "")
    assert no_code.value.code == "otp.code_required"


@pytest.fixture
def console(client, db):
    regulator = accounts.create_regulator(username="sanction-reg", password=PASSWORD)
    client.cookies["django_language"] = "en"
    log_in_verified(client, regulator)
    return client, regulator


def test_a_blacklisting_without_re_authentication_is_refused_and_nothing_written(console,
                                                                                 agency):
    client, regulator = console
    ends = timezone.localtime(timezone.now() + dt.timedelta(days=90)).strftime("%Y-%m-%dT%H:%M")
    entry = {"organization": agency.uscc, "reason": "提供虚假材料", "basis": "决定书",
             "ends_at": ends}
    form = client.get(f"{S}/blacklist/new/").content.decode()
    assert 'name="password"' in form and 'name="otp_code"' in form
    refused = client.post(f"{S}/blacklist/new/", entry)
    assert refused.status_code == 200
    assert "The password is not correct." in refused.content.decode()
    wrong = client.post(f"{S}/blacklist/new/", {**entry, "password": PASSWORD,
                                                "otp_code": "000000"})
    assert "That code is not correct or has already been used." in wrong.content.decode()
    assert not BlacklistEntry.objects.exists()
    assert not AuditEntry.objects.filter(action="blacklist.added").exists()
    done = client.post(f"{S}/blacklist/new/", {**entry, **reauthentication(regulator)})
    assert done.status_code == 302 and BlacklistEntry.objects.get().organization == agency


def test_a_credit_event_and_a_suspension_need_re_authentication_too(console, agency):
    client, regulator = console
    event = {"organization": agency.uscc, "event_type": "commitment_breach",
             "basis": "决定书2026-9", "password": PASSWORD}
    refused = client.post(f"{S}/credit-events/new/", event)
    assert "Enter the current code from your authenticator app" in refused.content.decode()
    assert not CreditEvent.objects.exists()
    suspended = client.post(f"{S}/organizations/{agency.pk}/suspend/",
                            {"reason": "调查期间暂停", "password": PASSWORD, "otp_code": ""})
    assert suspended.status_code == 200
    agency.refresh_from_db()
    assert agency.status == "active"
    assert not AuditEntry.objects.filter(action="organization.suspended").exists()


def test_a_case_decision_is_signed_off_with_the_password_and_a_code(console, time_machine):
    from ratings.models import ViolationCase
    from tests.factories.cases import owner_case

    client, regulator = console
    case = owner_case()
    time_machine.move_to(case.reply_due_at + dt.timedelta(hours=1), tick=False)
    decision = {"upheld": "upheld", "decision": "逾期未提交报告，违约成立。"}
    form = client.get(f"{S}/cases/{case.pk}/").content.decode()
    assert 'name="password"' in form and 'name="otp_code"' in form

    refused = client.post(f"{S}/cases/{case.pk}/", decision)

    assert "The password is not correct." in refused.content.decode()
    case.refresh_from_db()
    assert case.status == ViolationCase.Status.AWAITING_REPLY
    assert not CreditEvent.objects.exists()
    done = client.post(f"{S}/cases/{case.pk}/", {**decision,
                                                        **reauthentication(regulator)})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == ViolationCase.Status.UPHELD
