"""The rating page names the organization being rated (not the rater's own), offers each score
as a labelled radio button that says what it means, tells the second rater that both ratings
are now published (with a link to them), and every page that shows scores names the criteria
(服务质量 …, 配合程度 …) instead of their keys; public credit pages show the average of each
criterion beside the overall one."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from ratings import services
from tests.factories.ratings import closed_contract, user_of

pytestmark = pytest.mark.django_db
OWNER_SCORES = {"quality": 5, "timeliness": 4, "attitude": 5, "fee_compliance": 4, "conduct": 5}
AGENCY_SCORES = {"cooperation": 4, "clarity": 3, "payment": 5}
KEYS = ("quality", "timeliness", "attitude", "fee_compliance", "conduct", "cooperation",
        "clarity", "payment")


def as_party(organization, language="zh-hans") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user_of(organization))
    return client


@pytest.fixture
def contract():
    return closed_contract(closed_at=timezone.now() - dt.timedelta(days=1))


def _visible_text(html: str) -> str:
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_each_party_is_asked_to_rate_the_other_party_by_name(contract):
    owner_page = as_party(contract.owner).get(f"/workspace/contracts/{contract.pk}/rate/")
    html = owner_page.content.decode()
    assert f"<h1 class=\"h3\">评价{contract.agency.name}</h1>" in html
    agency_page = as_party(contract.agency).get(f"/workspace/contracts/{contract.pk}/rate/")
    html = agency_page.content.decode()
    assert f"<h1 class=\"h3\">评价{contract.owner.name}</h1>" in html
    assert f'id="rated">{contract.owner.name}' in html


def test_scores_are_radio_buttons_labelled_with_their_meaning(contract):
    html = as_party(contract.owner).get(
        f"/workspace/contracts/{contract.pk}/rate/").content.decode()
    assert html.count('type="radio"') == 5 * 5
    for meaning in ("1 很差", "2 较差", "3 一般", "4 较好", "5 很好"):
        assert html.count(f">{meaning}</label>") == 5, meaning
    assert "<legend" in html and "服务质量" in html and "服务规范" in html
    assert 'id="id_quality_0"' in html and 'for="id_quality_0"' in html
    agency_html = as_party(contract.agency).get(
        f"/workspace/contracts/{contract.pk}/rate/").content.decode()
    for label in ("配合程度", "需求清晰度", "按时付款"):
        assert label in agency_html


def test_a_missing_score_is_refused_on_its_criterion(contract):
    response = as_party(contract.owner).post(f"/workspace/contracts/{contract.pk}/rate/",
                                             {**OWNER_SCORES, "quality": ""})
    assert response.status_code == 200
    assert "请选择 1 至 5 分。" in response.content.decode()
    assert not contract.ratings.exists()


def test_the_first_rater_is_told_the_ratings_wait_for_the_other_party(contract):
    response = as_party(contract.owner).post(f"/workspace/contracts/{contract.pk}/rate/",
                                             OWNER_SCORES)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "对方评价后或评价期结束时" in message


def test_the_second_rater_is_told_both_ratings_are_published_now_with_a_link(contract):
    as_party(contract.owner).post(f"/workspace/contracts/{contract.pk}/rate/", OWNER_SCORES)
    client = as_party(contract.agency)
    response = client.post(f"/workspace/contracts/{contract.pk}/rate/", AGENCY_SCORES)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "双方评价现已公开" in message and 'href="#ratings"' in message
    assert "对方评价后或评价期结束时" not in message
    page = client.get(f"/workspace/contracts/{contract.pk}/rate/").content.decode()
    assert 'id="ratings"' in page and "双方评价（已公开）" in page
    assert f"/credit/{contract.owner_id}/" in page


def test_revealed_ratings_name_the_criteria_not_their_keys(contract):
    services.rating_submit(contract=contract, scores=OWNER_SCORES, by=user_of(contract.owner))
    services.rating_submit(contract=contract, scores=AGENCY_SCORES,
                           by=user_of(contract.agency))
    for language, names in (("zh-hans", ("服务质量", "服务收费", "配合程度", "按时付款")),
                            ("en", ("Fee compliance", "Payment on time"))):
        page = _visible_text(as_party(contract.owner, language).get(
            f"/workspace/contracts/{contract.pk}/rate/").content.decode())
        for name in names:
            assert name in page, (language, name)
        for key in KEYS:
            assert not re.search(rf"\b{key}\b", page), (language, key)


def test_public_credit_pages_show_the_average_of_each_criterion(contract):
    services.rating_submit(contract=contract, scores=OWNER_SCORES, by=user_of(contract.owner))
    services.rating_submit(contract=contract, scores=AGENCY_SCORES,
                           by=user_of(contract.agency))
    visitor = Client()
    for url in (f"/credit/{contract.agency_id}/", f"/agencies/{contract.agency_id}/"):
        page = _visible_text(visitor.get(url).content.decode())
        assert "4.60" in page  # the overall mean of the owner's scores
        for name, average in (("服务质量", "5.00"), ("服务时效", "4.00"), ("服务收费", "4.00")):
            assert re.search(rf"{name}\s+{re.escape(average)}", page), (url, name)
        assert "fee_compliance" not in page
    owner_page = _visible_text(visitor.get(f"/credit/{contract.owner_id}/").content.decode())
    assert re.search(r"需求清晰度\s+3\.00", owner_page)
