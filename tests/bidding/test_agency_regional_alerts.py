"""The agency admin's regional-alerts switch: one choice for all its services, audited, and it
decides whether new projects elsewhere reach the agency."""

import pytest
from django.conf import settings
from django.test import Client

from marketplace.audit.models import AuditEntry
from marketplace.notifications.models import Notification
from providers import services as provider_services
from providers.models import AgencyService
from tests.factories.accounts import member_of, region
from tests.factories.bidding import (
    T0,
    ProjectFactory,
    agency_offering,
    offer,
    publish,
    service_item,
    user_of,
)

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def new_project_notices(agency):
    return Notification.objects.filter(user=user_of(agency), kind="bidding.new_project")


def publish_in(code, capture):
    with capture(execute=True):
        publish(ProjectFactory(region=region(code)), now=T0)


def test_the_switch_decides_who_hears_of_projects_elsewhere(django_capture_on_commit_callbacks):
    agency = agency_offering(region=region("500103"))
    offer(agency, service_item("ENERGY"))
    client = browser(user_of(agency))
    assert "in every region" in client.get("/workspace/bids/alerts/").content.decode()

    publish_in("500104", django_capture_on_commit_callbacks)
    assert new_project_notices(agency).count() == 1

    response = client.post("/workspace/bids/alerts/", {"regional_alerts": "region"})
    assert response.status_code == 302
    assert set(AgencyService.objects.filter(agency=agency)
               .values_list("regional_alerts", flat=True)) == {True}
    entry = AuditEntry.objects.get(action="agency.regional_alerts_set")
    assert entry.data == {"regional_alerts": True, "services": 2}

    publish_in("500104", django_capture_on_commit_callbacks)  # elsewhere: not told
    assert new_project_notices(agency).count() == 1
    publish_in("500103", django_capture_on_commit_callbacks)  # its own region: told
    assert new_project_notices(agency).count() == 2

    client.post("/workspace/bids/alerts/", {"regional_alerts": "all"})
    publish_in("500104", django_capture_on_commit_callbacks)
    assert new_project_notices(agency).count() == 3


def test_only_the_agency_admin_may_switch():
    agency = agency_offering(region=region("500103"))
    user_of(agency)
    staff = member_of(agency, role="staff")
    response = browser(staff).post("/workspace/bids/alerts/", {"regional_alerts": "region"})
    assert response.status_code == 403
    assert "Only an administrator of the agency can change its" in response.content.decode()
    assert not AgencyService.objects.filter(agency=agency, regional_alerts=True).exists()
    assert not AuditEntry.objects.filter(action="agency.regional_alerts_set").exists()


def test_an_agency_without_a_region_cannot_limit_alerts_to_it():
    agency = agency_offering(region=None)
    response = browser(user_of(agency)).post("/workspace/bids/alerts/",
                                             {"regional_alerts": "region"})
    assert response.status_code == 200
    assert "has no region" in response.content.decode()
    assert not AgencyService.objects.filter(agency=agency, regional_alerts=True).exists()


def test_an_unknown_choice_is_a_form_error():
    agency = agency_offering(region=region("500103"))
    response = browser(user_of(agency)).post("/workspace/bids/alerts/",
                                             {"regional_alerts": "mars"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_the_service_is_idempotent_and_reports_what_changed():
    agency = agency_offering(region=region("500103"), regional_alerts=True)
    admin = user_of(agency)
    assert provider_services.agency_regional_alerts_set(
        agency=agency, regional_alerts=True, by=admin) == 0
    assert provider_services.agency_regional_alerts_set(
        agency=agency, regional_alerts=False, by=admin) == 1
