"""Start-up check of the credit policy (ratings/policy.py) against the ledger's event types: a
type the policy prices but the ledger cannot record, or a type the ledger records that the
policy does not price, fails `manage.py check` (and so runserver, migrate and every command)
instead of a `KeyError` on the first such event in production."""

from django.core import checks

from ratings import policy


def credit_policy_matches_event_types(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from ratings.models import CreditEvent

    known = set(CreditEvent.Type.values)
    severities = set(CreditEvent.Severity.values)
    priced = policy.event_types()
    errors = []
    named = [(f"event type `{name}`", name) for name in priced]
    named += [(f"case grounds `{grounds}`", config.get("event_type"))
              for grounds, config in policy.case_grounds().items()]
    for where, event_type in named:
        if event_type not in known:
            errors.append(checks.Error(
                f"The credit policy's {where} names the event type `{event_type}`, which "
                "CreditEvent.Type does not define.",
                hint="Add it to CreditEvent.Type (with a migration) or correct the policy in "
                     "ratings/policy.py.", id="ratings.E001"))
    for event_type in sorted(known - set(priced)):
        errors.append(checks.Error(
            f"The credit event type `{event_type}` has no entry in the credit policy.",
            hint="Give it points, a severity and a duration in ratings/policy.py "
                 "(EVENT_TYPES).", id="ratings.E002"))
    for event_type, config in priced.items():
        if config.get("severity") not in severities or "duration" not in config:
            errors.append(checks.Error(
                f"The credit policy of `{event_type}` needs a severity among "
                f"{sorted(severities)} and a duration.", id="ratings.E003"))
    return errors


def public_complaints_deployable(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: public complaints need a real SMS gateway and a cache every process
    shares (the throttles count in it); the defaults are for development."""
    from django.conf import settings

    warnings = []
    if settings.SMS_BACKEND == "marketplace.sms.LocalSmsBackend":
        warnings.append(checks.Warning(
            "SMS_BACKEND is the local backend: codes for mobile numbers are not sent.",
            hint="Set SMS_BACKEND to your gateway's marketplace.sms.SmsBackend subclass "
                 "(docs/decisions.md \"Public complaints: the SMS sender\").",
            id="ratings.W001"))
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        warnings.append(checks.Warning(
            "The default cache is per process: complaint throttles are not shared between "
            "processes.", hint="Set CACHE_BACKEND and CACHE_LOCATION (Redis, Memcached or the "
                               "database cache).", id="ratings.W002"))
    return warnings
