"""The data migration of issue 13 §2: unopened bids (existing databases, the demo data) are
sealed, opened ones left alone; backwards every sealed bid is written back in clear."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bidding.models import Bid
from tests.factories.bidding import (
    T0,
    agency_offering,
    as_its_agency,
    bid,
    open_bids,
    published_project,
)
from tests.factories.files import pdf

pytestmark = pytest.mark.django_db(transaction=True)
SCHEMA, DATA = ("bidding", "0005_sealed_at_rest"), ("bidding", "0006_seal_unopened_bids")


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def stored(offer: Bid) -> bytes:
    with offer.attachments.get().file.open("rb") as file:
        return file.read()


def test_backwards_unseals_and_forwards_seals_only_the_unopened_bids():
    agency = agency_offering()
    waiting = published_project(now=T0)
    opened = published_project(now=T0)
    during = T0 + dt.timedelta(days=1)
    sealed = bid(waiting, agency, "81234.56", proposal="待开标方案",
                 files=[pdf("a.pdf", b"WAITING")], now=during)
    done = bid(opened, agency, "70000.00", proposal="已开标方案", now=during)
    open_bids(opened)
    try:
        migrate(SCHEMA)  # backwards: the unopened bid in clear again, its file too
        row = Bid.objects.values("price", "proposal", "sealed_contents").get(pk=sealed.pk)
        assert row == {"price": Decimal("81234.56"), "proposal": "待开标方案",
                       "sealed_contents": ""}
        assert b"WAITING" in stored(sealed)
        migrate(DATA)  # forwards: sealed again; the opened project's bid untouched
        migrate_to_latest()  # the later migrations, which today's models need
        row = Bid.objects.values("price", "proposal").get(pk=sealed.pk)
        assert row == {"price": None, "proposal": ""}
        assert b"WAITING" not in stored(sealed)
        again = as_its_agency(Bid.objects.get(pk=sealed.pk))
        assert again.price == Decimal("81234.56") and again.proposal == "待开标方案"
        assert Bid.objects.get(pk=done.pk).price == Decimal("70000.00")
        open_bids(waiting)
        assert Bid.objects.get(pk=sealed.pk).price == Decimal("81234.56")
    finally:
        migrate_to_latest()
