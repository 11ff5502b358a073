"""An agency's public profile lists its final awards (project, owner, price, date), read by
bidding's reader plugged in from `BiddingConfig.ready()` (providers never imports bidding); a
start-up check fails loudly when a profile hook is not wired; the profile links to the
agency's public credit page."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import resolve

from bidding.selectors_market import agency_recent_awards
from marketplace import hooks
from marketplace.formatting.money import format_money
from providers import selectors
from tests.factories.contracts import awarded_project, project_in_publicity, standing_award

pytestmark = pytest.mark.django_db


def profile_page(agency) -> str:
    response = Client().get(f"/agencies/{agency.pk}/")  # Chinese, the default language
    assert response.status_code == 200
    return response.content.decode()


def test_bidding_provides_the_recent_awards_reader_at_start_up():
    assert hooks.one(selectors.RECENT_AWARDS) is agency_recent_awards
    assert hooks.hooks_are_wired() == []
    call_command("check")  # raises SystemCheckError on any error


def test_an_unwired_hook_fails_the_start_up_check():
    with hooks.replaced(selectors.RECENT_AWARDS):
        errors = hooks.hooks_are_wired()
        assert [error.id for error in errors] == ["marketplace.E001"]
        assert "agency_recent_awards" in errors[0].msg and "bidding" in errors[0].hint
        with pytest.raises(SystemCheckError):
            call_command("check")


def test_a_registration_under_an_undeclared_name_fails_the_start_up_check():
    with hooks.replaced("agency_recent_awardz", agency_recent_awards):
        assert [error.id for error in hooks.hooks_are_wired()] == ["marketplace.E002"]


def test_the_profile_lists_the_agencys_final_awards():
    project = awarded_project()
    award = standing_award(project)
    agency = award.bid.agency
    page = profile_page(agency)
    table = page[page.index('id="recent-awards"'):page.index("</table>",
                                                               page.index('id="recent-awards"'))]
    assert f'href="/projects/{project.pk}/"' in table and project.title in table
    assert f'href="/owners/{project.owner_id}/"' in table and project.owner.name in table
    assert format_money(award.bid.price) in table
    assert "2026-03" in table or "2026年3月" in table
    assert "暂无中选记录" not in page


def test_a_proposed_award_under_publicity_is_not_listed():
    project = project_in_publicity()
    agency = standing_award(project).bid.agency
    assert agency_recent_awards(agency, 5) == []
    assert "暂无中选记录" in profile_page(agency)


def test_the_profile_links_to_the_agencys_credit_page():
    agency = standing_award(awarded_project()).bid.agency
    page = profile_page(agency)
    assert f'href="/credit/{agency.pk}/"' in page
    assert resolve(f"/credit/{agency.pk}/").view_name == "ratings:credit_detail"
    assert "信用记录" in page
