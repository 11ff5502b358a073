"""The console's screens under the Content-Security-Policy (issue 13 §2): the lists, the audit
log, the sanctions forms, a calendar model form, the page editor with Wagtail's date picker and
its preview; then the Django admin and the API docs. Every page is checked like any other (the
policy's violations included); the Django admin and Swagger UI, whose wording and markup are
not ours, for the policy and the console only."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from wagtail.models import Page

from cms.models import NoticeIndexPage
from tests.factories.accounts import PASSWORD, give_authenticator
from tests.factories.ratings import regulator_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_regulators_console_screens_run_under_the_policy(guide):
    regulator = regulator_user()
    give_authenticator(regulator)  # the console asks for the second factor (tour.login types it)
    tour = guide.open("regulator", "zh-hans")
    tour.login(regulator.username, PASSWORD)

    for path, label in [
        ("/console/", "console dashboard with its chart"),
        ("/console/supervision/audit/", "audit log"),
        ("/console/supervision/organizations/", "organizations"),
        ("/console/supervision/qualifications/", "qualifications to verify"),
        ("/console/supervision/objections/", "objections"),
        ("/console/supervision/complaints/", "complaints"),
        ("/console/supervision/cases/", "violation cases"),
        ("/console/supervision/blacklist/", "blacklist"),
        ("/console/supervision/blacklist/new/", "blacklist form"),
        ("/console/supervision/credit-events/new/", "credit event form"),
        ("/console/supervision/inspections/new/", "inspection form"),
        ("/console/supervision/contract-templates/", "contract templates"),
        ("/console/supervision/calendar/days/new/", "calendar day form"),
    ]:
        tour.goto(path, label)


def test_the_page_editor_its_date_picker_and_its_preview_run_under_the_policy(guide):
    editor = regulator_user()
    editor.groups.add(Group.objects.get(name="Editors"))
    # A superuser too, for Django's admin below.
    editor.is_staff = editor.is_superuser = True
    editor.save(update_fields=["is_staff", "is_superuser"])
    give_authenticator(editor)
    home = Page.objects.filter(depth=2).first()
    notices = NoticeIndexPage.objects.first() or home.add_child(
        instance=NoticeIndexPage(title="通知公告", slug="csp-notices"))
    tour = guide.open("editor", "zh-hans")
    page = tour.page
    tour.login(editor.username, PASSWORD)

    tour.goto(f"/console/pages/{home.pk}/", "page explorer")
    # Wagtail's rich-text editor (Draftail) has an editable area without an accessible name:
    # Wagtail's markup, not ours; everything else is checked.
    tour.accessibility = False
    # A new notice: its date field is Wagtail's date picker, started by cms/console/init.js.
    tour.goto(f"/console/pages/add/cms/noticepage/{notices.pk}/", "new notice form")
    page.locator("#id_date").click()
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(1)
    # For the policy only: at phone width Wagtail's picker stacks the weekday names
    # (星期一 …) one character per line, a layout of Wagtail's, not a policy matter.
    tour.check_policy("new notice with the date picker open")
    tour.goto(f"/console/pages/{home.pk}/edit/", "page editor")
    # The preview shows the page in a frame of the editor (frame-ancestors 'self' there).
    page.locator("[data-side-panel-toggle='preview']").first.click()
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.locator("main")).to_be_visible()
    tour.check("page editor with its preview")

    # Django's admin (superusers only): its wording and markup are Django's.
    for path, label in [("/django-admin/", "django admin"),
                        ("/django-admin/auth/user/", "django admin users"),
                        (f"/django-admin/auth/user/{editor.pk}/change/", "django admin form")]:
        page.goto(tour.base_url + path)
        tour.check_policy(label)


def test_the_api_docs_run_under_the_policy(guide):
    tour = guide.open("developer", "en")
    tour.page.goto(tour.base_url + "/api/docs/")
    expect(tour.page.locator(".swagger-ui .info")).to_be_visible()
    expect(tour.page.locator(".swagger-ui .opblock").first).to_be_visible()
    tour.check_policy("api docs (Swagger UI)")
