"""The bid form shows every problem with an offer at once (the same rule functions as the
service, which still refuses the first one through the API), starts from the agency's committed
service time, says plainly that chosen files must be chosen again after an error, and the
receipt page says what the receipt proves before giving one copyable command per block."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from bidding.models import Bid, Project
from tests.bidding.conftest import api_as
from tests.factories.bidding import T0, agency_offering, bid, published_project, user_of
from tests.factories.files import pdf

pytestmark = pytest.mark.django_db
DURING = T0 + dt.timedelta(days=1)


def browser(organization, language="en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user_of(organization))
    return client


def errors_of(page: str) -> dict[str, list[str]]:
    """{field id: [messages]} of the error lists following each field."""
    found = {}
    for match in re.finditer(r'id="(id_\w+)"', page):
        rest = page[match.end():]
        following = rest[:rest.find('class="mb-3') if 'class="mb-3' in rest else len(rest)]
        errors = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>', following, re.S)
        if errors:
            found[match[1]] = [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>",
                                                                     errors[1], re.S)]
    return found


@pytest.fixture
def agency():
    return agency_offering(promised_days=30, fee_max=Decimal("90000.00"))


def test_every_problem_with_the_offer_is_shown_at_once(project, agency):
    """A price over the cap and too many days: both errors on the first submission."""
    with time_machine.travel(DURING, tick=False):
        response = browser(agency).post(f"/workspace/bids/projects/{project.pk}/bid/", {
            "price": "120000.00", "promised_days": "45", "proposal": "方案"})
    assert response.status_code == 200
    errors = errors_of(response.content.decode())
    assert errors["id_price"] == ["The price exceeds the budget cap of ¥100,000.00."]
    assert errors["id_promised_days"] == [
        "You committed to a service time of 30 days for this service; a bid cannot promise "
        "more."]
    assert not Bid.objects.exists()


def test_the_fee_standard_and_the_form_checks_are_shown_together(project, agency):
    with time_machine.travel(DURING, tick=False):
        response = browser(agency).post(f"/workspace/bids/projects/{project.pk}/bid/", {
            "price": "95000.00", "promised_days": ""})
    errors = errors_of(response.content.decode())
    assert errors["id_price"] == [
        "The price exceeds the maximum fee of ¥90,000.00 in your fee standard."]
    assert errors["id_promised_days"] == ["This field is required."]


def test_a_discount_rate_outside_the_bounds_and_too_many_days_are_shown_together(agency):
    project = published_project(quote_format=Project.QuoteFormat.DISCOUNT_RATE,
                                discount_rate_min=Decimal("5"), discount_rate_max=Decimal("20"))
    with time_machine.travel(DURING, tick=False):
        response = browser(agency).post(f"/workspace/bids/projects/{project.pk}/bid/", {
            "discount_rate": "30", "promised_days": "31"})
    errors = errors_of(response.content.decode())
    assert errors["id_discount_rate"] == ["The discount rate must be between 5.00% and 20.00%."]
    assert len(errors["id_promised_days"]) == 1


def test_the_api_still_refuses_with_the_first_problem(project, agency):
    with time_machine.travel(DURING, tick=False):
        response = api_as(agency).post(f"/api/v1/projects/{project.pk}/bids/", {
            "price": "120000.00", "promised_days": 45}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "bid.requirements_unmet"
    body = response.json()
    assert "price" in str(body) and "promised_days" not in str(body)


def test_promised_days_start_from_the_committed_service_time(project, agency):
    with time_machine.travel(DURING, tick=False):
        page = browser(agency).get(f"/workspace/bids/projects/{project.pk}/bid/")
    page = page.content.decode()
    assert re.search(r'<input type="number" name="promised_days" value="30"', page)
    assert "Your commitment for this service: at most 30 days." in page
    assert "At most the budget cap of ¥100,000.00 and the maximum fee of ¥90,000.00" in page


def test_a_revision_starts_from_the_bid_not_from_the_commitment(project, agency):
    offer = bid(project, agency, promised_days=12)
    with time_machine.travel(DURING, tick=False):
        page = browser(agency).get(f"/workspace/bids/{offer.pk}/revise/").content.decode()
    assert re.search(r'<input type="number" name="promised_days" value="12"', page)


@pytest.mark.parametrize(("language", "reminder"), [
    ("en", "The files you chose were not kept because the form has errors: choose them again."),
    ("zh-hans", "表单有误，所选附件未保存：请重新选择附件。"),
])
def test_after_an_error_the_page_says_the_chosen_file_must_be_chosen_again(
        project, agency, language, reminder):
    with time_machine.travel(DURING, tick=False):
        response = browser(agency, language).post(
            f"/workspace/bids/projects/{project.pk}/bid/",
            {"price": "120000.00", "promised_days": "20", "files": [pdf("方案.pdf")]})
    errors = errors_of(response.content.decode())
    assert errors["id_files"] == [reminder]
    with time_machine.travel(DURING, tick=False):
        without_files = browser(agency, language).post(
            f"/workspace/bids/projects/{project.pk}/bid/",
            {"price": "120000.00", "promised_days": "20"})
    assert "id_files" not in errors_of(without_files.content.decode())


def test_the_receipt_page_says_what_it_proves_and_gives_one_command_per_block(project, agency):
    offer = bid(project, agency)
    with time_machine.travel(DURING, tick=False):
        page = browser(agency).get(f"/workspace/bids/{offer.pk}/").content.decode()
    meaning = page.index("What this receipt proves")
    assert meaning < page.index("Canonical serialization") < page.index('id="command-receipt"')
    commands = re.findall(r'<pre class="command[^"]*"[^>]*>(.*?)</pre>', page, re.S)
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert html.unescape(commands[0]).startswith("python3 -c ")
    assert html.unescape(commands[0]).endswith(f"canonical.json {offer.salt}")
    assert commands[1] == "sha256sum attachment.pdf"
    assert "text-wrap" not in re.search(r'<pre class="(command[^"]*)"', page)[1]


def test_the_receipt_reads_in_chinese(project, agency):
    offer = bid(project, agency)
    with time_machine.travel(DURING, tick=False):
        page = browser(agency, "zh-hans").get(f"/workspace/bids/{offer.pk}/").content.decode()
    assert "这张回执证明什么" in page and "任何人改动其中任何一项，回执都会随之改变" in page
