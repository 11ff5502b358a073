"""The credit policy (ratings/policy.py) and its start-up check against CreditEvent.Type."""

from decimal import Decimal

from django.core import checks

from ratings import policy
from ratings.checks import credit_policy_matches_event_types
from ratings.models import CreditEvent


def ids(errors) -> list[str]:
    return [e.id for e in errors]


def test_the_shipped_policy_prices_exactly_the_ledger_event_types():
    assert set(policy.EVENT_TYPES) == set(CreditEvent.Type.values)
    assert credit_policy_matches_event_types() == []


def test_an_event_type_the_ledger_does_not_know_fails_the_check(settings):
    settings.MARKETPLACE_CREDIT_EVENT_TYPES = {
        **policy.EVENT_TYPES, "bribery": {"points": 50, "severity": "serious",
                                          "duration": "1095d"}}

    errors = credit_policy_matches_event_types()

    assert ids(errors) == ["ratings.E001"]
    assert "bribery" in errors[0].msg and isinstance(errors[0], checks.Error)


def test_an_event_type_without_policy_fails_the_check(settings):
    settings.MARKETPLACE_CREDIT_EVENT_TYPES = {
        name: config for name, config in policy.EVENT_TYPES.items() if name != "collusion"}

    errors = credit_policy_matches_event_types()

    assert ids(errors) == ["ratings.E002"] and "collusion" in errors[0].msg


def test_case_grounds_naming_an_unknown_event_type_fail_the_check(settings):
    settings.MARKETPLACE_CASE_GROUNDS = {**policy.CASE_GROUNDS,
                                         "bribery": {"event_type": "bribery"}}

    assert ids(credit_policy_matches_event_types()) == ["ratings.E001"]


def test_a_policy_entry_without_a_valid_severity_fails_the_check(settings):
    settings.MARKETPLACE_CREDIT_EVENT_TYPES = {
        **policy.EVENT_TYPES, "collusion": {"points": 40, "severity": "grave",
                                            "duration": "1095d"}}

    assert ids(credit_policy_matches_event_types()) == ["ratings.E003"]


def test_the_check_is_registered_at_start_up():
    assert credit_policy_matches_event_types in checks.registry.registry.get_checks()


def test_grades_follow_the_thresholds(settings):
    assert [policy.grade_for(Decimal(s)) for s in ("90", "89.99", "75", "60", "59.99")] == [
        "A", "B", "B", "C", "D"]
    settings.MARKETPLACE_GRADE_THRESHOLDS = {"A": 95, "B": 80, "C": 70}
    assert policy.grade_for(Decimal("90")) == "B"
