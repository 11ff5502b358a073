"""The workspace leads each kind of organization to the pages it works in."""

import pytest

from tests.factories.accounts import member_of


@pytest.mark.django_db
def test_agency_workspace_links_to_services_qualifications_and_profile(client, agency):
    client.force_login(member_of(agency))
    html = client.get("/workspace/").content.decode()
    assert 'href="/workspace/services/"' in html
    assert 'href="/workspace/qualifications/"' in html
    assert f'href="/agencies/{agency.pk}/"' in html


@pytest.mark.django_db
def test_regulator_workspace_links_to_the_verification_queue(client, regulator):
    client.force_login(member_of(regulator))
    html = client.get("/workspace/").content.decode()
    assert 'href="/workspace/qualifications/review/"' in html
    assert 'href="/workspace/services/"' not in html
