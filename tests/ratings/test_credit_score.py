"""The score formula on crafted ledgers, the grade, and the set-based recompute."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.accounts.models import Organization
from ratings import services
from ratings.models import ScoreChange
from ratings.services.credit import compute_score, platform_means, score_from
from tests.factories.accounts import AgencyFactory, OwnerFactory
from tests.factories.ratings import T0, event, rating_event, regulator_user

pytestmark = pytest.mark.django_db
LATER = T0 + dt.timedelta(days=1)


def standing(organization):
    organization.refresh_from_db()
    return organization.credit_score, organization.credit_grade


def test_no_ledger_gives_the_default_score(agency):
    assert compute_score(agency, now=LATER) == Decimal("80.00")


def test_the_score_is_the_bayesian_average_scaled_minus_points_in_force(settings):
    settings.MARKETPLACE_CREDIT_PRIOR_WEIGHT = 5
    rated = AgencyFactory()
    other = AgencyFactory()
    for value in (5, 5, 4):
        rating_event(rated, value)
    rating_event(other, 2)
    event(rated, "commitment_breach")                # 8 points
    # platform mean of agency ratings = (5 + 5 + 4 + 2) / 4 = 4
    # bayes = (5 × 4 + 14) / (5 + 3) = 4.25 → 85.00; minus 8 → 77.00
    assert platform_means(LATER)["agency"] == Decimal(4)
    assert compute_score(rated, now=LATER) == Decimal("77.00")
    # other: (5 × 4 + 2) / 6 = 3.6667 → 73.33
    assert compute_score(other, now=LATER) == Decimal("73.33")


def test_owner_ratings_are_shrunk_to_the_owners_mean_not_the_agencies():
    owner = OwnerFactory()
    rating_event(owner, 3)
    rating_event(AgencyFactory(), 5)
    # owners' mean is 3: (5 × 3 + 3) / 6 = 3 → 60
    assert compute_score(owner, now=LATER) == Decimal("60.00")


def test_expired_events_no_longer_count(agency, settings):
    event(agency, "refusal_to_sign")   # 10 points for 365 days
    assert compute_score(agency, now=LATER) == Decimal("70.00")
    assert compute_score(agency, now=T0 + dt.timedelta(days=366)) == Decimal("80.00")


def test_events_not_yet_occurred_do_not_count(agency):
    event(agency, "refusal_to_sign", occurred_at=T0 + dt.timedelta(days=10))
    assert compute_score(agency, now=LATER) == Decimal("80.00")


def test_a_corrected_event_no_longer_counts(agency):
    recorded = event(agency, "refusal_to_sign")
    services.credit_event_reverse(event=recorded, reason="错误", by=regulator_user(), now=LATER)
    assert compute_score(agency, now=LATER) == Decimal("80.00")


def test_negative_points_add_and_the_score_stays_within_0_and_100(agency):
    for _ in range(3):
        rating_event(agency, 5)
    event(agency, "inspection_passed")
    score = compute_score(agency, now=LATER)
    assert score == Decimal("100.00")  # (5×5 + 15)/8 = 5 → 100, +2 clamped to 100
    other = AgencyFactory()
    for _ in range(4):
        event(other, "commitment_breach", points=30)
    assert compute_score(other, now=LATER) == Decimal("0.00")


@pytest.mark.parametrize(("score", "grade"), [
    ("90.00", "A"), ("89.99", "B"), ("75.00", "B"), ("74.99", "C"), ("60.00", "C"),
    ("59.99", "D")])
def test_grade_thresholds_from_settings(score, grade):
    from ratings.policy import grade_for

    assert grade_for(Decimal(score)) == grade


def test_recomputing_one_organization_writes_score_and_grade(agency):
    event(agency, "commitment_breach", points=12)
    services.credit_recompute_organization(organization=agency, now=LATER)
    assert standing(agency) == (Decimal("68.00"), "C")


def _population(n: int, *, lowest: int = 1) -> list[Organization]:
    """A crafted mix: unrated, rated, penalised, expired, corrected, owners and agencies."""
    organizations = []
    reg = regulator_user()
    for i in range(n):
        org = (AgencyFactory if i % 3 else OwnerFactory)()
        for value in range(i % 4):
            rating_event(org, lowest + (i + value) % (6 - lowest))
        if i % 5 == 1:
            event(org, "commitment_breach", points=3 + i % 7)
        if i % 7 == 2:
            event(org, "refusal_to_sign", occurred_at=T0 - dt.timedelta(days=400))  # expired
        if i % 6 == 3:
            services.credit_event_reverse(event=event(org, "inspection_failed"), reason="更正",
                                          by=reg)
        organizations.append(org)
    return organizations


def test_the_set_based_recompute_equals_the_per_organization_function():
    organizations = _population(24)
    now = LATER
    means = platform_means(now)
    expected = {org.pk: compute_score(org, now=now, means=means) for org in organizations}
    services.credit_recompute_all(now=now)
    for org in organizations:
        org.refresh_from_db()
        assert org.credit_score == expected[org.pk], org.pk
        assert org.credit_grade == services.credit.grade_for(expected[org.pk])
    assert len(set(expected.values())) > 5  # the population really is varied


def test_the_set_based_recompute_is_idempotent():
    _population(6)
    services.credit_recompute_all(now=LATER)
    history = ScoreChange.objects.count()
    assert services.credit_recompute_all(now=LATER) == 0
    assert ScoreChange.objects.count() == history  # nothing changed, nothing added


def test_every_change_of_standing_is_kept_in_the_score_history(agency):
    services.credit_recompute_organization(organization=agency, now=LATER)
    assert not ScoreChange.objects.filter(organization=agency).exists()  # still the default
    event(agency, "commitment_breach", points=12)
    services.credit_recompute_organization(organization=agency, now=LATER)
    services.credit_recompute_organization(organization=agency, now=LATER)
    event(agency, "late_delivery", points=10)
    services.credit_recompute_all(now=LATER + dt.timedelta(days=1))
    assert [(c.score, c.grade) for c in ScoreChange.objects.filter(organization=agency)] == [
        (Decimal("68.00"), "C"), (Decimal("58.00"), "D")]


def _queries_for_recompute(n: int) -> int:
    Organization.objects.filter(kind__in=["agency", "owner"]).update(credit_score=50)
    with CaptureQueriesContext(connection) as queries:
        services.credit_recompute_all(now=LATER)
    return len(queries)


def test_the_recompute_query_count_does_not_grow_with_the_organizations():
    # Ratings of 4 and 5 keep everybody above D, so no grade-D listing adds its own writes.
    _population(4, lowest=4)
    _queries_for_recompute(4)  # the first run also starts the audit stream it writes to
    small = _queries_for_recompute(4)
    _population(30, lowest=4)
    assert _queries_for_recompute(34) == small
    assert not Organization.objects.filter(credit_grade="D").exists()


def test_the_management_command_recomputes_everybody(agency, capsys):
    event(agency, "commitment_breach", points=5, now=dt.datetime.now(dt.UTC))
    call_command("credit_recompute")
    assert standing(agency)[0] == Decimal("75.00")
    assert "1 organizations changed" in capsys.readouterr().out


def test_score_from_rounds_half_up():
    assert score_from(count=0, total=0, points=Decimal("0.005"), prior_mean=4) == Decimal(
        "80.00")
    assert score_from(count=0, total=0, points=Decimal("0.015"), prior_mean=4) == Decimal(
        "79.99")
    assert score_from(count=1, total=Decimal(3), points=0, prior_mean=Decimal(3)) == Decimal(
        "60.00")
