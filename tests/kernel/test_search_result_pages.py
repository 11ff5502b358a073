"""A text search's results, page by page, on the directory and the project list (`web.page_of`:
the filtered ids in one narrow query, then only the page's rows; issue 14 §1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bidding.models import Project
from marketplace import search
from marketplace.accounts.models import Organization
from marketplace.search.services import index_objects
from tests.factories.accounts import AgencyFactory, OwnerFactory, member_of
from tests.factories.bidding import ProjectFactory
from tests.factories.providers import AgencyServiceFactory, service_item

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("providers:agency_list")
PROJECTS = reverse("bidding:project_list")


def surveying_agencies(count: int) -> list:
    agencies = [AgencyFactory(name=f"重庆第{n}测绘有限公司", credit_score=60 + n % 40)
                for n in range(count)]
    for agency in agencies[::3]:
        AgencyServiceFactory(agency=agency, service_item=service_item("MAP-TOPO"))
    index_objects(doc_type="agency", pks=[agency.pk for agency in agencies])
    return agencies


def names(response) -> list[str]:
    return [row["agency"].name for row in response.context["rows"]]


def test_the_pages_follow_the_search_order_and_count_every_match(client):
    surveying_agencies(45)
    AgencyFactory(name="重庆某律师事务所")  # no match
    ranked = search.search_ids("agency", "测绘")
    by_pk = Organization.objects.in_bulk(ranked)
    expected = [by_pk[pk].name for pk in ranked]
    pages = [client.get(DIRECTORY, {"q": "测绘", "page": n}) for n in (1, 2, 3)]
    assert [len(names(page)) for page in pages] == [20, 20, 5]
    assert names(pages[0]) + names(pages[1]) + names(pages[2]) == expected
    assert {page.context["page"].paginator.count for page in pages} == {45}
    # Out of range: the last page, as everywhere else.
    assert names(client.get(DIRECTORY, {"q": "测绘", "page": 99})) == names(pages[2])


def test_filters_and_another_order_apply_to_the_matches(client):
    agencies = surveying_agencies(30)
    with_service = agencies[::3]
    response = client.get(DIRECTORY, {"q": "测绘", "service_item": "MAP-TOPO"})
    assert response.context["page"].paginator.count == len(with_service)
    assert set(names(response)) == {a.name for a in with_service}

    by_score = client.get(DIRECTORY, {"q": "测绘", "ordering": "score"})
    best = sorted(agencies, key=lambda a: (-a.credit_score, a.name, a.pk))[:20]
    assert names(by_score) == [a.name for a in best]


def test_a_search_page_reads_the_same_queries_for_few_or_many_matches(client):
    """No COUNT over the matches and no per-row query: the page's cost does not grow with
    the number of matches."""
    surveying_agencies(5)

    def page_queries() -> list[str]:
        # The results are kept, and so is the filter form once shown: only the page's own
        # queries are counted.
        search.search_ids("agency", "测绘")
        client.get(DIRECTORY, {"q": "测绘"})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DIRECTORY, {"q": "测绘"}).status_code == 200
        return [query["sql"] for query in queries.captured_queries]

    few = page_queries()
    surveying_agencies(40)
    many = page_queries()
    assert len(many) == len(few)
    assert not any("COUNT(" in sql for sql in many)


def test_the_project_list_pages_its_matches_and_never_shows_a_draft(client):
    projects = [ProjectFactory(title=f"某污水处理厂扩建工程环境影响评价{n}",
                               status=Project.Status.BIDDING) for n in range(25)]
    draft = ProjectFactory(title="某污水处理厂草稿")
    index_objects(doc_type="project", pks=[p.pk for p in [*projects, draft]])
    ranked = [pk for pk in search.search_ids("project", "污水处理厂") if pk != draft.pk]

    first = client.get(PROJECTS, {"q": "污水处理厂"})
    second = client.get(PROJECTS, {"q": "污水处理厂", "page": 2})
    shown = [row["project"].pk for page in (first, second) for row in page.context["rows"]]
    assert shown == ranked
    assert draft.pk not in shown
    assert first.context["page"].paginator.count == 25
    assert "污水处理厂扩建工程" in first.content.decode()


API_DIRECTORY = reverse("api:agencies")


def test_the_api_pages_a_search_the_same_way(api_client):
    surveying_agencies(25)
    ranked = search.search_ids("agency", "测绘")
    by_pk = Organization.objects.in_bulk(ranked)
    first = api_client.get(API_DIRECTORY, {"q": "测绘", "page_size": 10}).json()
    third = api_client.get(API_DIRECTORY, {"q": "测绘", "page_size": 10, "page": 3}).json()
    assert first["count"] == third["count"] == 25
    assert [row["name"] for row in first["results"]] == [by_pk[pk].name for pk in ranked[:10]]
    assert [row["name"] for row in third["results"]] == [by_pk[pk].name for pk in ranked[20:]]
    assert first["next"] and first["previous"] is None and third["next"] is None
    # An API client asking past the end is told so, as on any other list.
    assert api_client.get(API_DIRECTORY, {"q": "测绘", "page": 9}).status_code == 404


def test_an_api_search_page_counts_without_a_count_query(api_client):
    surveying_agencies(30)
    search.search_ids("agency", "测绘")
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(API_DIRECTORY, {"q": "测绘"})
    assert response.json()["count"] == 30
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)


def test_the_api_project_search_reads_its_page_through_the_viewers_queryset(api_client):
    owner = OwnerFactory()
    public = ProjectFactory(owner=owner, title="某污水处理厂扩建工程",
                            status=Project.Status.BIDDING)
    draft = ProjectFactory(owner=owner, title="某污水处理厂提标改造")
    index_objects(doc_type="project", pks=[public.pk, draft.pk])
    url = reverse("api:projects")
    anonymous = api_client.get(url, {"q": "污水处理厂"}).json()
    assert [row["id"] for row in anonymous["results"]] == [public.pk]
    api_client.force_authenticate(member_of(owner))
    own = api_client.get(url, {"q": "污水处理厂"}).json()
    assert own["count"] == len(own["results"])
    assert public.pk in [row["id"] for row in own["results"]]


def test_the_ids_come_in_the_search_order_without_ranking_in_sql():
    """`search.ids_in_order`: the ids that pass the filters, sorted by the search's own list
    (any order, not the ids'), and no per-row rank lookup in the query."""
    agencies = surveying_agencies(12)
    order = [a.pk for a in agencies][::-1]
    order = order[1::2] + order[0::2]  # neither ascending nor descending
    dropped = Organization.objects.filter(pk=order[3])
    dropped.update(status=Organization.Status.SUSPENDED)
    queryset = search.ranked(Organization.objects.filter(status=Organization.Status.ACTIVE), order)
    with CaptureQueriesContext(connection) as queries:
        ids = search.ids_in_order(queryset)
    assert ids == [pk for pk in order if pk != order[3]]
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert "array_position" not in sql and "instr(" not in sql and "ORDER BY" not in sql


def test_another_order_than_the_rank_is_the_databases():
    agencies = surveying_agencies(6)
    queryset = search.ranked(Organization.objects.all(), [a.pk for a in agencies])
    by_name = queryset.order_by("-name")
    assert search.ids_in_order(by_name) == [a.pk for a in sorted(agencies, key=lambda a: a.name,
                                                                  reverse=True)]


def test_a_searchs_ids_are_one_parameter_however_many_they_are():
    """`search.ranked` passes the thousand ids as one value (an array, a JSON list), not a
    placeholder each: preparing and rewriting a thousand placeholders cost more than the
    search's SQL. The results, their order and a use as a subquery are unchanged."""
    agencies = surveying_agencies(3)
    strangers = list(range(10**9, 10**9 + 997))  # ids nobody holds
    order = [agencies[2].pk, *strangers[:500], agencies[0].pk, *strangers[500:], agencies[1].pk]
    queryset = search.ranked(Organization.objects.all(), order)
    _sql, params = queryset.query.sql_with_params()
    assert len(params) == 2  # the filter's ids and the rank's
    assert list(queryset) == [agencies[2], agencies[0], agencies[1]]
    assert search.ids_in_order(queryset.filter(name__contains="测绘")) == [
        agencies[2].pk, agencies[0].pk, agencies[1].pk]
    inside = Organization.objects.filter(pk__in=queryset.values("pk")).exclude(pk=agencies[0].pk)
    assert set(inside) == {agencies[1], agencies[2]}
