"""What a regulator reads about red flags. Nobody else reads any: `visible_flags` is empty for
every other viewer, and no public page or open-data file includes them."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from bidding.models import Bid
from marketplace.accounts.models import Organization
from ratings.models import Indicator, RedFlag

STATES = ("open", "dismissed", "cleared", "all")


def visible_flags(organization: Organization | None) -> QuerySet:
    flags = (RedFlag.objects.select_related("project", "project__owner",
                                            "project__service_item", "project__region")
             .prefetch_related("parties__organization"))
    if organization is None or not organization.is_regulator:
        return flags.none()
    return flags


def concerning(flags: QuerySet, organization_id: int) -> QuerySet:
    """Flags naming the organization, or about a project it owns."""
    return flags.filter(Q(parties__organization_id=organization_id)
                        | Q(project__owner_id=organization_id)).distinct()


def filtered(flags: QuerySet, *, indicator: str = "", project: int | None = None,
             organization: int | None = None, service_item: str = "", region: str = "",
             since: dt.date | None = None, until: dt.date | None = None,
             state: str = "open") -> QuerySet:
    """The filters of the console page and the API. `since`/`until` bound when the flag was
    last confirmed; `state`: open (neither dismissed nor cleared), dismissed, cleared, all."""
    if indicator in Indicator.values:
        flags = flags.filter(indicator=indicator)
    if project is not None:
        flags = flags.filter(project_id=project)
    if organization is not None:
        flags = concerning(flags, organization)
    if service_item:
        flags = flags.filter(project__service_item__code=service_item)
    if region:
        flags = flags.filter(project__region__code=region)
    if since is not None:
        flags = flags.filter(computed_at__date__gte=since)
    if until is not None:
        flags = flags.filter(computed_at__date__lte=until)
    if state == "open":
        flags = flags.filter(dismissed_at__isnull=True, cleared_at__isnull=True)
    elif state == "dismissed":
        flags = flags.filter(dismissed_at__isnull=False)
    elif state == "cleared":
        flags = flags.filter(cleared_at__isnull=False, dismissed_at__isnull=True)
    return flags.order_by("-computed_at", "indicator", "-pk")


def flag_bids(flag: RedFlag) -> list[Bid]:
    """The bids behind a project flag, for the drill-down. Opened projects only: a flag is
    never about a sealed project, and this never reads one."""
    if flag.project is None or not flag.project.is_opened:
        return []
    return list(Bid.objects.filter(project=flag.project, valid__isnull=False)
                .select_related("agency").order_by("price", "pk"))


def open_counts() -> dict[str, int]:
    """Open flags per indicator (the console's summary)."""
    rows = (RedFlag.objects.filter(dismissed_at__isnull=True, cleared_at__isnull=True)
            .order_by().values("indicator").annotate(n=Count("pk")).values_list("indicator", "n"))
    return dict(rows)


def case_prefill(flag_id: int, organization: Organization | None) -> dict:
    """The case form's initial values from a red flag: its project, collusion as the grounds
    and the flag's explanation as a first statement of facts (the regulator edits it). Empty
    for anyone but a regulator, or a flag that does not exist."""
    from ratings.models import ViolationCase
    from ratings.redflags.explain import explanation

    flag = visible_flags(organization).filter(pk=flag_id).first()
    if flag is None:
        return {}
    statement = f"{flag.indicator} {flag.get_indicator_display()}: {explanation(flag)}"
    return {"project": flag.project_id, "grounds": ViolationCase.Grounds.COLLUSION,
            "statement": statement}
