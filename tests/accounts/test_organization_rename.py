"""Only a regulator changes an organization's name, with a reason; the former names stay
public (曾用名) and searchable."""

import pytest
from django.urls import reverse

from marketplace.accounts import services
from marketplace.accounts.models import OrganizationNameChange
from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed
from marketplace.notifications.models import Notification
from marketplace.search import registry
from tests.factories.accounts import PASSWORD, log_in_verified

pytestmark = pytest.mark.django_db

NEW_NAME = "重庆清源生态环境科技有限公司"
REASON = "营业执照变更（渝中市监变字〔2026〕18号）"


@pytest.fixture
def console_regulator(db):
    """A regulator account made the way the product makes them (joins "Regulators")."""
    return services.create_regulator(username="console-regulator", password=PASSWORD)


def test_a_regulator_renames_and_the_former_name_is_kept(agency, agency_admin, regulator_user):
    old_name = agency.name

    change = services.organization_rename(organization=agency, new_name=NEW_NAME,
                                          reason=REASON, by=regulator_user)

    agency.refresh_from_db()
    assert agency.name == NEW_NAME
    assert (change.old_name, change.new_name, change.reason, change.changed_by) == (
        old_name, NEW_NAME, REASON, regulator_user)
    entry = AuditEntry.objects.get(action="organization.renamed")
    assert entry.data["from"] == old_name and entry.data["to"] == NEW_NAME
    assert entry.actor == regulator_user and entry.organization == agency
    assert Notification.objects.filter(user=agency_admin, kind="accounts.renamed").exists()


def test_an_organization_cannot_rename_itself(agency, agency_admin):
    with pytest.raises(NotAllowed) as refused:
        services.organization_rename(organization=agency, new_name=NEW_NAME, reason=REASON,
                                     by=agency_admin)

    assert str(refused.value.message) == "只有监管部门可以执行此操作。"
    assert not OrganizationNameChange.objects.exists()


@pytest.mark.parametrize(("new_name", "reason", "field"), [
    (NEW_NAME, "  ", "reason"),
    ("  ", REASON, "new_name"),
    ("长" * 201, REASON, "new_name"),
])
def test_a_rename_needs_a_name_and_a_reason(agency, regulator_user, new_name, reason, field):
    with pytest.raises(DomainError) as refused:
        services.organization_rename(organization=agency, new_name=new_name, reason=reason,
                                     by=regulator_user)

    assert refused.value.field == field
    assert not OrganizationNameChange.objects.exists()


def test_renaming_to_the_same_name_is_refused(agency, regulator_user):
    with pytest.raises(DomainError) as refused:
        services.organization_rename(organization=agency, new_name=f" {agency.name} ",
                                     reason=REASON, by=regulator_user)

    assert str(refused.value.message) == "该单位已经使用这个名称。"


def test_the_public_agency_profile_shows_the_former_names(client, agency, regulator_user):
    old_name = agency.name
    services.organization_rename(organization=agency, new_name=NEW_NAME, reason=REASON,
                                 by=regulator_user)

    page = client.get(f"/agencies/{agency.pk}/").content.decode()

    assert NEW_NAME in page
    assert "曾用名" in page
    assert old_name in page


def test_the_public_owner_profile_shows_the_former_names(client, owner, regulator_user):
    old_name = owner.name
    services.organization_rename(organization=owner, new_name="重庆市新建设集团",
                                 reason=REASON, by=regulator_user)

    page = client.get(f"/owners/{owner.pk}/").content.decode()

    assert "曾用名" in page and old_name in page


def test_without_a_rename_the_profile_shows_no_former_names(client, agency):
    assert "曾用名" not in client.get(f"/agencies/{agency.pk}/").content.decode()


def test_the_former_name_still_finds_the_agency(agency, regulator_user):
    old_name = agency.name
    services.organization_rename(organization=agency, new_name=NEW_NAME, reason=REASON,
                                 by=regulator_user)

    doc_type = registry.get("agency")
    document = doc_type.documents(doc_type.queryset().filter(pk=agency.pk))[0]
    assert document.title == NEW_NAME
    assert old_name in document.body


def test_the_console_renames_from_the_organization_management_page(client, agency,
                                                                   console_regulator):
    log_in_verified(client, console_regulator)
    manage = reverse("cms_console:organization_manage", args=[agency.pk])
    rename = reverse("cms_console:organization_rename", args=[agency.pk])
    assert f'href="{rename}"' in client.get(manage).content.decode()
    old_name = agency.name

    response = client.post(rename, {"new_name": NEW_NAME, "reason": REASON})

    assert response.status_code == 302 and response.url == manage
    agency.refresh_from_db()
    assert agency.name == NEW_NAME
    page = client.get(manage).content.decode()
    assert old_name in page and REASON in page


def test_the_console_shows_the_refusal_on_the_form(client, agency, console_regulator):
    log_in_verified(client, console_regulator)

    response = client.post(reverse("cms_console:organization_rename", args=[agency.pk]),
                           {"new_name": NEW_NAME, "reason": ""})

    assert response.status_code == 200
    assert "请填写作出该决定的理由。" in response.content.decode()
    assert not OrganizationNameChange.objects.exists()


def test_agencies_cannot_open_the_console_rename(client, agency, agency_admin):
    client.force_login(agency_admin)

    response = client.post(reverse("cms_console:organization_rename", args=[agency.pk]),
                           {"new_name": NEW_NAME, "reason": REASON})

    assert response.status_code in (302, 403)
    agency.refresh_from_db()
    assert agency.name != NEW_NAME
