"""The reference data in the Django admin, for superusers only (regulators use the console)."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from marketplace.catalog.models import CalendarDay
from tests.factories.accounts import log_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulator_client(client):
    call_command("create_regulator", username="jianguan", password="Jianguan-2026-strong",
                 stdout=StringIO())
    log_in_verified(client, get_user_model().objects.get(username="jianguan"))
    return client


@pytest.mark.parametrize("model", ["serviceitem", "region", "calendaryear", "calendarday"])
def test_catalog_models_are_in_the_admin(admin_client, model):
    assert admin_client.get(f"/django-admin/catalog/{model}/").status_code == 200


def test_regulators_are_refused_since_the_calendar_moved_to_the_console(regulator_client):
    # Regulators keep the calendar in the console (tests/cms/test_console_reference.py).
    for url in ("/django-admin/catalog/calendarday/add/", "/django-admin/catalog/calendaryear/",
                "/django-admin/catalog/serviceitem/"):
        response = regulator_client.get(url)
        assert response.status_code == 302 and "/django-admin/login/" in response.url
    regulator_client.post("/django-admin/catalog/calendarday/add/", {
        "date": "2027-01-01", "is_working_day": "", "name": "元旦",
    })
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).exists()


def test_the_calendar_is_read_only_in_djangos_admin_so_every_change_is_audited(admin_client):
    # Changes go through the console, which records the regulator and the reason.
    day = CalendarDay.objects.create(date=dt.date(2031, 1, 1), is_working_day=False, name="元旦")
    before = CalendarDay.objects.count()
    for url in ("/django-admin/catalog/calendaryear/add/", "/django-admin/catalog/calendarday/add/",
                f"/django-admin/catalog/calendarday/{day.pk}/delete/"):
        assert admin_client.get(url).status_code == 403, url
    admin_client.post("/django-admin/catalog/calendarday/add/", {
        "date": "2031-01-02", "is_working_day": "", "name": "元旦"})
    admin_client.post(f"/django-admin/catalog/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert CalendarDay.objects.count() == before and CalendarDay.objects.filter(pk=day.pk).exists()
    page = admin_client.get(f"/django-admin/catalog/calendarday/{day.pk}/change/")
    assert page.status_code == 200 and "元旦" in page.content.decode()  # read, not changed


def test_agency_users_cannot_open_the_admin(client, agency_admin):
    client.force_login(agency_admin)

    response = client.get("/django-admin/catalog/calendaryear/")

    assert response.status_code == 302
    assert "/login/" in response.url
