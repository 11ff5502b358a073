"""A new question reaches the owner where it can be answered: the notice links to the owner's
workspace at the question (where the answer form is), the public announcement points the owner
(and nobody else) to the workspace, and "my projects" flags projects with questions to answer."""

import datetime as dt

import pytest
import time_machine

from bidding import services
from marketplace.notifications.models import Notification
from tests.factories.bidding import T0, bid, open_bids, user_of
from tests.factories.owner_pages import browser_as

pytestmark = pytest.mark.django_db
ASKED = T0 + dt.timedelta(hours=2)


def ask(project, agency, text="工期能否延长？"):
    return services.question_ask(project=project, by=user_of(agency), text=text, now=ASKED)


def test_the_new_question_notice_links_to_the_answer_form_in_the_workspace(
        project, agencies, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(project, agencies[0])
    notice = Notification.objects.get(user=user_of(project.owner), kind="bidding.question")
    assert notice.url == f"/workspace/projects/{project.pk}/#question-{question.pk}"
    with time_machine.travel(ASKED + dt.timedelta(minutes=5), tick=False):
        page = browser_as(project.owner).get(notice.url.split("#")[0]).content.decode()
    anchor = page.index(f'id="question-{question.pk}"')
    form = page.index(f'action="/workspace/projects/{project.pk}/questions/{question.pk}/answer/"')
    assert anchor < form < anchor + 1500  # the answer form is inside the question's card


def test_owner_notices_link_to_the_workspace_and_agency_notices_to_the_announcement(
        project, agencies, django_capture_on_commit_callbacks):
    for agency in agencies[:3]:
        bid(project, agency)
    with django_capture_on_commit_callbacks(execute=True):
        open_bids(project)
    owner_notice = Notification.objects.get(user=user_of(project.owner), kind="bidding.opened")
    agency_notice = Notification.objects.get(user=user_of(agencies[0]), kind="bidding.opened")
    assert owner_notice.url == f"/workspace/projects/{project.pk}/"
    assert agency_notice.url == f"/projects/{project.pk}/"


def test_the_announcement_offers_the_workspace_link_to_the_owner_only(project, agencies):
    link = f'href="/workspace/projects/{project.pk}/"'
    with time_machine.travel(ASKED, tick=False):
        as_owner = browser_as(project.owner).get(f"/projects/{project.pk}/").content.decode()
        as_agency = browser_as(agencies[0]).get(f"/projects/{project.pk}/").content.decode()
        as_public = browser_as().get(f"/projects/{project.pk}/").content.decode()
    assert link in as_owner and "Manage this project in your workspace" in as_owner
    assert link not in as_agency and link not in as_public
    assert "Manage this project in your workspace" not in as_public


def test_my_projects_flags_the_projects_with_questions_to_answer(project, agencies):
    first = ask(project, agencies[0])
    ask(project, agencies[1], "需要提供哪些材料？")
    browser = browser_as(project.owner)
    with time_machine.travel(ASKED + dt.timedelta(minutes=5), tick=False):
        page = browser.get("/workspace/projects/").content.decode()
        assert "2 questions to answer" in page
        assert f'href="/workspace/projects/{project.pk}/#questions-heading"' in page
        response = browser.post(
            f"/workspace/projects/{project.pk}/questions/{first.pk}/answer/",
            {f"question-{first.pk}-text": "不能延长"})
        assert response.status_code == 302
        page = browser.get("/workspace/projects/").content.decode()
    assert "1 question to answer" in page


def test_questions_left_unanswered_after_bidding_are_not_flagged(project, agencies):
    ask(project, agencies[0])
    for agency in agencies[:3]:
        bid(project, agency)
    open_bids(project)  # answers are given while bidding only: nothing left to do
    with time_machine.travel(project.bid_deadline + dt.timedelta(hours=1), tick=False):
        page = browser_as(project.owner).get("/workspace/projects/").content.decode()
    assert "to answer" not in page
