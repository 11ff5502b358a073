"""The credit policy (DESIGN §4 "Credit events", "Credit score and grade", "Blacklist"): what
each credit event costs and for how long, the grade thresholds, the automatic blacklisting
thresholds and what an upheld violation case records. Plain data, read through the accessors
below; `ratings.checks` fails `manage.py check` when the event types here and the ledger's
`CreditEvent.Type` choices disagree.

The tables are platform rules, not deployment settings: they live here, under review with the
code that applies them. A deployment (or a test) may still replace a whole table with the Django
setting of the same name (`MARKETPLACE_CREDIT_EVENT_TYPES`, …); every reader goes through an
accessor, which prefers the setting. The single numbers an operator tunes per deployment from
the environment (default score and rating, prior weight, periods) stay in `settings.py`.
"""

from django.conf import settings

# `points` are deducted from the score while the event is in force (negative points add);
# `per_day` events multiply by days, up to `cap`; `duration` is a period (DESIGN §5) after which
# the event stops counting; `serious` events blacklist at once (ratings.services.automatic).
EVENT_TYPES = {
    "rating_received": {"points": 0, "severity": "info", "duration": "1095d"},
    "refusal_to_sign": {"points": 10, "severity": "major", "duration": "365d"},
    "late_delivery": {"points": 1, "per_day": True, "cap": 15, "severity": "minor",
                      "duration": "365d"},
    # A monopoly item's service past the time limit its competent department set (issue 17
    # §3): once per contract, when the limit runs out.
    "time_limit_overrun": {"points": 5, "severity": "minor", "duration": "365d"},
    "objection_upheld": {"points": 5, "severity": "minor", "duration": "365d"},
    "complaint_upheld": {"points": 5, "severity": "minor", "duration": "365d"},
    "commitment_breach": {"points": 8, "severity": "major", "duration": "365d"},
    "false_materials": {"points": 30, "severity": "serious", "duration": "1095d"},
    "collusion": {"points": 40, "severity": "serious", "duration": "1095d"},
    "inspection_failed": {"points": 10, "severity": "major", "duration": "365d"},
    "inspection_passed": {"points": -2, "severity": "info", "duration": "365d"},
    "regulator_decision": {"points": 10, "severity": "major", "duration": "365d"},
    "reversal": {"points": 0, "severity": "info", "duration": "0s"},
}

# The lowest score of each grade; below C's is D.
GRADE_THRESHOLDS = {"A": 90, "B": 75, "C": 60}

BLACKLIST_RULES = {
    "grade_d_period": "180d",      # blacklisted for this long when the grade falls to D
    "serious_event_period": "365d",  # ... after a serious event (false materials, collusion)
    "refusals_to_sign": 3,          # this many refusals to sign ...
    "refusals_window": "365d",     # ... within this window
    "refusals_period": "180d",     # ... blacklist for this long
}

# Violation cases: the credit event an upheld case records per grounds, and (`blacklist`, a
# period) whether it also lists the organization; serious events are listed by the automatic
# rule.
CASE_GROUNDS = {
    "refusal_to_sign": {"event_type": "refusal_to_sign"},
    "contract_breach": {"event_type": "regulator_decision"},
    "non_compliant_work": {"event_type": "commitment_breach"},
    "false_materials": {"event_type": "false_materials", "blacklist": "365d"},
    "collusion": {"event_type": "collusion", "blacklist": "365d"},
}


def event_types() -> dict[str, dict]:
    return getattr(settings, "MARKETPLACE_CREDIT_EVENT_TYPES", EVENT_TYPES)


def event_policy(event_type: str) -> dict:
    """The policy of one event type; KeyError for a type the policy does not know."""
    return event_types()[event_type]


def grade_thresholds() -> dict[str, float]:
    return getattr(settings, "MARKETPLACE_GRADE_THRESHOLDS", GRADE_THRESHOLDS)


def grade_for(score) -> str:
    """The credit grade (A/B/C/D) of a score."""
    thresholds = grade_thresholds()
    for grade in ("A", "B", "C"):
        if float(score) >= thresholds[grade]:
            return grade
    return "D"


def blacklist_rules() -> dict:
    return getattr(settings, "MARKETPLACE_BLACKLIST_RULES", BLACKLIST_RULES)


def case_grounds() -> dict[str, dict]:
    return getattr(settings, "MARKETPLACE_CASE_GROUNDS", CASE_GROUNDS)
