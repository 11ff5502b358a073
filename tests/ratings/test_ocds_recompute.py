"""Issue 15 §2: an outsider recomputes the bid-based red flags from our open data alone (the
record package, with the bids extension) and gets what our own data says: R018 single bid,
R028 identical bid prices, R035 all but the winning bid disqualified, R036 lowest bid
disqualified under a price-only method, and the winning margin behind R024/R058 ((second
lowest valid bid − winning bid) / winning bid, before the market's fences are applied).

The oracles are the database read directly and the red-flag engine of issue 15 §1: the
outsider's flags are exactly the engine's, project by project."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from bidding import services as bidding
from bidding.models import Award, Bid, Project
from tests.factories.bidding import agency_offering, bid, open_bids, published_project, user_of

pytestmark = pytest.mark.django_db
LOWEST = Project.Method.LOWEST_PRICE


def _awarded(project: Project) -> Project:
    project = open_bids(project)
    return bidding.project_award(project=project, by=user_of(project.owner),
                                 now=project.bid_deadline + dt.timedelta(hours=1))


@pytest.fixture
def market():
    single = published_project(selection_method=LOWEST, min_bidders=1)
    bid(single, agency_offering(), "88000.00")

    disqualified = published_project(selection_method=LOWEST, min_bidders=1)
    for price in ("70000.00", "75000.00"):
        bid(disqualified, agency_offering(), price)
    bidding.project_amend(project=disqualified, by=user_of(disqualified.owner),
                          reason="更正说明", changes={"description": "更正后的说明"},
                          now=disqualified.published_at + dt.timedelta(hours=2))
    bid(disqualified, agency_offering(), "80000.00",
        now=disqualified.published_at + dt.timedelta(hours=3))

    identical = published_project(selection_method=LOWEST, min_bidders=1)
    for price in ("81000.00", "82000.00", "82000.00"):
        bid(identical, agency_offering(), price)

    clean = published_project(selection_method=LOWEST, min_bidders=1)
    for price in ("90000.00", "95000.00", "99000.00"):
        bid(clean, agency_offering(), price)
    return [_awarded(p) for p in (single, disqualified, identical, clean)]


def _flags(*, competitive: bool, price_only: bool, bids: list[tuple[str, Decimal, bool]],
           winner: str | None) -> dict:
    """The indicators from (tenderer, value, valid) triples and the winning tenderer."""
    valid = sorted(value for _, value, ok in bids if ok)
    values = [value for _, value, _ in bids]
    by_value: dict[Decimal, set[str]] = {}
    for tenderer, value, _ in bids:
        by_value.setdefault(value, set()).add(tenderer)
    winning = next((v for t, v, ok in bids if t == winner and ok), None)
    lowest = min(values) if values else None
    return {
        "R018": competitive and len(bids) == 1,
        "R028": any(len(tenderers) > 1 for tenderers in by_value.values()),
        "R035": winner is not None and len(bids) > 1 and all(
            not ok for t, _, ok in bids if t != winner),
        "R036": price_only and any(v == lowest and not ok for _, v, ok in bids),
        "margin": (None if winning is None or len(valid) < 2
                   else round((valid[1] - winning) / winning, 6)),
    }


def _from_open_data(compiled: dict) -> dict:
    details = compiled["bids"]["details"]
    standing = [a for a in compiled["awards"] if a["status"] != "cancelled"]
    winner_bid = standing[0]["relatedBid"] if standing else None
    winner = next((b["tenderers"][0]["id"] for b in details if b["id"] == winner_bid), None)
    criteria = compiled["tender"]["awardCriteria"]
    return _flags(
        competitive=criteria in ("priceOnly", "ratedCriteria"),
        price_only=criteria == "priceOnly",
        bids=[(b["tenderers"][0]["id"], Decimal(str(b["value"]["amount"])),
               b["status"] == "valid") for b in details],
        winner=winner)


def _from_our_database(project: Project) -> dict:
    bids = Bid.objects.filter(project=project, status__in=("submitted", "disqualified"))
    award = Award.objects.filter(project=project, cancelled_at__isnull=True).first()
    return _flags(
        competitive=project.selection_method in (LOWEST, Project.Method.COMPREHENSIVE),
        price_only=project.selection_method == LOWEST,
        bids=[(b.agency.uscc, b.price, bool(b.valid)) for b in bids],
        winner=award.bid.agency.uscc if award else None)


def test_an_outsider_recomputes_the_bid_flags_from_the_record_package(market, api_client):
    package = api_client.get("/api/v1/open-data/ocds/records/").json()
    published = {r["ocid"]: _from_open_data(r["compiledRelease"]) for r in package["records"]}
    prefix = settings.OCDS_OCID_PREFIX
    ours = {f"{prefix}-{p.pk}": _from_our_database(p) for p in market}
    assert published == ours
    single, disqualified, identical, clean = (published[f"{prefix}-{p.pk}"] for p in market)
    assert single["R018"] and not any(disqualified[k] for k in ("R018", "R028"))
    assert disqualified["R035"] and disqualified["R036"] and disqualified["margin"] is None
    assert identical["R028"] and identical["margin"] == round(Decimal(1000) / 81000, 6)
    assert not any(clean[k] for k in ("R018", "R028", "R035", "R036"))
    assert clean["margin"] == round(Decimal(5000) / 90000, 6)


def test_the_outsider_s_flags_are_the_red_flag_engine_s(market, api_client):
    from ratings.models import RedFlag
    from ratings.services.redflags import red_flags_run

    red_flags_run()
    package = api_client.get("/api/v1/open-data/ocds/records/").json()
    prefix = settings.OCDS_OCID_PREFIX
    outsider = {(code, record["ocid"])
                for record in package["records"]
                for code, raised in _from_open_data(record["compiledRelease"]).items()
                if code in ("R018", "R028", "R035", "R036") and raised}
    engine = {(flag.indicator, f"{prefix}-{flag.project_id}")
              for flag in RedFlag.objects.filter(indicator__in=("R018", "R028", "R035", "R036"),
                                                 cleared_at__isnull=True)}
    assert outsider == engine
    assert len(engine) >= 3  # single bid, identical prices, disqualified: the market fires
