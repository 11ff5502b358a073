"""A regulator opens the red-flags page, filters it by indicator and drills down to a flag, its
project's bids and an agency (issue 15 §1). In both languages."""

import pytest
from playwright.sync_api import expect

from ratings.services.redflags import red_flags_run
from tests.factories.accounts import PASSWORD, give_authenticator
from tests.factories.ratings import regulator_user
from tests.factories.redflags import agencies, opened_project

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_regulator_filters_the_red_flags_and_drills_down(guide, language):
    a, b, c = agencies(3)
    identical = opened_project([(a, 88000, True), (b, 88000, True), (c, 91000, True)],
                               days=20, title="渝北区某道路工程环境影响评价")
    opened_project([(c, 90000, True)], days=10, title="沙坪坝区某医院安全预评价")
    red_flags_run()
    regulator = regulator_user()
    give_authenticator(regulator)
    tour = guide.open("regulator", language)
    page = tour.page
    tour.login(regulator.username, PASSWORD)

    tour.goto("/console/supervision/red-flags/", "red flags")
    rows = page.locator("[data-testid=red-flags] tbody tr")
    expect(rows.locator("text=R018")).to_have_count(1)
    expect(page.locator("[data-indicator=R003]")).to_have_count(1)

    page.locator("#id_indicator").select_option("R028")
    tour.submit("red flags filtered to R028", button=tour.t("Filter"),
                form="main form.red-flag-filters")
    expect(page.locator("[data-indicator]")).to_have_count(1)
    expect(page.locator("[data-indicator=R028]")).to_have_count(1)

    with page.expect_navigation():
        page.locator("[data-indicator=R028]").get_by_role(
            "link", name=tour.t("Open"), exact=True).click()
    tour.check("the R028 flag")
    expect(page.locator("[data-testid=red-flag-explanation]")).to_contain_text("¥88,000.00")
    bids = page.locator("[data-testid=red-flag-bids] tbody tr")
    expect(bids).to_have_count(3)
    expect(bids.first).to_contain_text("¥88,000.00")
    open_case = tour.t("Open a violation case about %(name)s") % {"name": a.name}
    expect(page.get_by_role("link", name=open_case)).to_be_visible()

    with page.expect_navigation():
        page.locator("[data-testid=red-flag-bids]").get_by_role("link", name=a.name).click()
    tour.check("the agency's console page with its flags")
    expect(page.locator("[data-testid=organization-red-flags]")).to_contain_text("R028")

    tour.goto(identical.get_absolute_url(), "the flagged project's page")
    expect(page.locator("main")).to_contain_text(identical.title)
