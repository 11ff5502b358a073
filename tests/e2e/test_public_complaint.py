"""Journey: a person without an account complains about a project from its announcement,
verifies their e-mail address with the code sent to it, follows the complaint with the link,
and, once a regulator has answered it, reads the outcome, which the public list shows without
their name or contact. In Chinese and in English, at desktop and phone width.

The live server runs in this process (pytest-django's live_server thread), so the code is read
where the person would read it: the e-mail in Django's `mail.outbox`.
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from ratings.models import Complaint
from ratings.services import complaints
from tests.factories.bidding import published_project
from tests.factories.files import pdf
from tests.factories.ratings import regulator_user

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "li.si@example.cn"
NAME = "李四"
TEXT = "该项目要求中介机构额外缴纳“服务保证金”，公告中并未载明。"
OUTCOME = "经查，业主要求缴纳保证金无依据，已责令改正并退还。"


@pytest.fixture
def project():
    cache.clear()  # the filing throttles count per address: every journey starts afresh
    now = timezone.now()
    return published_project(now=now - dt.timedelta(hours=2),
                             bid_deadline=now + dt.timedelta(days=5))


def _code_in_mail() -> str:
    message = [m for m in mail.outbox if m.to == [EMAIL]][-1]
    return re.search(r"\b(\d{6})\b", message.body).group(1)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_person_without_an_account_complains_follows_and_reads_the_outcome(
        guide, project, language):
    person = guide.open("person", language)
    page = person.page
    person.goto(project.get_absolute_url(), "project announcement")
    with page.expect_navigation():
        page.locator("#complain-link").click()
    person.check("complaint form")
    expect(page.locator("#complaint-about")).to_contain_text(project.owner.name)
    expect(page.locator("#complaint-privacy")).to_contain_text(
        person.t("What we keep and who sees it"))
    page.locator("#id_name").fill(NAME)
    page.locator("#id_contact").fill(EMAIL)
    page.locator("#id_text").fill(TEXT)
    page.locator("#id_attachments").set_input_files(files=[{
        "name": "收据.pdf", "mimeType": "application/pdf", "buffer": pdf("收据.pdf").read()}])
    person.submit("verification page")
    expect(page.locator("#code-sent-to")).to_contain_text("l***@example.cn")
    complaint = Complaint.objects.get()
    assert complaint.status == Complaint.Status.UNVERIFIED

    # A wrong code first: the form says so and counts the attempt.
    code = _code_in_mail()
    page.locator("#id_code").fill("000000" if code != "000000" else "111111")
    person.submit("wrong code")
    expect(page.locator("main .errorlist")).to_contain_text(
        person.t("The code is not right. Attempts left: %(left)s.") % {"left": 4})
    page.locator("#id_code").fill(code)
    person.submit("follow page after verification")
    follow = page.url
    assert "/complaints/follow/" in follow
    expect(page.locator("#complaint-status")).to_have_text(person.t("Submitted"))
    expect(page.locator("#complaint-pending")).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.SUBMITTED
    # The same link came by e-mail.
    assert any(follow.removeprefix(person.base_url) in m.body for m in mail.outbox)

    # A regulator takes it up and answers it (the console is another journey's).
    regulator = regulator_user()
    complaints.complaint_accept(complaint=complaint, by=regulator)
    page.goto(follow)
    person.check("follow page while handled")
    expect(page.locator("#complaint-status")).to_have_text(person.t("Being handled"))
    complaints.complaint_decide(complaint=complaint, upheld=True, outcome=OUTCOME, by=regulator)
    page.reload()
    person.check("follow page with the outcome")
    expect(page.locator("#complaint-status")).to_have_text(person.t("Upheld"))
    expect(page.locator("#complaint-outcome")).to_contain_text(OUTCOME)

    # The published outcome: the answer, never who complained.
    with page.expect_navigation():
        page.locator("#complaint-outcome a").click()
    person.check("published outcomes")
    main = page.locator("main")
    expect(main).to_contain_text(OUTCOME)
    expect(main).to_contain_text(project.owner.name)
    expect(main).not_to_contain_text(NAME)
    expect(main).not_to_contain_text(EMAIL)
