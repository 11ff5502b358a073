"""The bid path's floor (issue 14 §1) is routed only for the benchmark: never in production,
and not unless the bench asks for it."""

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

from marketplace.operations.models import BenchFloorRow
from tests.conftest import client_for
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def reload_urls():
    import marketplace.api_urls
    import marketplace.urls

    importlib.reload(marketplace.api_urls)
    importlib.reload(marketplace.urls)
    clear_url_caches()


@pytest.fixture
def routed(settings):
    settings.BENCH_FLOOR, settings.DEBUG = True, True
    reload_urls()
    yield
    settings.BENCH_FLOOR = False
    reload_urls()


def test_the_floor_is_not_routed_by_default(client):
    assert client.post("/api/v1/bench/floor/").status_code == 404


@override_settings(BENCH_FLOOR=True, DEBUG=False)
def test_the_floor_is_never_routed_in_production(client):
    reload_urls()
    try:
        assert client.post("/api/v1/bench/floor/").status_code == 404
    finally:
        reload_urls()


def test_the_floor_writes_one_row_for_an_authenticated_client(routed):
    assert client_for(UserFactory()).post("/api/v1/bench/floor/", {"proposal": "方案"},
                                          format="json").status_code == 201
    assert list(BenchFloorRow.objects.values_list("payload", flat=True)) == ["方案"]
    from rest_framework.test import APIClient

    assert APIClient().post("/api/v1/bench/floor/").status_code == 401
