"""Stripe Connect accounts of agencies (onboarding links, readiness)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from contracts.models import StripeAccount
from contracts.payments import providers
from contracts.payments.providers import stripe as stripe_api
from contracts.payments.services.common import _now
from contracts.payments.services.transfers import _release_waiting_payouts
from marketplace.accounts.models import Organization
from marketplace.actors import acting_organization, require_admin_of
from marketplace.audit import services as audit
from marketplace.errors import NotAllowed, StateConflict


def _ensure_agency_admin(by) -> Organization:
    refusal = _("Only an administrator of an agency can connect a Stripe account.")
    agency = acting_organization(by)
    if agency is None or not agency.is_agency:
        raise NotAllowed(refusal)
    require_admin_of(by, agency, message=refusal)
    return agency


@transaction.atomic
def stripe_account_connect(*, by, refresh_url: str, return_url: str,
                           now: dt.datetime | None = None) -> str:
    """Create the agency's Connect account on first use, and return the Stripe onboarding
    link for it (links are single-use; ask again for a new one)."""
    now = _now(now)
    agency = _ensure_agency_admin(by)  # who asks first: an outsider learns nothing of the set-up
    if not providers.stripe_enabled():
        raise StateConflict(_("Online payment is not available on this platform."))
    Organization.objects.select_for_update().get(pk=agency.pk)  # one account per agency
    account = StripeAccount.objects.filter(organization=agency).first()
    if account is None:
        account_id = stripe_api.create_account(agency,
                                               idempotency_key=f"account-{agency.uscc}")
        account = StripeAccount.objects.create(organization=agency, account_id=account_id,
                                               created_at=now, updated_at=now)
        audit.record(action="stripe_account.created", actor=by, organization=agency,
                     obj=account, data={"account": account_id}, now=now)
    return stripe_api.create_account_link(account, refresh_url=refresh_url,
                                          return_url=return_url)


def bank_fingerprints(external_accounts) -> list[str]:
    """The fingerprints of the bank accounts in a Stripe account's `external_accounts` list
    (sorted, once each); debit cards and entries without a fingerprint are left out. Only the
    fingerprint is kept: Stripe derives it from the account number without revealing it."""
    data = external_accounts.get("data") if isinstance(external_accounts, dict) else None
    found = set()
    for item in data if isinstance(data, list) else []:
        if (isinstance(item, dict) and item.get("object") == "bank_account"
                and isinstance(item.get("fingerprint"), str) and item["fingerprint"]):
            found.add(item["fingerprint"][:255])
    return sorted(found)


def _update_account(account: StripeAccount, data: dict, now: dt.datetime) -> StripeAccount:
    """Apply what Stripe says of the account (the webhook's object or a retrieved account):
    readiness, and the fingerprints of its bank accounts (none listed: none kept)."""
    was_ready = account.ready
    account.details_submitted = bool(data.get("details_submitted"))
    account.charges_enabled = bool(data.get("charges_enabled"))
    account.payouts_enabled = bool(data.get("payouts_enabled"))
    account.bank_fingerprints = bank_fingerprints(data.get("external_accounts"))
    account.updated_at = now
    account.save(update_fields=["details_submitted", "charges_enabled", "payouts_enabled",
                                "bank_fingerprints", "updated_at"])
    if account.ready != was_ready:
        audit.record(action="stripe_account.updated", obj=account,
                     organization=account.organization,
                     data={"account": account.account_id, "ready": account.ready}, now=now)
    if account.ready:
        _release_waiting_payouts(account, now)
    return account


def stripe_account_refresh(*, by, now: dt.datetime | None = None) -> StripeAccount | None:
    """Read the agency's account from Stripe (after onboarding) and release payouts waiting
    for it. The Stripe read happens before the transaction."""
    agency = _ensure_agency_admin(by)
    account = StripeAccount.objects.filter(organization=agency).first()
    if account is None:
        return None
    data = stripe_api.retrieve_account(account.account_id)
    with transaction.atomic():
        account = StripeAccount.objects.select_for_update().get(pk=account.pk)
        return _update_account(account, data, _now(now))
