"""The reference data in the Django admin, where regulators enter each year's holidays."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from marketplace.catalog.models import CalendarDay, CalendarYear
from marketplace.periods import add_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulator_client(client):
    call_command("create_regulator", username="jianguan", password="Jianguan-2026-strong",
                 stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="jianguan"))
    return client


@pytest.mark.parametrize("model", ["serviceitem", "region", "calendaryear", "calendarday"])
def test_catalog_models_are_in_the_admin(admin_client, model):
    assert admin_client.get(f"/django-admin/catalog/{model}/").status_code == 200


def test_a_regulator_enters_next_years_holidays_and_periods_use_them(regulator_client):
    response = regulator_client.post("/django-admin/catalog/calendarday/add/", {
        "date": "2027-01-01", "is_working_day": "", "name": "元旦",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert regulator_client.get("/django-admin/catalog/calendaryear/add/").status_code == 200
    response = regulator_client.post("/django-admin/catalog/calendaryear/add/", {
        "year": "2027", "source": "regulator",
    })
    assert response.status_code == 302

    assert CalendarYear.objects.get(year=2027).source == CalendarYear.Source.REGULATOR
    assert CalendarDay.objects.get(date=dt.date(2027, 1, 1)).is_working_day is False
    thursday = dt.datetime.fromisoformat("2026-12-31T10:00:00+08:00")
    assert add_period(thursday, "1wd").date() == dt.date(2027, 1, 4)


def test_the_year_form_proposes_source_regulator(regulator_client):
    page = regulator_client.get("/django-admin/catalog/calendaryear/add/").content.decode()

    assert '<option value="regulator" selected>' in page


def test_regulators_may_only_read_service_items(regulator_client):
    assert regulator_client.get("/django-admin/catalog/serviceitem/").status_code == 200
    assert regulator_client.get("/django-admin/catalog/serviceitem/add/").status_code == 403


def test_agency_users_cannot_open_the_admin(client, agency_admin):
    client.force_login(agency_admin)

    response = client.get("/django-admin/catalog/calendaryear/")

    assert response.status_code == 302
    assert "/login/" in response.url
