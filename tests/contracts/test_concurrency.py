"""Concurrent requests never double an effect (PostgreSQL: real row locks and threads)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from contracts import services
from contracts.models import CreditIncident, Signature
from marketplace.errors import DomainError
from tests.factories.accounts import PASSWORD, member_of
from tests.factories.contracts import contract_awaiting_signatures


def run_together(count, action):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(n):
        try:
            barrier.wait(timeout=30)
            results.append(action(n))
        except DomainError as exc:
            results.append(exc.status_code)
        except Exception as exc:  # surfaced below: a thread must not fail silently
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admins_signing_at_once_make_one_signature_per_party():
    contract = contract_awaiting_signatures()
    admins = [member_of(contract.owner) for _ in range(6)]
    when = contract.created_at + dt.timedelta(hours=1)
    results = run_together(6, lambda n: services.contract_sign(
        contract=contract, by=admins[n], password=PASSWORD, now=when).pk)
    assert sorted(r for r in results if r == 409) == [409] * 5
    assert Signature.objects.filter(contract=contract).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lapsing_at_once_records_each_refusal_once():
    contract = contract_awaiting_signatures()
    when = contract.signing_deadline + dt.timedelta(minutes=1)
    results = run_together(6, lambda n: services.contract_lapse(contract=contract, now=when))
    assert sorted(results) == [False] * 5 + [True]
    assert CreditIncident.objects.filter(contract=contract).count() == 2
