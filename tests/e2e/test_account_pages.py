"""Account self-service in the browser: a forgotten password reset by e-mail, the
organization's public details, members' roles and the right to sign, sessions ended from
another device."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories.accounts import PASSWORD, AgencyFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)
NEW_PASSWORD = "Qingshan-huanping-2027"


@pytest.fixture
def agency_people():
    agency = AgencyFactory(name="重庆青山环境评价有限公司")
    admin = member_of(agency)
    admin.email = "li.qingshan@example.cn"
    admin.save()
    staff = member_of(agency, role="staff")
    return agency, admin, staff


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_forgotten_password_is_reset_through_the_emailed_link(guide, agency_people,
                                                                 language):
    _, admin, _ = agency_people
    tour = guide.open("agency", language)
    page = tour.page
    tour.goto("/accounts/login/", "login page")
    page.get_by_role("link", name=tour.t("Forgot your password?")).click()
    tour.check("reset form")
    page.locator("#id_email").fill(admin.email)
    tour.submit("reset e-mail sent")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    tour.goto(re.sub(r"^https?://[^/]+", "", link), "choose a new password")
    # The rules are shown beside the field before anything is typed.
    expect(page.locator("#id_new_password1_helptext")).to_be_visible()
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    tour.submit("password reset complete")
    tour.login(admin.username, NEW_PASSWORD)
    expect(page.locator("main")).to_contain_text("重庆青山环境评价有限公司")


def test_an_administrator_keeps_the_details_and_the_people(guide, agency_people):
    agency, admin, staff = agency_people
    tour = guide.open("admin")
    page = tour.page
    tour.login(admin.username, PASSWORD)
    page.locator("main").get_by_role("link", name=tour.t("Organization details")).first.click()
    tour.check("organization details")
    page.locator("#id_introduction").fill("专注建设项目环境影响评价十五年，服务覆盖重庆主城各区。")
    tour.submit("organization details saved")
    tour.goto(f"/agencies/{agency.pk}/", "public profile with the introduction")
    expect(page.locator("main")).to_contain_text("专注建设项目环境影响评价十五年")

    tour.goto("/accounts/members/", "members")
    row = page.locator("tr", has_text=staff.username)
    row.get_by_role("button", name=tour.t("Grant the right to sign")).click()
    page.wait_for_load_state()
    tour.check("members after granting the right to sign")
    expect(page.locator("tr", has_text=staff.username)).to_contain_text(tour.t("Yes"))
    tour.names.add(staff.username)


def test_a_user_ends_a_session_left_open_on_another_device(guide, agency_people):
    _, admin, _ = agency_people
    office = guide.open("office")
    laptop = guide.open("laptop")
    laptop.login(admin.username, PASSWORD)
    office.login(admin.username, PASSWORD)
    office.goto("/accounts/security/", "sessions and tokens")
    rows = office.page.locator("main table").first.locator("tbody tr")
    expect(rows).to_have_count(2)
    office.page.get_by_role("button", name=office.t("Log out all other sessions")).click()
    office.page.wait_for_load_state()
    office.check("sessions after ending the others")
    expect(rows).to_have_count(1)
    laptop.goto("/workspace/", None)
    expect(laptop.page).to_have_url(re.compile(r"/accounts/login/"))
    laptop.check("the other device is logged out")


LOCKOUT = ("Too many failed log-in attempts. Logging in is paused until %(time)s (about "
           "%(minutes)s minutes); each attempt before then starts the wait again. Forgot "
           "your password? Reset it instead.")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_after_five_wrong_passwords_the_login_page_says_when_to_try_again(guide, agency_people,
                                                                          language):
    _, admin, _ = agency_people
    tour = guide.open("guesser", language)
    page = tour.page
    tour.names.add(admin.username)
    tour.goto("/accounts/login/", "login page")
    for password in [f"wrong-{n}" for n in range(5)] + [PASSWORD]:
        page.locator("#id_username").fill(admin.username)
        page.locator("#id_password").fill(password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    tour.check("login paused, the right password refused too")

    expect(page.locator("#lockout")).to_contain_text(tour.t(LOCKOUT).split("%(time)s")[0])
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    tour.goto("/workspace/", "still logged out")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    # The refusals are 429 on purpose; the browser reports each as a failed resource.
    expected = [e for e in guide.console_errors if "status of 429" in e]
    assert len(expected) == 2  # the fifth wrong password and the right one
    guide.console_errors[:] = [e for e in guide.console_errors if e not in expected]
