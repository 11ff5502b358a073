"""Contracts' credit incidents, closed contracts and bidding's upheld objections, turned into
ratings' records.

Receivers of `contracts.signals.credit_incident` / `contract_closed` and of
`bidding.signals.project_event` (connected in `RatingsConfig.ready`); all run inside the
sender's transaction and are idempotent, so a replayed signal records once.
`record_missing_incidents` catches up on any signal lost.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from bidding.models import Objection
from bidding.signals import ProjectEvent
from contracts.models import Contract, CreditIncident
from ratings.models import CreditEvent
from ratings.services.automatic import credit_event_record
from ratings.services.ratings import rating_window_open

SOURCE_KIND = "contracts.creditincident"
OBJECTION_SOURCE = "bidding.objection"


def record_incident(incident: CreditIncident) -> CreditEvent:
    if incident.kind == CreditIncident.Kind.LATE_DELIVERY:
        note = _("Delivered %(days)s days late") % {"days": incident.days}
    elif incident.kind == CreditIncident.Kind.TIME_LIMIT_OVERRUN:
        note = _("Overran the %(limit)s-day time limit of a monopoly service item") % {
            "limit": incident.data.get("time_limit_days", "")}
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


def objection_at_fault(objection: Objection):
    """Who an upheld objection counts against: the awarded agency when its bid was excluded
    (the objection was against that bid), otherwise the owner, whose award it overturned."""
    award = objection.award
    if not award.bid.valid:
        return award.bid.agency
    return objection.project.owner


def record_upheld_objection(objection: Objection) -> CreditEvent | None:
    if objection.status != Objection.Status.UPHELD:
        return None
    return credit_event_record(
        organization=objection_at_fault(objection), event_type=CreditEvent.Type.OBJECTION_UPHELD,
        occurred_at=objection.decided_at, source_kind=OBJECTION_SOURCE, source_id=objection.pk,
        basis=objection.reply,
        public_note=_("Objection upheld on project %(title)s") % {
            "title": objection.project.title},
        data={"project": objection.project_id, "award": objection.award_id})


def on_project_event(sender, *, event: str, signal=None, **ids) -> None:
    if event == ProjectEvent.OBJECTION_DECIDED:
        objection = Objection.objects.select_related(
            "project__owner", "award__bid__agency").get(pk=ids["objection_id"])
        record_upheld_objection(objection)
