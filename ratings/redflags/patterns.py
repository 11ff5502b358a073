"""The China-specific collusion and favouritism patterns (issue 15 §1; Cardinal has none of
them): bid rotation (CN02), cover bidding (CN03), owner favouritism (CN04) and repeated
non-competitive awards (CN05). Each is computed set-based like `ratings.redflags.indicators`:
a few aggregate queries over opened projects with a standing award, then light Python over
the aggregated rows, never a query per project, agency or owner. The definitions, thresholds
and their sources (the OECD Guidelines for Fighting Bid Rigging in Public Procurement, 2009:
"bid rotation" and "cover bidding") are in docs/decisions.md "Red flags: collusion and
favouritism patterns"."""

from bisect import bisect_left
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, F, Min, OuterRef, Q, Subquery

from bidding.models import Bid, Project
from ratings.models.redflags import Indicator, RedFlagParty
from ratings.redflags.fences import rounded, upper_fence
from ratings.redflags.indicators import (
    COMPETITIVE,
    PRICE_COMPARISON,
    Finding,
    standing_awards,
    valid_bids,
)

Role = RedFlagParty.Role
# How many project ids a flag's figures list (the drill-down); the counts are always whole.
MAX_PROJECTS = 20
# CN02: between them, the pair wins at least this share of the projects they both bid on, and
# each member at least this share of the pair's wins (turns, not one winner and a companion).
CN02_PAIR_WIN_SHARE = 0.5
CN02_MIN_TURN_SHARE = 1 / 3
# CN04: an agency needs at least this many wins at one owner to be its favourite, and a share
# there at least this many times its share of the whole market ("far above").
CN04_MIN_WINS = 3
CN04_MARKET_FACTOR = 2
LIVE = (Bid.Status.SUBMITTED, Bid.Status.DISQUALIFIED)


def _capped(projects) -> list[int]:
    return sorted(projects)[:MAX_PROJECTS]


def _total_wins() -> dict[int, int]:
    """Per agency, its standing awards on opened projects (any method)."""
    rows = (standing_awards().order_by().values("bid__agency_id")
            .annotate(wins=Count("project_id", distinct=True))
            .values_list("bid__agency_id", "wins"))
    return dict(rows)


# --- CN02 bid rotation ------------------------------------------------------------------------


def _co_bidding_pairs(minimum: int) -> list[tuple[int, int, int, int, int]]:
    """(a, b, shared, wins of a, wins of b) per pair of agencies (a < b) that both made a valid
    bid on at least `minimum` awarded, competitive, opened projects; wins counted among those
    shared projects. One aggregate over the bids joined to the project's other valid bids and
    its standing award."""
    winner = F("project__awards__bid__agency_id")
    return list(
        valid_bids().filter(project__selection_method__in=COMPETITIVE)
        .filter(project__bids__valid=True, project__bids__status__in=LIVE,
                project__bids__agency_id__gt=F("agency_id"))
        .filter(project__awards__cancelled_at__isnull=True, project__awards__isnull=False)
        .order_by().values("agency_id", "project__bids__agency_id")
        .annotate(shared=Count("project_id", distinct=True),
                  wins_a=Count("project_id", distinct=True, filter=Q(agency_id=winner)),
                  wins_b=Count("project_id", distinct=True,
                               filter=Q(project__bids__agency_id=winner)))
        .filter(shared__gte=minimum)
        .values_list("agency_id", "project__bids__agency_id", "shared", "wins_a", "wins_b"))


def _shared_projects(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], set[int]]:
    """The shared projects of the flagged pairs (few), from one query over their bids."""
    agencies = {a for pair in pairs for a in pair}
    bid_on: dict[int, set[int]] = defaultdict(set)
    rows = (valid_bids().filter(agency_id__in=agencies,
                                project__selection_method__in=COMPETITIVE,
                                project__awards__cancelled_at__isnull=True,
                                project__awards__isnull=False)
            .values_list("agency_id", "project_id"))
    for agency, project in rows:
        bid_on[agency].add(project)
    return {(a, b): bid_on[a] & bid_on[b] for a, b in pairs}


def cn02_bid_rotation() -> list[Finding]:
    """Two agencies that bid together again and again and take turns winning: they both made
    a valid bid on at least MIN_SHARED awarded competitive projects, between them they won at
    least half of them, each won at least a third of those wins, and neither wins much
    elsewhere (each one's wins outside the shared projects at most MAX_OUTSIDE of its wins)."""
    minimum = settings.MARKETPLACE_REDFLAG_CN02_MIN_SHARED
    outside_max = settings.MARKETPLACE_REDFLAG_CN02_MAX_OUTSIDE
    pairs = _co_bidding_pairs(minimum)
    if not pairs:
        return []
    totals = _total_wins()
    kept = []
    for a, b, shared, wins_a, wins_b in pairs:
        pair_wins = wins_a + wins_b
        if (pair_wins / shared < CN02_PAIR_WIN_SHARE
                or min(wins_a, wins_b) / max(pair_wins, 1) < CN02_MIN_TURN_SHARE):
            continue
        outside = {a: totals.get(a, 0) - wins_a, b: totals.get(b, 0) - wins_b}
        if any(outside[x] / totals[x] > outside_max for x in (a, b)):
            continue
        kept.append((a, b, shared, wins_a, wins_b, outside))
    projects = _shared_projects([(a, b) for a, b, *_rest in kept])
    return [Finding(Indicator.CN02, f"agencies:{a}-{b}", None,
                    [(a, Role.AGENCY), (b, Role.AGENCY)],
                    {"shared_projects": shared,
                     "members": [{"agency": a, "wins": wins_a, "wins_elsewhere": outside[a]},
                                 {"agency": b, "wins": wins_b, "wins_elsewhere": outside[b]}],
                     "pair_wins": wins_a + wins_b, "threshold": minimum,
                     "max_outside": outside_max,
                     "projects": _capped(projects[(a, b)])})
            for a, b, shared, wins_a, wins_b, outside in kept]


# --- CN03 cover bidding -----------------------------------------------------------------------


def _close_seconds(margin: float) -> dict[int, dict]:
    """Per awarded price-comparison project whose winner is a lowest valid bid and whose
    second-lowest valid bid (another agency's) is at most `margin` above it: the winner, the
    prices and the runner-up agencies."""
    others = valid_bids().exclude(agency=OuterRef("bid__agency"))
    second = Subquery(others.filter(project=OuterRef("project")).order_by().values("project")
                      .annotate(m=Min("price")).values("m")[:1])
    rows = (standing_awards()
            .filter(bid__valid=True, bid__price__gt=0,
                    project__selection_method__in=PRICE_COMPARISON)
            .annotate(second=second)
            .filter(second__gte=F("bid__price"),
                    second__lte=F("bid__price") * (1 + margin))
            .values_list("project_id", "bid__agency_id", "bid__price", "second"))
    found = {project: {"winner": agency, "winning_price": price, "second_price": second,
                       "runners_up": set()}
             for project, agency, price, second in rows}
    runners = (valid_bids().filter(project_id__in=list(found))
               .values_list("project_id", "agency_id", "price"))
    for project, agency, price in runners:
        item = found[project]
        if price == item["second_price"] and agency != item["winner"]:
            item["runners_up"].add(agency)
    return found


def _losses_to(agencies: set[int], winners: set[int]) -> dict[tuple[int, int], int]:
    """(agency, winner) → awarded price-comparison projects where the agency made a valid bid
    and the winner won, for the candidate agencies and winners only."""
    rows = (valid_bids().filter(agency_id__in=agencies,
                                project__selection_method__in=PRICE_COMPARISON)
            .filter(project__awards__cancelled_at__isnull=True,
                    project__awards__bid__agency_id__in=winners)
            .order_by().values("agency_id", "project__awards__bid__agency_id")
            .annotate(n=Count("project_id", distinct=True))
            .values_list("agency_id", "project__awards__bid__agency_id", "n"))
    return {(agency, winner): n for agency, winner, n in rows if agency != winner}


def cn03_cover_bidding() -> list[Finding]:
    """An agency that again and again comes second just above the same winner: on at least
    MIN_PROJECTS projects its valid bid was the runner-up at most MARGIN above that winner's
    price, and those are at least MIN_SHARE of the projects it lost to that winner."""
    margin = settings.MARKETPLACE_REDFLAG_CN03_MARGIN
    minimum = settings.MARKETPLACE_REDFLAG_CN03_MIN_PROJECTS
    min_share = settings.MARKETPLACE_REDFLAG_CN03_MIN_SHARE
    close: dict[tuple[int, int], list] = defaultdict(list)
    for project, item in _close_seconds(margin).items():
        gap = float((item["second_price"] - item["winning_price"]) / item["winning_price"])
        for agency in item["runners_up"]:
            close[(agency, item["winner"])].append((project, gap))
    candidates = {pair: rows for pair, rows in close.items() if len(rows) >= minimum}
    if not candidates:
        return []
    losses = _losses_to({a for a, _w in candidates}, {w for _a, w in candidates})
    findings = []
    for (agency, winner), rows in sorted(candidates.items()):
        lost = max(losses.get((agency, winner), 0), len(rows))
        if len(rows) / lost < min_share:
            continue
        gaps = [gap for _p, gap in rows]
        findings.append(Finding(
            Indicator.CN03, f"agency:{agency}:winner:{winner}", None,
            [(agency, Role.RUNNER_UP), (winner, Role.WINNER)],
            {"close_seconds": len(rows), "losses_to_winner": lost,
             "share": rounded(len(rows) / lost), "largest_gap": rounded(max(gaps)),
             "margin": margin, "threshold": minimum, "min_share": min_share,
             "projects": _capped(p for p, _g in rows)}))
    return findings


# --- CN04 owner favouritism, CN05 non-competitive awards ---------------------------------------


def _owner_projects() -> dict[int, dict]:
    """Per owner: its awarded opened projects, those awarded without competition (direct
    selection, or one valid bid allowed to suffice) on a non-monopoly item, and of those the
    direct selections. One aggregate."""
    direct = Q(project__selection_method=Project.Method.DIRECT)
    single = Q(project__min_bidders=1) & ~direct
    usual = Q(project__service_item__is_monopoly=False)
    rows = (standing_awards().order_by().values("project__owner_id")
            .annotate(projects=Count("project_id", distinct=True),
                      direct=Count("project_id", distinct=True, filter=direct & usual),
                      single=Count("project_id", distinct=True, filter=single & usual))
            .values_list("project__owner_id", "projects", "direct", "single"))
    return {owner: {"projects": projects, "direct": direct, "single": single}
            for owner, projects, direct, single in rows}


def cn04_owner_favouritism() -> list[Finding]:
    """An agency winning a share of one owner's awarded projects at or above the upper fence
    (Q3 + 1.5·IQR) of every owner–agency share (owners with at least MIN_PROJECTS awarded
    projects, agencies with a win there) and at least MIN_SHARE, with at least 3 wins, and at
    least twice its share of the whole market. Skipped, as Cardinal's fences, when the fence
    is not positive."""
    minimum = settings.MARKETPLACE_REDFLAG_CN04_MIN_PROJECTS
    floor = settings.MARKETPLACE_REDFLAG_CN04_MIN_SHARE
    owners = {owner: item["projects"] for owner, item in _owner_projects().items()
              if item["projects"] >= minimum}
    if not owners:
        return []
    rows = list(standing_awards().filter(project__owner_id__in=list(owners)).order_by()
                .values("project__owner_id", "bid__agency_id")
                .annotate(wins=Count("project_id", distinct=True))
                .values_list("project__owner_id", "bid__agency_id", "wins"))
    fence = upper_fence([wins / owners[owner] for owner, _a, wins in rows])
    if not fence["fence"] > 0:
        return []
    market = standing_awards().count()
    totals = _total_wins()
    findings = []
    for owner, agency, wins in sorted(rows):
        share, market_share = wins / owners[owner], totals.get(agency, 0) / market
        if (wins < CN04_MIN_WINS or share < max(fence["fence"], floor)
                or share < CN04_MARKET_FACTOR * market_share):
            continue
        findings.append(Finding(
            Indicator.CN04, f"owner:{owner}:agency:{agency}", None,
            [(owner, Role.OWNER), (agency, Role.WINNER)],
            {"owner_projects": owners[owner], "wins": wins, "share": rounded(share),
             "market_share": rounded(market_share), "min_share": floor,
             "min_projects": minimum,
             "q1": rounded(fence["q1"]), "q3": rounded(fence["q3"]),
             "fence": rounded(fence["fence"]), "n": fence["n"]}))
    return findings


def _fence_without(values: list[float], value: float) -> dict:
    """The upper fence of sorted `values` less one occurrence of `value` (linear: the list is
    already sorted)."""
    others = list(values)
    del others[bisect_left(others, value)]
    return upper_fence(others)


def cn05_non_competitive_awards() -> list[Finding]:
    """An owner that repeatedly awards without competition: at least MIN_PROJECTS of its
    awarded projects (monopoly items aside) were direct selections or let one valid bid
    suffice, and their share of its awarded projects is at or above the upper fence over
    the other owners with at least CN04's MIN_PROJECTS awarded projects (leaving the owner out
    of its own yardstick: with few owners, one heavy user would otherwise raise Q3 past
    itself; with three it never could be flagged). The fence may be 0 (most owners never do
    it): the minimum count keeps an occasional case from raising the flag."""
    minimum = settings.MARKETPLACE_REDFLAG_CN05_MIN_PROJECTS
    owner_minimum = settings.MARKETPLACE_REDFLAG_CN04_MIN_PROJECTS
    owners = {owner: item for owner, item in _owner_projects().items()
              if item["projects"] >= owner_minimum}
    if not owners:
        return []
    share = {owner: (item["direct"] + item["single"]) / item["projects"]
             for owner, item in owners.items()}
    values = sorted(share.values())
    findings = []
    for owner, item in sorted(owners.items()):
        count = item["direct"] + item["single"]
        if count < minimum or len(values) < 2:
            continue
        fence = _fence_without(values, share[owner])
        if share[owner] < fence["fence"]:
            continue
        findings.append(Finding(
            Indicator.CN05, f"owner:{owner}", None, [(owner, Role.OWNER)],
            {"owner_projects": item["projects"], "non_competitive": count,
             "direct": item["direct"], "single_bid_allowed": item["single"],
             "share": rounded(share[owner]), "threshold": minimum,
             "min_projects": owner_minimum, "q1": rounded(fence["q1"]),
             "q3": rounded(fence["q3"]), "fence": rounded(fence["fence"]), "n": fence["n"]}))
    return findings


ALL = (cn02_bid_rotation, cn03_cover_bidding, cn04_owner_favouritism,
       cn05_non_competitive_awards)
