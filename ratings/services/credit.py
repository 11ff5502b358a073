"""The credit ledger and the score (DESIGN §4 "Credit events", "Credit score and grade").

Score = 20 × Bayesian average of the revealed ratings in force (1-5 scale, shrunk towards the
platform mean of the organization's kind with `MARKETPLACE_CREDIT_PRIOR_WEIGHT` phantom
ratings), minus the points of the other events in force, clamped to 0-100. `score_from` is the
formula; `recompute_organization` feeds it one organization's ledger and `recompute_scores`
feeds it everybody's with one grouped query.

The ledger knows nothing of the blacklist: the automatic blacklisting rules that follow an event
or a grade (and the public services that record and recompute with them) are in
`ratings.services.automatic`, above both.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import Organization
from marketplace.actors import require_regulator
from marketplace.audit import services as audit
from marketplace.errors import DomainError, StateConflict
from marketplace.outbox.services import enqueue
from marketplace.periods import add_period
from ratings.models import CreditEvent, ScoreChange
from ratings.policy import event_policy, grade_for
from ratings.services.common import required_text

Type = CreditEvent.Type
CENT = Decimal("0.01")
BIG_SUM = DecimalField(max_digits=20, decimal_places=2)
RATED_KINDS = (Organization.Kind.AGENCY, Organization.Kind.OWNER)


def event_config(event_type: str) -> dict:
    try:
        return event_policy(event_type)
    except KeyError:
        raise DomainError(_("Unknown credit event type."), field="event_type") from None


def _points_for(event_type: str, config: dict, data: dict) -> Decimal:
    points = Decimal(str(config.get("points", 0)))
    if config.get("per_day"):
        points *= int(data.get("days") or 0)
        if config.get("cap") is not None:
            points = min(points, Decimal(str(config["cap"])))
    return points.quantize(CENT)


# --- Recording --------------------------------------------------------------------------------


@transaction.atomic
def append_event(*, organization: Organization, event_type: str,
                 occurred_at: dt.datetime | None = None, points=None, basis: str = "",
                 public_note: str = "", source_kind: str = "", source_id: int | None = None,
                 data: dict | None = None, by=None, now: dt.datetime | None = None,
                 rating_value=None) -> tuple[CreditEvent, bool]:
    """The ledger write alone: append an event, and say whether it is new. Idempotent on
    (`event_type`, `source_kind`, `source_id`): a replayed source returns the event recorded the
    first time. Services record through `ratings.services.automatic.credit_event_record`, which
    adds the automatic blacklisting rules and the recompute."""
    now = now or timezone.now()
    if event_type == Type.REVERSAL:
        raise DomainError(_("Use a correction to reverse an event."), field="event_type")
    config = event_config(event_type)
    data = dict(data or {})
    if source_id is not None:
        existing = CreditEvent.objects.filter(event_type=event_type, source_kind=source_kind,
                                              source_id=source_id).first()
        if existing is not None:
            return existing, False
    occurred_at = occurred_at or now
    points = _points_for(event_type, config, data) if points is None else (
        Decimal(str(points)).quantize(CENT))
    try:
        with transaction.atomic():
            event = CreditEvent.objects.create(
                organization=organization, event_type=event_type,
                severity=config.get("severity", CreditEvent.Severity.INFO), points=points,
                rating_value=(Decimal(str(rating_value)).quantize(CENT)
                              if rating_value is not None else None),
                occurred_at=occurred_at, expires_at=add_period(occurred_at, config["duration"]),
                recorded_at=now, public_note=public_note, basis=basis,
                source_kind=source_kind, source_id=source_id, data=data,
                recorded_by=by if by is not None and by.is_authenticated else None)
    except IntegrityError:
        # A concurrent replay of the same source got there first; the constraint decided.
        return CreditEvent.objects.get(event_type=event_type, source_kind=source_kind,
                                       source_id=source_id), False
    audit.record(action="credit.event_recorded", actor=by, organization=organization, obj=event,
                 data={"type": event_type, "points": str(points), "source": source_kind,
                       "source_id": source_id, "basis": basis}, now=now)
    return event, True


@transaction.atomic
def credit_event_reverse(*, event: CreditEvent, reason: str, by,
                         now: dt.datetime | None = None) -> CreditEvent:
    """Correct an event by appending a reversal that references it (the ledger is never
    edited). `by` is a regulator; None only for the platform's own corrections."""
    if by is not None:
        require_regulator(by)
    reason = required_text(reason, "reason", _("Give the reason for the correction."))
    now = now or timezone.now()
    event = CreditEvent.objects.select_for_update().get(pk=event.pk)
    if event.event_type == Type.REVERSAL:
        raise StateConflict(_("A correction cannot itself be corrected."))
    if CreditEvent.objects.filter(reverses=event).exists():
        raise StateConflict(_("This event has already been corrected."))
    try:
        with transaction.atomic():
            reversal = CreditEvent.objects.create(
                organization_id=event.organization_id, event_type=Type.REVERSAL,
                severity=CreditEvent.Severity.INFO, points=Decimal("0.00"), occurred_at=now,
                expires_at=None, recorded_at=now, public_note=reason, basis=reason,
                reverses=event, recorded_by=by, data={"reversed_type": event.event_type,
                                                       "reversed_points": str(event.points)})
    except IntegrityError:
        raise StateConflict(_("This event has already been corrected.")) from None
    audit.record(action="credit.event_reversed", actor=by, organization=event.organization,
                 obj=reversal, data={"event": event.pk, "reason": reason}, now=now)
    recompute_later(event.organization)
    return reversal


def recompute_later(organization: Organization) -> None:
    from ratings import tasks as ratings_tasks  # tasks call services: import here
    enqueue(ratings_tasks.recompute_organization, organization_id=organization.pk)


# --- The score ----------------------------------------------------------------------------------


def events_in_force(now: dt.datetime) -> QuerySet[CreditEvent]:
    """Events that count at `now`: occurred, not expired, not corrected, not corrections."""
    return (CreditEvent.objects.exclude(event_type=Type.REVERSAL)
            .filter(occurred_at__lte=now, reversal__isnull=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)))


def platform_means(now: dt.datetime, *, sums: dict | None = None) -> dict[str, Decimal]:
    """Mean revealed rating (1-5) of each rated kind; the default score's equivalent for a kind
    nobody has rated yet. One query, unless the caller has the sums already: {kind: [number
    of rating events, sum of their values]} (`recompute_scores`)."""
    default = (Decimal(str(settings.MARKETPLACE_DEFAULT_CREDIT_SCORE)) / 20)
    means = dict.fromkeys(RATED_KINDS, default)
    if sums is None:
        rows = (events_in_force(now).filter(event_type=Type.RATING_RECEIVED)
                .values("organization__kind")
                .annotate(n=Count("pk"), total=Sum("rating_value", output_field=BIG_SUM)))
        sums = {row["organization__kind"]: (row["n"], row["total"]) for row in rows}
    for kind, (n, total) in sums.items():
        if n:
            means[kind] = Decimal(total) / n
    return means


def score_from(*, count: int, total, points, prior_mean) -> Decimal:
    """The formula: 20 × (w·m + Σ ratings) / (w + n) − points, clamped to 0-100, 2 decimals."""
    weight = Decimal(str(settings.MARKETPLACE_CREDIT_PRIOR_WEIGHT))
    bayes = (weight * Decimal(prior_mean) + Decimal(total or 0)) / (weight + count)
    score = bayes * 20 - Decimal(points or 0)
    score = max(Decimal(0), min(Decimal(100), score))
    return score.quantize(CENT, rounding=ROUND_HALF_UP)


def ledger_totals(organization: Organization, now: dt.datetime) -> tuple[int, Decimal, Decimal]:
    """(ratings counted, sum of their values, points of the other events) — plain Python over
    one organization's ledger."""
    count, total, points = 0, Decimal(0), Decimal(0)
    for event in events_in_force(now).filter(organization=organization):
        if event.event_type == Type.RATING_RECEIVED:
            if event.rating_value is not None:
                count += 1
                total += event.rating_value
        else:
            points += event.points
    return count, total, points


def compute_score(organization: Organization, *, now: dt.datetime | None = None,
                  means: dict | None = None) -> Decimal:
    now = now or timezone.now()
    means = means if means is not None else platform_means(now)
    count, total, points = ledger_totals(organization, now)
    return score_from(count=count, total=total, points=points,
                      prior_mean=means[organization.kind])


@transaction.atomic
def recompute_organization(*, organization: Organization, now: dt.datetime) -> Organization:
    """Recompute one organization's score and grade (called by
    `automatic.credit_recompute_organization`, the task after each event, which then applies
    the grade rule)."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.kind not in RATED_KINDS:
        return organization
    score = compute_score(organization, now=now)
    grade = grade_for(score)
    before = (organization.credit_score, organization.credit_grade)
    if before != (score, grade):
        Organization.objects.filter(pk=organization.pk).update(credit_score=score,
                                                               credit_grade=grade)
        ScoreChange.objects.create(organization=organization, recorded_at=now, score=score,
                                   grade=grade)
        organization.credit_score, organization.credit_grade = score, grade
        if before[1] != grade:
            audit.record(action="credit.grade_changed", organization=organization,
                         obj=organization, data={"from": before[1], "to": grade,
                                                 "score": str(score)}, now=now)
    return organization


def _write_standings(rows: list[tuple], *, now: dt.datetime, batch_size: int) -> None:
    """The changed standings (score, grade, pk) and their history rows, in as few statements
    as the database allows: on PostgreSQL one `UPDATE … FROM unnest(…)` and one
    `INSERT … SELECT … FROM unnest(…)` per batch (the rows as three array parameters); on
    SQLite (in-process: a statement costs no round trip) one parameterised UPDATE and one
    INSERT run for every row with `executemany`. Django's `bulk_update` builds a CASE
    expression per row, and `bulk_create` a model instance per row, which cost more than the
    database's own work here."""
    quote = connection.ops.quote_name
    org, history = Organization._meta, ScoreChange._meta
    table, pk = quote(org.db_table), quote(org.pk.column)
    score, grade = (quote(org.get_field(name).column) for name in ("credit_score", "credit_grade"))
    insert = (f"INSERT INTO {quote(history.db_table)} "
              f"({quote(history.get_field('organization').column)}, "
              f"{quote(history.get_field('recorded_at').column)}, "
              f"{quote(history.get_field('score').column)}, "
              f"{quote(history.get_field('grade').column)}) ")
    recorded_at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start:start + batch_size]
            if connection.vendor == "postgresql":
                # The rows travel as three arrays: a VALUES list of thousands of placeholders
                # costs the driver more to parse than the database to run.
                scores, grades, ids = (list(column) for column in zip(*batch, strict=True))
                rows_ = "unnest(%s::numeric[], %s::text[], %s::bigint[]) AS v(score, grade, id)"
                cursor.execute(f"UPDATE {table} SET {score} = v.score, {grade} = v.grade "
                               f"FROM {rows_} WHERE {table}.{pk} = v.id", [scores, grades, ids])
                cursor.execute(insert + f"SELECT v.id, %s, v.score, v.grade FROM {rows_}",
                               [recorded_at, scores, grades, ids])
            else:
                cursor.executemany(f"UPDATE {table} SET {score} = %s, {grade} = %s "
                                   f"WHERE {pk} = %s", batch)
                cursor.executemany(insert + "VALUES (%s, %s, %s, %s)",
                                   [(id_, recorded_at, score_, grade_)
                                    for score_, grade_, id_ in batch])


def recompute_scores(*, now: dt.datetime, batch_size: int = 5000) -> int:
    """Set-based: one grouped aggregate over the ledger (which also gives the platform means:
    the same sums, added up per kind), one read of the organizations' current standing, and
    the changed rows written in bulk (`_write_standings`)."""
    is_rating = Q(event_type=Type.RATING_RECEIVED)
    is_counted = Q(is_rating, rating_value__isnull=False)
    totals = {
        organization: (rated, n, total, points) for organization, rated, n, total, points in
        events_in_force(now).values("organization").order_by().annotate(
            rated=Count("pk", filter=is_rating),
            n=Count("pk", filter=is_counted),
            total=Sum("rating_value", filter=is_counted, output_field=BIG_SUM),
            points=Sum("points", filter=~is_rating, output_field=BIG_SUM))
        .values_list("organization", "rated", "n", "total", "points")
    }
    standings = list(Organization.objects.filter(kind__in=RATED_KINDS).order_by()
                     .values_list("pk", "kind", "credit_score", "credit_grade"))
    # `platform_means`, from the same grouped rows: Σ values / Σ rating events, per kind.
    sums: dict[str, list] = {kind: [0, Decimal(0)] for kind in RATED_KINDS}
    for pk, kind, _score, _grade in standings:
        rated, _n, total, _points = totals.get(pk, (0, 0, None, None))
        if rated:
            sums[kind][0] += rated
            sums[kind][1] += total or 0
    means = platform_means(now, sums=sums)
    changed = []
    none = (0, 0, None, None)
    for pk, kind, old_score, old_grade in standings:
        _rated, n, total, points = totals.get(pk, none)
        score = score_from(count=n, total=total, points=points, prior_mean=means[kind])
        grade = grade_for(score)
        if score != old_score or grade != old_grade:
            changed.append((score, grade, pk))
    with transaction.atomic():
        _write_standings(changed, now=now, batch_size=batch_size)
        audit.record(action="credit.recomputed", data={"changed": len(changed)}, now=now)
    return len(changed)
