"""The indicators, each following its published definition in the Cardinal library
(open-contracting/cardinal-rs, docs/cli/indicators/R/*.md), computed set-based in SQL over
opened projects only (a sealed bid's price is not in its columns before opening, and nothing
here decrypts: `bidding.sealing`). Every function returns `Finding`s; the run
(`ratings.services.redflags.red_flags_run`) stores them.

Our terms in Cardinal's words (docs/decisions.md "Red flags (issue 15 §1)"):
- a submitted bid: a bid in at the opening (`valid` set, not withdrawn);
- a valid bid: `valid=True`; a disqualified bid: `valid=False` (invalid at opening, or
  disqualified or excluded later);
- the winning bid: the bid of the project's standing (not cancelled) award;
- competitive methods: every method but direct selection; price-only: lowest price.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
)

from bidding.models import Award, Bid, Project
from ratings.models.redflags import Indicator, RedFlagParty
from ratings.redflags.fences import lower_fence, quantile, rounded, upper_fence

Role = RedFlagParty.Role
COMPETITIVE = (Project.Method.LOWEST_PRICE, Project.Method.COMPREHENSIVE, Project.Method.RANDOM)
PRICE_COMPARISON = (Project.Method.LOWEST_PRICE, Project.Method.COMPREHENSIVE)
PRICE_ONLY = (Project.Method.LOWEST_PRICE,)
# Cardinal's defaults: R025's "top tenderer" percentile, R035's threshold, R038's minimums.
R025_PERCENTILE = 75
R035_THRESHOLD = 1
R038_MIN_BIDS = 2
R038_MIN_PROJECTS = 2
CENT = Decimal("0.01")


@dataclass
class Finding:
    indicator: str
    key: str
    project_id: int | None = None
    parties: list[tuple[int, str]] = field(default_factory=list)
    figures: dict = field(default_factory=dict)


def money(value: Decimal | None) -> str | None:
    return None if value is None else format(Decimal(value).quantize(CENT), "f")


# --- The sets every indicator reads -------------------------------------------------------------


def submitted_bids():
    return (Bid.objects.filter(project__opened_at__isnull=False, valid__isnull=False)
            .exclude(status=Bid.Status.WITHDRAWN))


def valid_bids():
    return submitted_bids().filter(valid=True)


def disqualified_bids():
    return submitted_bids().filter(valid=False)


def standing_awards():
    return Award.objects.filter(cancelled_at__isnull=True, project__opened_at__isnull=False)


def chunks(ids: list, size: int = 2000):
    """`ids` a batch at a time, for `__in` lookups of bounded length (SQLite's limit on
    parameters, PostgreSQL's planning time)."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _per_project(bids, aggregate):
    """A subquery: `aggregate` over `bids` of the outer row's project."""
    return Subquery(bids.filter(project=OuterRef("project")).order_by().values("project")
                    .annotate(value=aggregate).values("value")[:1])


# --- Project indicators ---------------------------------------------------------------------


def r003_short_submission_period() -> list[Finding]:
    """The bidding period (publication to deadline) in whole days below the threshold."""
    days = settings.MARKETPLACE_REDFLAG_R003_DAYS
    period = ExpressionWrapper(F("bid_deadline") - F("published_at"),
                               output_field=DurationField())
    rows = (Project.objects.filter(opened_at__isnull=False, published_at__isnull=False)
            .alias(period=period).filter(period__lt=dt.timedelta(days=days))
            .values_list("pk", "published_at", "bid_deadline"))
    return [Finding(Indicator.R003, f"project:{pk}", pk, figures={
        "days": (deadline - published).days, "threshold": days,
        "published_at": published.isoformat(), "bid_deadline": deadline.isoformat()})
        for pk, published, deadline in rows]


def r018_single_bid() -> list[Finding]:
    """A competitive project that received bids from one agency only."""
    rows = (submitted_bids().filter(project__selection_method__in=COMPETITIVE)
            .order_by().values("project_id")
            .annotate(agencies=Count("agency_id", distinct=True), agency=Min("agency_id"),
                      method=Min("project__selection_method"))
            .filter(agencies=1).values_list("project_id", "agency", "method"))
    return [Finding(Indicator.R018, f"project:{project}", project, [(agency, Role.BIDDER)],
                    {"tenderers": 1, "method": method})
            for project, agency, method in rows]


def _second_lowest_ratios() -> dict[int, dict]:
    """Per price-comparison project with a valid winning bid that is a lowest valid bid:
    (second-lowest valid bid − winning bid) / winning bid (the runners-up: `_runners_up`)."""
    others = valid_bids().exclude(pk=OuterRef("bid")).exclude(agency=OuterRef("bid__agency"))
    rows = (standing_awards()
            .filter(bid__valid=True, bid__price__gt=0,
                    project__selection_method__in=PRICE_COMPARISON)
            .annotate(second=Subquery(others.filter(project=OuterRef("project")).order_by()
                                      .values("project").annotate(m=Min("price"))
                                      .values("m")[:1]))
            .values_list("project_id", "bid__agency_id", "bid__price", "second"))
    # Filtered here, not in SQL: a filter on the annotation would repeat its subquery.
    return {project: {"winner": agency, "winning_price": price, "second_price": second,
                      "difference": float((second - price) / price)}
            for project, agency, price, second in rows
            if second is not None and second >= price}


def _runners_up(found: dict[int, dict], projects: list[int]) -> None:
    """The agencies (not the winner) whose valid bid is the second price, for `projects` only:
    read a batch of projects at a time, never the whole market."""
    for batch in chunks(projects):
        runners = (valid_bids().filter(project_id__in=batch)
                   .values_list("project_id", "agency_id", "price"))
        for project, agency, price in runners:
            item = found[project]
            if price == item["second_price"] and agency != item["winner"]:
                item.setdefault("runners_up", []).append(agency)


def _difference_figures(item: dict, fence: dict) -> dict:
    return {"winning_price": money(item["winning_price"]),
            "second_price": money(item["second_price"]),
            "difference": rounded(item["difference"]), "q1": rounded(fence["q1"]),
            "q3": rounded(fence["q3"]), "fence": rounded(fence["fence"]), "n": fence["n"]}


def r024_r058_price_differences() -> list[Finding]:
    """R024: the difference at or below Q1 − 1.5·IQR (winner and runner-up flagged too); R058:
    at or above Q3 + 1.5·IQR (winner flagged too). Fences over every such project; skipped,
    as in Cardinal, when the fence is not positive (75% of projects without a difference)."""
    ratios = _second_lowest_ratios()
    values = [item["difference"] for item in ratios.values()]
    low, high = lower_fence(values), upper_fence(values)
    close = (low["q1"] > 0 and low["fence"] > 0)
    if close:
        _runners_up(ratios, sorted(p for p, item in ratios.items()
                                   if item["difference"] <= low["fence"]))
    findings = []
    for project, item in sorted(ratios.items()):
        if close and item["difference"] <= low["fence"]:
            parties = [(item["winner"], Role.WINNER),
                       *((agency, Role.RUNNER_UP) for agency in item.get("runners_up", []))]
            findings.append(Finding(Indicator.R024, f"project:{project}", project, parties,
                                    _difference_figures(item, low)))
        if high["fence"] > 0 and item["difference"] >= high["fence"]:
            findings.append(Finding(Indicator.R058, f"project:{project}", project,
                                    [(item["winner"], Role.WINNER)],
                                    _difference_figures(item, high)))
    return findings


def r028_identical_prices() -> list[Finding]:
    """Different agencies submitted bids with the same price on one project."""
    groups = (submitted_bids().filter(price__isnull=False)
              .exclude(project__selection_method=Project.Method.DIRECT)
              .order_by().values("project_id", "price")
              .annotate(agencies=Count("agency_id", distinct=True)).filter(agencies__gte=2)
              .values("project_id"))
    # The bids of the projects with such a group (a subquery, not a list of ids), grouped here.
    bids = (submitted_bids().filter(price__isnull=False, project_id__in=groups)
            .values_list("project_id", "price", "agency_id"))
    every: dict[int, dict[Decimal, set]] = {}
    for project, price, agency in bids:
        every.setdefault(project, {}).setdefault(price, set()).add(agency)
    found = {project: {price: group for price, group in prices.items() if len(group) >= 2}
             for project, prices in every.items()}
    findings = []
    for project, prices in sorted(found.items()):
        agencies = sorted({a for group in prices.values() for a in group})
        findings.append(Finding(Indicator.R028, f"project:{project}", project,
                                [(a, Role.BIDDER) for a in agencies],
                                {"prices": [{"price": money(price), "agencies": sorted(group)}
                                            for price, group in sorted(prices.items())]}))
    return findings


def r030_late_bid_won() -> list[Finding]:
    """A valid winning bid submitted (or revised) after the deadline. The bidding rules make
    this impossible: the indicator is the guard that proves it stays so."""
    deadline = F("project__bid_deadline")
    rows = (standing_awards().filter(bid__valid=True)
            .filter(Q(bid__submitted_at__gt=deadline) | Q(bid__revised_at__gt=deadline))
            .values_list("project_id", "bid__agency_id", "bid__submitted_at",
                         "bid__revised_at", "project__bid_deadline"))
    return [Finding(Indicator.R030, f"project:{project}", project, [(agency, Role.WINNER)],
                    {"submitted_at": submitted.isoformat(),
                     "revised_at": revised.isoformat() if revised else None,
                     "bid_deadline": deadline.isoformat()})
            for project, agency, submitted, revised, deadline in rows]


def r035_all_but_winner_disqualified() -> list[Finding]:
    """One agency's bids are valid, it is the winner, and at least one other agency's bid was
    disqualified."""
    valid_agencies = _per_project(valid_bids(), Count("agency_id", distinct=True))
    others = disqualified_bids().exclude(agency=OuterRef("bid__agency"))
    disqualified = _per_project(others, Count("agency_id", distinct=True))
    rows = (standing_awards().filter(bid__valid=True)
            .annotate(valid_agencies=valid_agencies, disqualified=disqualified)
            .filter(valid_agencies=1, disqualified__gte=R035_THRESHOLD)
            .values_list("project_id", "bid__agency_id", "disqualified"))
    return [Finding(Indicator.R035, f"project:{project}", project, [(agency, Role.WINNER)],
                    {"disqualified_tenderers": count, "threshold": R035_THRESHOLD})
            for project, agency, count in rows]


def r036_lowest_bid_disqualified() -> list[Finding]:
    """Under the lowest-price method, with a standing award and valid priced bids, the lowest
    submitted bid is disqualified (strictly below every valid bid)."""
    valid_min = Subquery(valid_bids().filter(project=OuterRef("pk"), price__isnull=False)
                         .order_by().values("project").annotate(m=Min("price"))
                         .values("m")[:1])
    disqualified_min = Subquery(disqualified_bids().filter(project=OuterRef("pk"),
                                                           price__isnull=False)
                                .order_by().values("project").annotate(m=Min("price"))
                                .values("m")[:1])
    rows = (Project.objects.filter(opened_at__isnull=False, selection_method__in=PRICE_ONLY)
            .filter(Exists(Award.objects.filter(project=OuterRef("pk"),
                                                cancelled_at__isnull=True)))
            .annotate(valid_min=valid_min, disqualified_min=disqualified_min)
            .filter(valid_min__isnull=False, disqualified_min__lt=F("valid_min"))
            .values_list("pk", "valid_min", "disqualified_min"))
    return [Finding(Indicator.R036, f"project:{pk}", pk, [],
                    {"lowest_valid_price": money(valid_min),
                     "lowest_disqualified_price": money(disqualified_min)})
            for pk, valid_min, disqualified_min in rows]


# --- Organization indicators ----------------------------------------------------------------


def r025_excessive_unsuccessful_bids() -> list[Finding]:
    """An agency among the top bidders (valid bids ≥ the 75th percentile) whose ratio of wins
    to valid bids is at or below Q1 − 1.5·IQR. Projects with a standing award only."""
    # Projects with a standing award as a set to test membership in (SQLite builds it once),
    # not a probe into the awards per bid; the wins from the awards' side.
    awarded = Award.objects.filter(cancelled_at__isnull=True).values("project_id")
    counts = (valid_bids().filter(project_id__in=awarded).order_by().values("agency_id")
              .annotate(bids=Count("pk")).values_list("agency_id", "bids"))
    wins = dict(standing_awards().filter(bid__valid=True, bid__project=F("project"))
                .exclude(bid__status=Bid.Status.WITHDRAWN).order_by().values("bid__agency_id")
                .annotate(wins=Count("pk")).values_list("bid__agency_id", "wins"))
    rows = [(agency, bids, wins.get(agency, 0)) for agency, bids in counts]
    if not rows:
        return []
    top = quantile([bids for _a, bids, _w in rows], R025_PERCENTILE / 100)
    fence = lower_fence([wins / bids for _a, bids, wins in rows])
    if not (fence["q1"] > 0 and fence["fence"] > 0):
        return []
    return [Finding(Indicator.R025, f"agency:{agency}", None, [(agency, Role.AGENCY)],
                    {"valid_bids": bids, "wins": wins, "ratio": rounded(wins / bids),
                     "top_bidders_from": rounded(top), "q1": rounded(fence["q1"]),
                     "q3": rounded(fence["q3"]), "fence": rounded(fence["fence"]),
                     "n": fence["n"]})
            for agency, bids, wins in sorted(rows)
            if bids >= top and wins / bids <= fence["fence"]]


def _r038(rows: list[tuple[int, int, int]], kind: str, role: str) -> list[Finding]:
    if not rows:
        return []
    fence = upper_fence([disqualified / bids for _o, bids, disqualified in rows])
    if not fence["fence"] > 0:
        return []
    return [Finding(Indicator.R038, f"{kind}:{organization}", None, [(organization, role)],
                    {"group": kind, "submitted_bids": bids, "disqualified_bids": disqualified,
                     "ratio": rounded(disqualified / bids), "q1": rounded(fence["q1"]),
                     "q3": rounded(fence["q3"]), "fence": rounded(fence["fence"]),
                     "n": fence["n"]})
            for organization, bids, disqualified in sorted(rows)
            if disqualified / bids >= fence["fence"]]


def r038_excessive_disqualified_bids() -> list[Finding]:
    """The ratio of disqualified to submitted bids at or above Q3 + 1.5·IQR, per owner (owners
    with at least 2 opened projects) and per agency (agencies with at least 2 bids)."""
    disqualified = Count("pk", filter=Q(valid=False))
    owners = (submitted_bids().order_by().values("project__owner_id")
              .annotate(bids=Count("pk"), disqualified=disqualified,
                        projects=Count("project_id", distinct=True))
              .filter(projects__gte=R038_MIN_PROJECTS)
              .values_list("project__owner_id", "bids", "disqualified"))
    agencies = (submitted_bids().order_by().values("agency_id")
                .annotate(bids=Count("pk"), disqualified=disqualified)
                .filter(bids__gte=R038_MIN_BIDS)
                .values_list("agency_id", "bids", "disqualified"))
    return [*_r038(list(owners), "owner", Role.OWNER),
            *_r038(list(agencies), "agency", Role.AGENCY)]


ALL = (r003_short_submission_period, r018_single_bid, r024_r058_price_differences,
       r025_excessive_unsuccessful_bids, r028_identical_prices, r030_late_bid_won,
       r035_all_but_winner_disqualified, r036_lowest_bid_disqualified,
       r038_excessive_disqualified_bids)


def every_indicator() -> tuple:
    """Every indicator function, in the order a run computes them: Cardinal's, then ours
    (CN01 shared identity, then the patterns CN02–CN05)."""
    from ratings.redflags import patterns
    from ratings.redflags.identity import cn01_shared_identity

    return (*ALL, cn01_shared_identity, *patterns.ALL)


def compute_all() -> list[Finding]:
    return [finding for indicator in every_indicator() for finding in indicator()]
