"""Each indicator on a small market built to trigger it, and on one built not to (Cardinal's
definitions: docs/cli/indicators/R/*.md in open-contracting/cardinal-rs)."""

import datetime as dt

import pytest

from bidding.models import Bid, Project
from ratings.redflags.fences import quantile
from ratings.redflags.indicators import compute_all
from tests.factories.accounts import OwnerFactory
from tests.factories.redflags import agencies, normal_market, opened_project

pytestmark = pytest.mark.django_db


def found(indicator: str) -> list:
    return [f for f in compute_all() if f.indicator == indicator]


def parties(finding) -> set:
    return {(org, str(role)) for org, role in finding.parties}


def test_quantiles_follow_cardinal_r8():
    # statrs' R-8 quantile, as Cardinal's docs example data would give.
    assert quantile([1, 2, 3, 4, 5, 6, 7, 8], 0.25) == pytest.approx(2.416667, abs=1e-6)
    assert quantile([1, 2, 3, 4, 5, 6, 7, 8], 0.75) == pytest.approx(6.583333, abs=1e-6)
    assert quantile([5], 0.25) == 5


# --- R003 -----------------------------------------------------------------------------------


def test_r003_flags_a_period_shorter_than_15_whole_days():
    short = opened_project([], winner=None, days=10)
    [flag] = found("R003")
    assert flag.project_id == short.pk
    assert flag.figures["days"] == 10 and flag.figures["threshold"] == 15


def test_r003_spares_15_days_and_follows_the_setting(settings):
    opened_project([], winner=None, days=15)
    assert found("R003") == []
    settings.MARKETPLACE_REDFLAG_R003_DAYS = 16
    assert len(found("R003")) == 1


# --- R018 -----------------------------------------------------------------------------------


def test_r018_flags_a_single_bid_in_a_competitive_method():
    [agency] = agencies(1)
    project = opened_project([(agency, 90000, True)], method=Project.Method.COMPREHENSIVE)
    [flag] = found("R018")
    assert flag.project_id == project.pk and parties(flag) == {(agency.pk, "bidder")}


def test_r018_spares_direct_selection_and_two_bidders():
    a, b = agencies(2)
    opened_project([(a, 90000, True)], method=Project.Method.DIRECT)
    opened_project([(a, 90000, True), (b, 95000, False)])
    assert found("R018") == []


# --- R024 / R058 ----------------------------------------------------------------------------


def test_r024_flags_a_runner_up_just_above_the_winner():
    normal_market()
    winner, runner_up = agencies(2)
    close = opened_project([(winner, 100000, True), (runner_up, 100100, True)])
    [flag] = found("R024")
    assert flag.project_id == close.pk
    assert parties(flag) == {(winner.pk, "winner"), (runner_up.pk, "runner_up")}
    assert flag.figures["difference"] == pytest.approx(0.001)
    assert flag.figures["difference"] <= flag.figures["fence"]
    assert found("R058") == []


def test_r058_flags_a_heavily_discounted_winner():
    normal_market()
    winner, other = agencies(2)
    lemon = opened_project([(winner, 50000, True), (other, 100000, True)])
    [flag] = found("R058")
    assert flag.project_id == lemon.pk and parties(flag) == {(winner.pk, "winner")}
    assert flag.figures["difference"] == pytest.approx(1.0)
    assert flag.figures["difference"] >= flag.figures["fence"]
    assert found("R024") == []


def test_r024_r058_spare_an_ordinary_market_and_a_winner_that_is_not_lowest():
    normal_market()
    winner, cheaper = agencies(2)
    # Comprehensive scoring chose a dearer bid: the difference is undefined (excluded).
    opened_project([(winner, 100000, True), (cheaper, 100050, True), (cheaper, 1, False)][:2],
                   method=Project.Method.COMPREHENSIVE, winner=1)
    assert found("R024") == [] and found("R058") == []


# --- R025 -----------------------------------------------------------------------------------


def _r025_market(with_loser: bool):
    a, b, c, d, e, f, loser = agencies(7)
    plan = [(a, [d]), (b, [e]), (c, [f]), (d, [a]), (d, [b]), (d, [c]), (e, [f]), (e, [d]),
            (e, []), (f, [e]), (f, []), (f, [])]
    for n, (winner, losers) in enumerate(plan):
        extra = [loser] if with_loser and n < 8 else []
        opened_project([(winner, 90000, True),
                        *((x, 95000 + 1000 * i, True) for i, x in enumerate(losers + extra))])
    return loser


def test_r025_flags_a_top_bidder_that_almost_never_wins():
    loser = _r025_market(with_loser=True)
    [flag] = found("R025")
    assert parties(flag) == {(loser.pk, "agency")} and flag.project_id is None
    assert flag.figures["valid_bids"] == 8 and flag.figures["wins"] == 0
    assert flag.figures["ratio"] <= flag.figures["fence"]


def test_r025_spares_a_market_of_ordinary_win_ratios():
    _r025_market(with_loser=False)
    assert found("R025") == []


# --- R028 -----------------------------------------------------------------------------------


def test_r028_flags_identical_prices_from_different_agencies():
    a, b, c = agencies(3)
    project = opened_project([(a, 88000, True), (b, 88000, True), (c, 91000, True)])
    [flag] = found("R028")
    assert flag.project_id == project.pk
    assert parties(flag) == {(a.pk, "bidder"), (b.pk, "bidder")}
    assert flag.figures["prices"] == [{"price": "88000.00", "agencies": sorted([a.pk, b.pk])}]


def test_r028_spares_different_prices():
    a, b = agencies(2)
    opened_project([(a, 88000, True), (b, 88000.01, True)])
    assert found("R028") == []


# --- R030 -----------------------------------------------------------------------------------


def test_r030_guard_fires_if_a_late_bid_ever_won():
    a, b = agencies(2)
    project = opened_project([(a, 88000, True), (b, 90000, True)])
    winning = Bid.objects.get(project=project, agency=a)
    Bid.objects.filter(pk=winning.pk).update(
        submitted_at=project.bid_deadline + dt.timedelta(minutes=1))
    [flag] = found("R030")
    assert parties(flag) == {(a.pk, "winner")}


def test_r030_never_fires_on_bids_in_time():
    normal_market(3)
    assert found("R030") == []


# --- R035 / R036 ----------------------------------------------------------------------------


def test_r035_flags_all_but_the_winner_disqualified():
    w, x, y = agencies(3)
    project = opened_project([(w, 100000, True), (x, 99000, False), (y, 101000, False)],
                             method=Project.Method.COMPREHENSIVE)
    [flag] = found("R035")
    assert flag.project_id == project.pk and parties(flag) == {(w.pk, "winner")}
    assert flag.figures["disqualified_tenderers"] == 2


def test_r035_spares_a_second_valid_bid():
    w, x, y = agencies(3)
    opened_project([(w, 100000, True), (x, 99000, False), (y, 101000, True)])
    assert found("R035") == []


def test_r036_flags_the_lowest_bid_disqualified_under_lowest_price():
    w, x = agencies(2)
    project = opened_project([(w, 100000, True), (x, 95000, False)])
    [flag] = found("R036")
    assert flag.project_id == project.pk
    assert flag.figures == {"lowest_valid_price": "100000.00",
                            "lowest_disqualified_price": "95000.00"}


def test_r036_spares_other_methods_and_a_dearer_disqualified_bid():
    w, x = agencies(2)
    opened_project([(w, 100000, True), (x, 95000, False)], method=Project.Method.COMPREHENSIVE)
    opened_project([(w, 100000, True), (x, 105000, False)])
    assert found("R036") == []


# --- R038 -----------------------------------------------------------------------------------


def _r038_market(with_outlier: bool):
    firms = agencies(5)
    disqualified = [1, 1, 1, 1, 2, 2, 2, 2] + ([8] if with_outlier else [])
    owners = []
    for count in disqualified:
        owner = OwnerFactory()
        owners.append(owner)
        for project in range(2):
            # `count` of the owner's 10 bids disqualified, spread over its two projects.
            here = count // 2 + (count % 2 if project == 0 else 0)
            opened_project([(firm, 90000 + 1000 * i, i >= here) for i, firm in enumerate(firms)],
                           owner=owner, winner=4)
    return owners


def test_r038_flags_an_owner_that_disqualifies_far_more_than_others():
    owners = _r038_market(with_outlier=True)
    flags = [f for f in found("R038") if f.figures["group"] == "owner"]
    assert [parties(f) for f in flags] == [{(owners[-1].pk, "owner")}]
    assert flags[0].figures["ratio"] == pytest.approx(0.8)
    assert flags[0].figures["ratio"] >= flags[0].figures["fence"]


def test_r038_spares_owners_within_the_fence():
    _r038_market(with_outlier=False)
    assert [f for f in found("R038") if f.figures["group"] == "owner"] == []
