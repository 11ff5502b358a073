"""Credit at market scale: 20,000 organizations and 200,000 ratings and credit events.

Prints the seeding time, the set-based `credit_recompute_all` time (what the nightly task and
`manage.py credit_recompute` run), the time of a naive loop that recomputes each organization
with its own query (`compute_score` + save), and their ratio; and checks both agree.
"""

import datetime as dt
import random
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from marketplace.accounts.models import Organization
from ratings.models import CreditEvent
from ratings.policy import grade_for
from ratings.services.automatic import apply_grade_rule
from ratings.services.credit import compute_score, platform_means, recompute_scores
from tests.bench import report
from tests.factories.accounts import make_uscc

ORGANIZATIONS = 20_000
EVENTS = 200_000
BATCH = 5_000
RATINGS = [5] * 5 + [4] * 4 + [3] * 2 + [2, 1]  # most clients are satisfied
PENALTIES = [("refusal_to_sign", "10", "major"), ("late_delivery", "3", "minor"),
             ("commitment_breach", "8", "major"), ("inspection_passed", "-2", "info")]


def _seed(rng: random.Random, organizations: int, events: int, now) -> list[int]:
    orgs = [Organization(kind="agency" if i % 4 else "owner",
                         owner_kind="" if i % 4 else "enterprise", name=f"信用基准单位{i}",
                         uscc=make_uscc(900_000 + i)) for i in range(organizations)]
    with transaction.atomic():
        created = Organization.objects.bulk_create(orgs, batch_size=BATCH)
    ids = [o.pk for o in created]
    rows = []
    for n in range(events):
        org_id = rng.choice(ids)
        occurred = now - dt.timedelta(days=rng.randint(0, 900))
        if n % 5:  # four in five are ratings
            rows.append(CreditEvent(
                organization_id=org_id, event_type="rating_received", severity="info",
                points=Decimal(0), rating_value=Decimal(rng.choice(RATINGS)),
                occurred_at=occurred, expires_at=occurred + dt.timedelta(days=1095),
                recorded_at=occurred))
        else:
            kind, points, severity = rng.choice(PENALTIES)
            rows.append(CreditEvent(
                organization_id=org_id, event_type=kind, severity=severity,
                points=Decimal(points), occurred_at=occurred,
                expires_at=occurred + dt.timedelta(days=365), recorded_at=occurred))
        if len(rows) == BATCH:
            CreditEvent.objects.bulk_create(rows)
            rows = []
    CreditEvent.objects.bulk_create(rows)
    return ids


def run(options) -> None:
    rng = random.Random(options.seed)
    organizations = int(ORGANIZATIONS * options.scale)
    events = int(EVENTS * options.scale)
    now = timezone.now()
    started = time.perf_counter()
    ids = _seed(rng, organizations, events, now)
    if connection.vendor == "postgresql":
        # The statistics autovacuum would have gathered by the nightly run (it need not have run
        # in the minute since the seeding): without them the planner sorts the ledger on disk.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Organization._meta.db_table}, {CreditEvent._meta.db_table}")
    print(f"seeded {organizations:,} organizations and {events:,} events in "
          f"{time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    changed = recompute_scores(now=now)
    set_based = time.perf_counter() - started
    print(f"set-based recompute: {set_based:.2f} s ({changed:,} changed)")
    started = time.perf_counter()
    # The rule's own transaction (what the nightly task holds) is timed apart from the tasks
    # its commit enqueues (an announcement page per listing, e-mails), which a worker runs in
    # production and which run here, eagerly, when the outer block below commits.
    with transaction.atomic():
        listed = apply_grade_rule(now=now)
        listing = time.perf_counter() - started
    published = time.perf_counter() - started - listing
    print(f"then the grade-D rule: {listed:,} listed in {listing:.2f} s (one audited entry, "
          f"notice, announcement and webhook event each, in one set-based transaction)")
    print(f"then its after-commit tasks (the {listed:,} announcement pages), run eagerly: "
          f"{published:.2f} s")
    expected = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "credit_score"))

    Organization.objects.filter(pk__in=ids).update(credit_score=0, credit_grade="D")
    started = time.perf_counter()
    means = platform_means(now)
    for organization in Organization.objects.filter(pk__in=ids).order_by("pk"):
        score = compute_score(organization, now=now, means=means)
        Organization.objects.filter(pk=organization.pk).update(credit_score=score,
                                                               credit_grade=grade_for(score))
    naive = time.perf_counter() - started
    print(f"naive per-organization loop: {naive:.2f} s")
    print(f"ratio naive / set-based: {naive / set_based:.1f}×")
    report.at_most("credit", f"set-based recompute, {organizations:,} organizations",
                   set_based, 5.0, "s")
    report.at_least("credit", "naive loop / set-based recompute", naive / set_based, 20.0, "×",
                    floor=f"naive {naive:.1f} s")
    report.at_most("credit", f"grade-D listing ({listed:,} listed)", listing, 10.0, "s")
    report.info("credit", "its after-commit tasks (run eagerly)", published, "s")
    mismatches = sum(1 for pk, score in Organization.objects.filter(pk__in=ids)
                     .values_list("pk", "credit_score") if expected[pk] != score)
    print(f"scores that differ between the two: {mismatches}")
