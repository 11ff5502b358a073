"""The collusion and favouritism patterns (CN02–CN05, ratings/redflags/patterns.py), each on a
small market built to trigger it and on one built not to (docs/decisions.md "Red flags:
collusion and favouritism patterns"), and their explanations."""

import pytest
from django.utils import translation

from bidding.models import Project
from marketplace.catalog.models import ServiceItem
from ratings.models import RedFlag
from ratings.redflags.explain import explanation, figure_rows
from ratings.redflags.indicators import compute_all
from ratings.services.redflags import red_flags_run
from tests.factories.accounts import OwnerFactory
from tests.factories.bidding import ITEM_CODE
from tests.factories.redflags import (
    agencies,
    cover_market,
    favouritism_market,
    non_competitive_market,
    normal_market,
    opened_project,
    rotation_market,
)

pytestmark = pytest.mark.django_db
PATTERNS = ("CN02", "CN03", "CN04", "CN05")


def found(indicator: str) -> list:
    return [f for f in compute_all() if f.indicator == indicator]


def parties(finding) -> set:
    return {(org, str(role)) for org, role in finding.parties}


def test_an_ordinary_market_raises_no_pattern():
    normal_market()
    assert [f for f in compute_all() if f.indicator in PATTERNS] == []


# --- CN02 bid rotation ------------------------------------------------------------------------


def test_cn02_flags_two_agencies_taking_turns_on_projects_they_bid_on_together():
    a, b = rotation_market()
    [flag] = found("CN02")
    assert parties(flag) == {(a.pk, "agency"), (b.pk, "agency")} and flag.project_id is None
    assert flag.figures["shared_projects"] == 4 and flag.figures["pair_wins"] == 4
    assert [(m["agency"], m["wins"], m["wins_elsewhere"]) for m in flag.figures["members"]] == [
        (a.pk, 2, 0), (b.pk, 2, 0)]
    assert len(flag.figures["projects"]) == 4 and flag.figures["threshold"] == 4


def test_cn02_spares_one_agency_winning_every_shared_project():
    rotation_market(turns=False)
    assert found("CN02") == []


def test_cn02_spares_a_dominant_winner_and_its_occasional_rival():
    a, b, c = agencies(3)
    for n in range(4):  # b wins 1 of the pair's 4 wins: 25%, less than a third
        first, second = (b, a) if n == 0 else (a, b)
        opened_project([(first, 90000, True), (second, 96000, True), (c, 99000, True)])
    assert found("CN02") == []


def test_cn02_spares_agencies_that_win_widely_elsewhere():
    a, b = rotation_market()
    others = agencies(1)
    for _n in range(3):  # b now wins 3 of its 5 wins outside the pair (60% > 50%)
        opened_project([(b, 80000, True), (others[0], 85000, True)])
    assert found("CN02") == []


def test_cn02_counts_only_awarded_projects_and_follows_the_setting(settings):
    a, b = agencies(2)
    for n in range(5):
        first, second = (a, b) if n % 2 else (b, a)
        # The last two are opened but not awarded: three shared awarded projects only.
        opened_project([(first, 90000, True), (second, 95000, True)],
                       winner=0 if n < 3 else None)
    assert found("CN02") == []
    settings.MARKETPLACE_REDFLAG_CN02_MIN_SHARED = 3
    [flag] = found("CN02")
    assert flag.figures["shared_projects"] == 3


# --- CN03 cover bidding -----------------------------------------------------------------------


def test_cn03_flags_an_agency_coming_second_just_above_the_same_winner():
    cover, winner = cover_market()
    [flag] = found("CN03")
    assert parties(flag) == {(cover.pk, "runner_up"), (winner.pk, "winner")}
    assert flag.figures["close_seconds"] == 3 and flag.figures["losses_to_winner"] == 3
    assert flag.figures["share"] == 1.0
    assert flag.figures["largest_gap"] == pytest.approx(0.02)
    assert flag.figures["margin"] == 0.03 and flag.figures["threshold"] == 3


def test_cn03_spares_a_gap_above_the_margin():
    cover_market(gap="0.05")
    assert found("CN03") == []


def test_cn03_spares_close_seconds_that_are_few_of_the_losses_to_that_winner():
    cover_market(losses=7)  # 3 close of 7 losses: 43% < 50%
    assert found("CN03") == []


def test_cn03_follows_the_margin_setting(settings):
    cover_market(gap="0.05")
    settings.MARKETPLACE_REDFLAG_CN03_MARGIN = 0.06
    assert len(found("CN03")) == 1


# --- CN04 owner favouritism -------------------------------------------------------------------


def test_cn04_flags_an_agency_winning_most_of_one_owners_projects():
    owner, favourite = favouritism_market()
    [flag] = found("CN04")
    assert parties(flag) == {(owner.pk, "owner"), (favourite.pk, "winner")}
    assert flag.figures["wins"] == 4 and flag.figures["owner_projects"] == 5
    assert flag.figures["share"] == 0.8 and flag.figures["share"] >= flag.figures["fence"]
    assert flag.figures["market_share"] == pytest.approx(4 / 21, abs=1e-6)
    assert flag.figures["n"] == 16 and flag.figures["min_projects"] == 4


def test_cn04_spares_an_owner_whose_awards_are_spread():
    favouritism_market(favourite_wins=2)
    assert found("CN04") == []


def test_cn04_spares_an_agency_that_wins_as_much_everywhere():
    # The favourite's 4 wins of 5 are matched by its wins at two more owners: it wins 12 of
    # the market's 31 awarded projects, and 80% is less than twice that.
    owner, favourite = favouritism_market()
    others = agencies(1)
    for _o in range(2):
        market_owner = opened_project([(favourite, 90000, True), (others[0], 95000, True)]).owner
        for _n in range(4):
            opened_project([(favourite, 90000, True), (others[0], 95000, True)],
                           owner=market_owner)
    assert [f for f in found("CN04") if (owner.pk, "owner") in parties(f)] == []


def test_cn04_spares_a_few_wins_of_a_large_owner_below_the_floor(settings):
    # 3 of 12 (25%) is above a fence made of 1-in-12 shares, but below the 30% floor.
    firms = agencies(12)
    owner = OwnerFactory()
    for n in range(12):
        winner = firms[0] if n < 3 else firms[n]
        opened_project([(winner, 90000, True), (firms[(n + 5) % 12], 99000, True)], owner=owner)
    other = OwnerFactory()  # 16 more projects the others win: firms[0] has 3 of 28 overall
    for n in range(16):
        opened_project([(firms[1 + n % 11], 90000, True), (firms[0], 99000, True)], owner=other)
    assert found("CN04") == []
    settings.MARKETPLACE_REDFLAG_CN04_MIN_SHARE = 0.25
    [flag] = found("CN04")
    assert flag.figures["share"] == 0.25 and flag.figures["fence"] < 0.25


# --- CN05 non-competitive awards --------------------------------------------------------------


def test_cn05_flags_an_owner_that_repeatedly_awards_without_competition():
    owner = non_competitive_market()
    [flag] = found("CN05")
    assert parties(flag) == {(owner.pk, "owner")} and flag.project_id is None
    assert flag.figures["non_competitive"] == 3 and flag.figures["direct"] == 3
    assert flag.figures["single_bid_allowed"] == 0 and flag.figures["share"] == 0.75
    assert flag.figures["n"] == 4 and flag.figures["fence"] == 0  # the other four owners


def test_cn05_counts_a_competitive_project_content_with_one_bid():
    owner = non_competitive_market(direct=2)
    opened_project([(agencies(1)[0], 90000, True)], owner=owner, min_bidders=1)
    [flag] = found("CN05")
    assert flag.figures["direct"] == 2 and flag.figures["single_bid_allowed"] == 1


def test_cn05_spares_fewer_than_three_and_monopoly_items():
    non_competitive_market(direct=2)
    monopoly = ServiceItem.objects.exclude(code=ITEM_CODE).first()
    ServiceItem.objects.filter(pk=monopoly.pk).update(is_monopoly=True)
    monopoly.refresh_from_db()
    non_competitive_market(direct=4, monopoly_item=monopoly)
    assert found("CN05") == []


# --- explanations -----------------------------------------------------------------------------


def _market(indicator: str):
    {"CN02": rotation_market, "CN03": cover_market, "CN04": favouritism_market,
     "CN05": non_competitive_market}[indicator]()


EXPECTED = {
    "CN02": ("took turns winning them (2 and 2 wins)", "Wins of each agency",
             "2 won together, 0 elsewhere"),
    "CN03": ("On 3 projects this agency came second at most 3.0% above the same winner",
             "Close second places", "100.0%"),
    "CN04": ("won 4 of this owner's 5 awarded projects (80.0%)", "Share of the whole market",
             "19.0%"),
    "CN05": ("3 of this owner's 4 awarded projects (75.0%) were awarded without competition",
             "By direct selection", "75.0%"),
}


@pytest.mark.parametrize("indicator", PATTERNS)
def test_each_pattern_is_explained_with_its_numbers_and_stored_by_the_run(indicator):
    _market(indicator)
    run = red_flags_run()
    assert run.counts[indicator] == 1
    flag = RedFlag.objects.get(indicator=indicator)
    sentence, label, value = EXPECTED[indicator]
    with translation.override("en"):
        assert sentence in explanation(flag)
        rows = dict(figure_rows(flag.figures))
    assert label in rows and value in " ".join(rows.values())
    with translation.override("zh-hans"):
        assert explanation(flag)  # a sentence, never the bare indicator name


def test_patterns_are_about_competitive_methods_where_they_should_be():
    # Direct selections are not "bidding together": no rotation among them.
    a, b = agencies(2)
    for n in range(4):
        opened_project([(a, 90000, True), (b, 95000, True)], method=Project.Method.DIRECT,
                       winner=n % 2)
    assert found("CN02") == []


def test_patterns_take_a_fixed_number_of_queries_whatever_the_market_size():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ratings.redflags import patterns

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for indicator in patterns.ALL:
                indicator()
        return len(captured)

    rotation_market()
    cover_market()
    favouritism_market()
    non_competitive_market()
    small = queries()
    for build in (rotation_market, cover_market, favouritism_market, non_competitive_market):
        build()
    assert queries() == small
