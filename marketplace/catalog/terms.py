"""The published terms of a service item (中介服务事项清单): their names, their snapshot, and
the checks every change must pass. Shared by the service that changes them, the selector that
reads them on a past date, the console form and the API."""

from django.utils.translation import gettext as _

from marketplace.catalog.models import FeePricing, ServiceItem
from marketplace.errors import DomainError
from marketplace.limits import check_text_length

# Seven terms, the fee standard being two fields (its pricing and the standard itself).
TERMS = ("legal_basis", "time_limit_days", "workflow", "application_conditions", "fee_pricing",
         "fee_standard", "competent_department", "is_monopoly")
MAX_STEPS = 30
MAX_DAYS = 3650


def snapshot(item: ServiceItem) -> dict:
    return {name: getattr(item, name) for name in TERMS}


def _text(value, *, kind: str, field: str) -> str:
    value = (value or "").strip()
    check_text_length(value, kind=kind, field=field)
    return value


def clean_terms(terms: dict) -> dict:
    """The terms as they are stored; a coded DomainError on the first one that is wrong."""
    unknown = sorted(set(terms) - set(TERMS))
    if unknown:
        raise DomainError(_("Unknown term: %(name)s.") % {"name": ", ".join(unknown)},
                          code="catalog.unknown_term")
    clean = {}
    for name in ("legal_basis", "application_conditions", "fee_standard"):
        if name in terms:
            clean[name] = _text(terms[name], kind="basis", field=name)
    if "competent_department" in terms:
        clean["competent_department"] = _text(terms["competent_department"], kind="line",
                                              field="competent_department")
    if "time_limit_days" in terms:
        days = terms["time_limit_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
            raise DomainError(_("The time limit is a whole number of days from 1 to %(max)s.")
                              % {"max": MAX_DAYS}, field="time_limit_days",
                              code="catalog.bad_time_limit")
        clean["time_limit_days"] = days
    if "workflow" in terms:
        clean["workflow"] = clean_workflow(terms["workflow"])
    if "fee_pricing" in terms:
        if terms["fee_pricing"] not in FeePricing.values:
            raise DomainError(_("Choose how the fee is priced."), field="fee_pricing",
                              code="catalog.bad_fee_pricing")
        clean["fee_pricing"] = terms["fee_pricing"]
    if "is_monopoly" in terms:
        clean["is_monopoly"] = bool(terms["is_monopoly"])
    return clean


def clean_workflow(steps) -> list[str]:
    """Ordered, non-empty steps of one line each (a text is read one step per line)."""
    if isinstance(steps, str):
        steps = steps.splitlines()
    if not isinstance(steps, list | tuple) or not all(isinstance(s, str) for s in steps):
        raise DomainError(_("The workflow is a list of steps."), field="workflow",
                          code="catalog.bad_workflow")
    steps = [step.strip() for step in steps if step.strip()]
    if len(steps) > MAX_STEPS:
        raise DomainError(_("At most %(max)s workflow steps.") % {"max": MAX_STEPS},
                          field="workflow", code="catalog.bad_workflow")
    for step in steps:
        check_text_length(step, kind="line", field="workflow")
    return steps

