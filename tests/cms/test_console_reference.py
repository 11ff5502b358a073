"""Contract templates and the holiday calendar in the console; Django's admin is for
superusers only."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from contracts.models import ContractTemplate
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import CalendarDay, CalendarYear
from marketplace.periods import add_period
from tests.factories.accounts import UserFactory, log_in_verified

pytestmark = pytest.mark.django_db
T = "/console/supervision/contract-templates/"
DAYS = "/console/supervision/calendar/days/"
YEARS = "/console/supervision/calendar/years/"


@pytest.fixture
def regulator_client(client, console_regulator):
    log_in_verified(client, console_regulator)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def in_use(db):
    ContractTemplate.objects.update(is_active=False)
    return ContractTemplate.objects.create(version=9001, title="中介服务合同", body="甲方……",
                                           is_active=True)


def test_a_new_version_is_added_then_chosen(regulator_client, console_regulator, in_use):
    assert "中介服务合同" in regulator_client.get(T).content.decode()
    bad = regulator_client.post(f"{T}new/", {"title": "新版", "body": "{% if %}"})
    assert bad.status_code == 200 and "The template text is not valid" in bad.content.decode()
    response = regulator_client.post(f"{T}new/", {"title": "中介服务合同（2027版）",
                                                  "body": "甲方 {{ owner }} 与乙方……"})
    assert response.status_code == 302
    added = ContractTemplate.objects.get(title="中介服务合同（2027版）")
    assert added.version == 9002 and not added.is_active
    assert AuditEntry.objects.get(action="contract_template.added").actor == console_regulator
    regulator_client.post(f"{T}{added.pk}/activate/")
    added.refresh_from_db()
    in_use.refresh_from_db()
    assert added.is_active and not in_use.is_active
    assert AuditEntry.objects.filter(action="contract_template.activated",
                                     actor=console_regulator).exists()
    assert regulator_client.get(f"{T}{added.pk}/").status_code == 200


NOTICE = "国办发明电〔2026〕7号"


def test_a_regulator_enters_next_years_holidays_in_the_console(regulator_client):
    response = regulator_client.post(f"{DAYS}new/", {"date": "2027-01-01", "name": "元旦",
                                                     "reason": NOTICE})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "2027" in regulator_client.get(DAYS).content.decode()
    page = regulator_client.get(f"{YEARS}new/").content.decode()
    assert 'value="regulator" selected' in page
    assert regulator_client.post(f"{YEARS}new/", {"year": "2027", "source": "regulator",
                                                  "reason": NOTICE}).status_code == 302
    assert CalendarYear.objects.get(year=2027).source == CalendarYear.Source.REGULATOR
    assert CalendarDay.objects.get(date=dt.date(2027, 1, 1)).is_working_day is False
    thursday = dt.datetime.fromisoformat("2026-12-31T10:00:00+08:00")
    assert add_period(thursday, "1wd").date() == dt.date(2027, 1, 4)


@pytest.mark.parametrize("who", ["agency", "editor"])
def test_others_cannot_touch_templates_or_the_calendar(client, who, agency_admin, in_use):
    user = agency_admin
    if who == "editor":
        user = UserFactory()
        user.groups.add(Group.objects.get(name="Editors"))
    log_in_verified(client, user)
    for url in (T, f"{T}new/", f"{T}{in_use.pk}/", DAYS, f"{DAYS}new/", YEARS):
        assert client.get(url).status_code in (302, 403), url
    client.post(f"{T}new/", {"title": "越权", "body": "x"})
    client.post(f"{DAYS}new/", {"date": "2027-01-01", "name": "元旦", "reason": NOTICE})
    assert not ContractTemplate.objects.filter(title="越权").exists()
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).exists()


def test_djangos_admin_refuses_regulators(regulator_client):
    for url in ("/django-admin/", "/django-admin/catalog/calendarday/",
                "/django-admin/catalog/calendarday/add/"):
        response = regulator_client.get(url)
        assert response.status_code == 302 and "/django-admin/login/" in response["Location"]
    regulator_client.post("/django-admin/catalog/calendarday/add/",
                          {"date": "2027-01-01", "is_working_day": "", "name": "元旦"})
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).exists()


# --- Calendar changes are regulator acts: audited with who and why --------------------------

def test_a_calendar_change_without_a_reason_is_refused_on_the_form(regulator_client):
    response = regulator_client.post(f"{DAYS}new/", {"date": "2027-01-01", "name": "元旦"})
    assert response.status_code == 200
    assert "Give the reason for the change" in response.content.decode()
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).exists()
    assert not AuditEntry.objects.filter(action__startswith="calendar.").exists()


def test_adding_changing_and_deleting_a_day_are_audited_with_the_regulator_and_reason(
        regulator_client, console_regulator):
    regulator_client.post(f"{DAYS}new/", {"date": "2027-02-06", "name": "春节",
                                          "reason": NOTICE})
    day = CalendarDay.objects.get(date=dt.date(2027, 2, 6))
    response = regulator_client.post(f"{DAYS}edit/{day.pk}/", {
        "date": "2027-02-06", "name": "春节调休", "is_working_day": "on",
        "reason": "更正：该日为调休上班"})
    assert response.status_code == 302, response.content.decode()[:2000]
    confirm = regulator_client.get(f"{DAYS}delete/{day.pk}/").content.decode()
    assert "Reason for the change" in confirm
    refused = regulator_client.post(f"{DAYS}delete/{day.pk}/", {"reason": " "})
    assert CalendarDay.objects.filter(pk=day.pk).exists(), refused.status_code
    assert regulator_client.post(f"{DAYS}delete/{day.pk}/",
                                 {"reason": "录入错误，撤销"}).status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    entries = list(AuditEntry.objects.filter(action__startswith="calendar.").order_by("id"))
    assert [e.action for e in entries] == ["calendar.day_added", "calendar.day_changed",
                                           "calendar.day_deleted"]
    assert {e.actor for e in entries} == {console_regulator}
    assert [e.data["reason"] for e in entries] == [NOTICE, "更正：该日为调休上班", "录入错误，撤销"]
    assert entries[1].data["before"] == {"date": "2027-02-06", "is_working_day": False,
                                         "name": "春节"}
    assert entries[1].data["after"]["is_working_day"] is True
    assert entries[2].object_id == str(day.pk) and entries[2].data["after"] is None
