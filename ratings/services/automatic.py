"""Credit events with their automatic consequences (DESIGN §4 "Blacklist": automatic rules,
thresholds in `ratings.policy.BLACKLIST_RULES`): a serious event or the Nth refusal to sign in
the window blacklists at once, inside the transaction that records the event; a grade falling
to D blacklists when the score is recomputed.

The ledger (`credit`) and the blacklist (`blacklist`) know nothing of each other; this module
sits above both and is where the services that must apply the rules live: `credit_event_record`
(every recording of an event, by other services and regulators), `credit_event_add` (a
regulator's event) and the recomputes (`credit_recompute_organization` after each event,
`credit_recompute_all` nightly).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import Organization
from marketplace.actors import require_regulator
from marketplace.errors import DomainError
from marketplace.periods import add_period, subtract_period
from ratings import policy
from ratings.models import BlacklistEntry, CreditEvent
from ratings.services.blacklist import Listing, blacklist_add, blacklist_add_many
from ratings.services.common import required_text
from ratings.services.credit import (
    RATED_KINDS,
    append_event,
    events_in_force,
    recompute_later,
    recompute_organization,
    recompute_scores,
)

Rule = BlacklistEntry.Rule
Source = BlacklistEntry.Source
Type = CreditEvent.Type


# --- Recording and recomputing, with the rules ------------------------------------------------


@transaction.atomic
def credit_event_record(*, organization: Organization, event_type: str,
                        occurred_at: dt.datetime | None = None, points=None, basis: str = "",
                        public_note: str = "", source_kind: str = "", source_id: int | None = None,
                        data: dict | None = None, by=None, now: dt.datetime | None = None,
                        rating_value=None) -> CreditEvent:
    """Append an event; idempotent on (`event_type`, `source_kind`, `source_id`): a replayed
    source returns the event recorded the first time. The score is recomputed by a task after
    commit; the automatic blacklist rules of serious events and refusals apply at once."""
    now = now or timezone.now()
    event, new = append_event(
        organization=organization, event_type=event_type, occurred_at=occurred_at,
        points=points, basis=basis, public_note=public_note, source_kind=source_kind,
        source_id=source_id, data=data, by=by, now=now, rating_value=rating_value)
    if new:
        apply_event_rules(event=event, now=now)
        recompute_later(organization)
    return event


@transaction.atomic
def credit_event_add(*, organization: Organization, event_type: str, basis: str,
                     public_note: str = "", points=None, occurred_at: dt.datetime | None = None,
                     days: int | None = None, by, now: dt.datetime | None = None) -> CreditEvent:
    """A regulator records an event with a written basis (a decision already taken)."""
    require_regulator(by)
    basis = required_text(basis, "basis", _("Give the basis of this event."))
    if organization.is_regulator:
        raise DomainError(_("Regulators have no credit record."), field="organization")
    if event_type in (Type.RATING_RECEIVED, Type.REVERSAL):
        raise DomainError(_("This type of event cannot be added by hand."), field="event_type")
    now = now or timezone.now()
    if occurred_at is not None and occurred_at > now:
        raise DomainError(_("An event cannot lie in the future."), field="occurred_at")
    data = {"days": days} if days else {}
    return credit_event_record(organization=organization, event_type=event_type,
                               occurred_at=occurred_at, points=points, basis=basis,
                               public_note=public_note, data=data, by=by, now=now)


@transaction.atomic
def credit_recompute_organization(*, organization: Organization,
                                  now: dt.datetime | None = None) -> Organization:
    """Recompute one organization's score and grade (the task after each event), then the
    grade-D rule for it."""
    now = now or timezone.now()
    organization = recompute_organization(organization=organization, now=now)
    if organization.kind in RATED_KINDS:
        apply_grade_rule(organizations=[organization], now=now)
    return organization


def credit_recompute_all(*, now: dt.datetime | None = None, batch_size: int = 5000) -> int:
    """Everybody's score and grade (the nightly task), then the grade-D rule, which looks only
    at D-graded organizations not yet listed. Returns how many standings changed."""
    now = now or timezone.now()
    changed = recompute_scores(now=now, batch_size=batch_size)
    apply_grade_rule(now=now)
    return changed


# --- The rules --------------------------------------------------------------------------------


def apply_event_rules(*, event: CreditEvent, now: dt.datetime) -> BlacklistEntry | None:
    """Serious events and repeated refusals to sign blacklist at once (inside the recording
    transaction)."""
    rules = policy.blacklist_rules()
    if event.organization.is_regulator:
        return None
    if event.severity == CreditEvent.Severity.SERIOUS:
        return blacklist_add(
            organization=event.organization, source=Source.AUTOMATIC, rule=Rule.SERIOUS_EVENT,
            credit_event=event, reason=_("Serious violation: %(type)s")
            % {"type": event.get_event_type_display()}, basis=event.basis or event.public_note,
            ends_at=add_period(now, rules["serious_event_period"]), now=now)
    if event.event_type == CreditEvent.Type.REFUSAL_TO_SIGN:
        since = subtract_period(now, rules["refusals_window"])
        refusals = events_in_force(now).filter(
            organization=event.organization, event_type=CreditEvent.Type.REFUSAL_TO_SIGN,
            occurred_at__gt=since).count()
        if refusals >= rules["refusals_to_sign"]:
            return blacklist_add(
                organization=event.organization, source=Source.AUTOMATIC,
                rule=Rule.REFUSALS_TO_SIGN, credit_event=event,
                reason=_("%(n)s refusals to sign within the window")
                % {"n": refusals}, basis="", ends_at=add_period(now, rules["refusals_period"]),
                now=now)
    return None


def apply_grade_rule(*, now: dt.datetime, organizations=None) -> int:
    """Organizations graded D that no active entry lists are blacklisted (one query to find
    them; an entry each). Given `organizations` (one organization's recompute), each goes
    through `blacklist_add`; the nightly run over everybody lists them all at once with
    `blacklist_add_many` (the same outcome, in a few set-based statements)."""
    listed_now = BlacklistEntry.objects.filter(organization=OuterRef("pk"),
                                               status=BlacklistEntry.Status.ACTIVE,
                                               ends_at__gt=now)
    candidates = Organization.objects.filter(
        ~Exists(listed_now), credit_grade="D",
        kind__in=(Organization.Kind.AGENCY, Organization.Kind.OWNER))
    if organizations is not None:
        candidates = candidates.filter(pk__in=[o.pk for o in organizations])
    ends_at = add_period(now, policy.blacklist_rules()["grade_d_period"])
    listings = [Listing(organization=organization,
                        reason=_("Credit grade D (score %(score)s)")
                        % {"score": organization.credit_score}) for organization in candidates]
    if organizations is not None:
        for listing in listings:
            blacklist_add(organization=listing.organization, source=Source.AUTOMATIC,
                          rule=Rule.GRADE_D, reason=listing.reason, basis="", ends_at=ends_at,
                          now=now)
    elif listings:
        blacklist_add_many(listings=listings, source=Source.AUTOMATIC, rule=Rule.GRADE_D,
                           basis="", ends_at=ends_at, now=now)
    return len(listings)
