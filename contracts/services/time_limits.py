"""A monopoly item's time-limited service (限时服务, issue 17 §3): the service clock runs against
the time limit the item's competent department set. Before it runs out the owner, the agency and
the regulators of the project's region are told (once); when it overruns, a credit incident is
recorded against the agency (once, through the same path as a late delivery: contracts'
`CreditIncident`, which ratings turns into a credit event) and they are told again.

The beat task calls `watch_time_limits`; accepting a delivery calls `note_time_limit` under the
contract's lock, so an overrun the beat has not seen yet is recorded before the clock stops."""

import datetime as dt

from django.db import transaction

from contracts.clock import LimitState, limit_state, time_limit_clock
from contracts.models import Contract, CreditIncident
from contracts.services.common import lock_contract, notify_later, now_or
from contracts.services.signing import record_incident
from marketplace.audit import services as audit

Status = Contract.Status
# The clock runs from both signatures until acceptance: in force, or delivered and waiting.
RUNNING = (Status.ACTIVE, Status.DELIVERED)


def note_time_limit(contract: Contract, *, now: dt.datetime) -> str | None:
    """What is due on a locked contract now: the overrun recorded ("overrun"), the warning
    sent ("warned"), or None (nothing due, or already done)."""
    clock = time_limit_clock(contract, now=now)
    if clock is None or contract.status not in RUNNING:
        return None
    state = limit_state(clock, contract.time_limit_days)
    data = {"time_limit_days": contract.time_limit_days,
            "competent_department": contract.competent_department,
            "elapsed_days": clock.elapsed_days}
    if state == LimitState.OVERRUN:
        incident = record_incident(contract, organization_id=contract.agency_id,
                                   kind=CreditIncident.Kind.TIME_LIMIT_OVERRUN,
                                   days=clock.overdue_days, now=now, data=data)
        if incident is None:
            return None
        notify_later("time_limit_overrun", contract_id=contract.pk)
        audit.record(action="contract.time_limit_overrun", organization=contract.owner,
                     obj=contract, data={**data, "incident": incident.pk}, now=now)
        return "overrun"
    if state == LimitState.NEAR and contract.time_limit_warned_at is None:
        contract.time_limit_warned_at = now
        contract.save(update_fields=["time_limit_warned_at"])
        notify_later("time_limit_near", contract_id=contract.pk)
        audit.record(action="contract.time_limit_warned", organization=contract.owner,
                     obj=contract, data={**data, "remaining_days": clock.remaining_days},
                     now=now)
        return "warned"
    return None


@transaction.atomic
def contract_check_time_limit(*, contract: Contract | int,
                              now: dt.datetime | None = None) -> str | None:
    now = now_or(now)
    return note_time_limit(lock_contract(contract), now=now)


def watch_time_limits(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """The beat task: every running monopoly contract without a recorded overrun, one
    transaction each; counts of what was done."""
    now = now_or(now)
    due = list(Contract.objects.filter(time_limit_days__isnull=False, status__in=RUNNING)
               .exclude(credit_incidents__kind=CreditIncident.Kind.TIME_LIMIT_OVERRUN)
               .order_by("activated_at", "pk").values_list("pk", flat=True)[:limit])
    done = {"warned": 0, "overrun": 0}
    for pk in due:
        outcome = contract_check_time_limit(contract=pk, now=now)
        if outcome:
            done[outcome] += 1
    return done
