"""Scans are streamed to the declaring agency's members and to regulators; 404 for anyone
else. They are never reachable under MEDIA_URL."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories.accounts import AgencyFactory, member_of
from tests.factories.providers import TINY_PDF, QualificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def qualification(agency):
    return QualificationFactory(agency=agency)


def scan_url(qualification):
    return reverse("providers:qualification_scan", args=[qualification.pk])


def fetch(client, user, qualification):
    if user is not None:
        client.force_login(user)
    return client.get(scan_url(qualification))


def test_members_of_the_agency_get_the_scan(client, qualification, agency_admin, agency_staff):
    for user in (agency_admin, agency_staff):
        response = fetch(client, user, qualification)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == TINY_PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]


def test_regulators_get_the_scan(client, qualification, regulator_user):
    assert fetch(client, regulator_user, qualification).status_code == 200


def test_everyone_else_gets_404(client, qualification, owner_admin):
    other_agency_admin = member_of(AgencyFactory())
    for user in (other_agency_admin, owner_admin, None):
        client.logout()
        assert fetch(client, user, qualification).status_code == 404


def test_an_unknown_scan_is_404_like_a_forbidden_one(client, regulator_user):
    client.force_login(regulator_user)
    assert client.get(reverse("providers:qualification_scan", args=[999999])).status_code == 404


def test_the_scan_is_stored_outside_media_root(qualification):
    path = qualification.file.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        qualification.file.url  # noqa: B018 (no public URL exists)


def test_the_public_profile_never_links_to_a_scan(client, qualification):
    html = client.get(reverse("providers:agency_detail", args=[qualification.agency_id]))
    assert scan_url(qualification) not in html.content.decode()
    assert settings.MEDIA_URL + "qualifications" not in html.content.decode()
