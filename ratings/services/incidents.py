"""Contracts' credit incidents and closed contracts, turned into ratings' records.

Receivers of `contracts.signals.credit_incident` / `contract_closed` (connected in
`RatingsConfig.ready`); both run inside the sender's transaction and are idempotent, so a
replayed signal records once. `record_missing_incidents` catches up on any signal lost.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from contracts.models import Contract, CreditIncident
from ratings.models import CreditEvent
from ratings.services.credit import credit_event_record
from ratings.services.ratings import rating_window_open

SOURCE_KIND = "contracts.creditincident"


def record_incident(incident: CreditIncident) -> CreditEvent:
    if incident.kind == CreditIncident.Kind.LATE_DELIVERY:
        note = _("Delivered %(days)s days late") % {"days": incident.days}
    else:
        note = _("Refused or failed to sign the contract")
    return credit_event_record(
        organization=incident.organization, event_type=incident.kind,
        occurred_at=incident.occurred_at, source_kind=SOURCE_KIND, source_id=incident.pk,
        public_note=note, data={"days": incident.days, "contract": incident.contract_id})


def on_credit_incident(sender, incident: CreditIncident, **kwargs) -> None:
    record_incident(incident)


def on_contract_closed(sender, contract: Contract, **kwargs) -> None:
    rating_window_open(contract=contract)


def record_missing_incidents() -> int:
    recorded = CreditEvent.objects.filter(source_kind=SOURCE_KIND, source_id=OuterRef("pk"),
                                          event_type=OuterRef("kind"))
    missing = list(CreditIncident.objects.filter(~Exists(recorded))
                   .select_related("organization"))
    for incident in missing:
        record_incident(incident)
    return len(missing)
