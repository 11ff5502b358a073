"""The cast and the clock of the market journeys (journeys 2 to 4 of the browser suite).

An agency registers and bids through the pages; an owner posts the project through the form
and takes it to a signed contract; three other agencies (made by the factories, bidding through
the services) make the competition, one of them with an abnormally low price. The clock is
frozen-then-ticking with time-machine, which moves the whole process (the live server too), so
deadlines and publicity pass without waiting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import time_machine

from marketplace.accounts.models import Organization
from tests.factories.accounts import GovernmentOwnerFactory, member_of
from tests.factories.bidding import SHANGHAI, agency_offering, qualify

# A Monday morning with the statutory calendar known: working days are plain.
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
ITEM = "EIA-R"
PASSWORD = "Zhongjie-test-2026"
NEW_PASSWORD = "Lvyuan-huanping-2026"


@dataclass
class Cast:
    owner: Organization
    owner_user: object
    rivals: list[Organization]
    excluded: Organization
    agency_name: str = "重庆青山环境评价有限公司"
    agency_uscc: str = "91500103MA5UE02018"
    agency_user: str = "qingshan"
    project_title: str = "两江新区礼嘉片区道路改造工程环境影响评价"
    extra: dict = field(default_factory=dict)


def cast_the_market() -> Cast:
    owner = GovernmentOwnerFactory(name="重庆市两江新区建设管理局")
    rivals = [agency_offering(name=name) for name in
              ("重庆碧水环保科技有限公司", "重庆山城环境咨询有限公司", "重庆远景环评技术有限公司")]
    for rival in rivals:
        qualify(rival, "EIA")
    excluded = agency_offering(name="重庆前期规划设计研究院有限公司")
    return Cast(owner=owner, owner_user=member_of(owner), rivals=rivals, excluded=excluded)


class Clock:
    """The platform's clock for a journey: starts at START and ticks; `advance` jumps."""

    def __init__(self):
        self._travel = time_machine.travel(START, tick=True)

    def __enter__(self):
        self._traveller = self._travel.start()
        return self

    def __exit__(self, *exc):
        self._travel.stop()

    def advance(self, **delta) -> None:
        self._traveller.shift(dt.timedelta(**delta))


def deadline_input(now: dt.datetime, **delta) -> str:
    """A `datetime-local` value in Beijing time."""
    return (now.astimezone(SHANGHAI) + dt.timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


RIVAL_PRICES = [Decimal("92000.00"), Decimal("95000.00"), Decimal("30000.00")]
