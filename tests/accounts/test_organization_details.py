"""An organization's administrators keep its public details (contact, region, introduction);
staff read them; the introduction shows on the public profile."""

import pytest

from marketplace.accounts import services
from marketplace.accounts.models import INTRODUCTION_MAX_LENGTH, Organization
from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed
from marketplace.search import registry
from tests.factories.accounts import OwnerFactory, member_of

pytestmark = pytest.mark.django_db

PAGE = "/accounts/organization/"
INTRODUCTION = "专注环境影响评价二十年，服务重庆市各区县重点工程。"


def details(**overrides) -> dict:
    data = {"contact_name": "王芳", "phone": "023-68886666", "email": "office@qy.example.cn",
            "address": "重庆市渝中区解放碑街道1号", "region": "500112",
            "introduction": INTRODUCTION}
    data.update(overrides)
    return data


def test_an_administrator_saves_the_details_and_sees_them_saved(client, agency, agency_admin):
    client.force_login(agency_admin)

    response = client.post(PAGE, details(), follow=True)

    page = response.content.decode()
    assert "单位信息已保存。" in page
    assert INTRODUCTION in page
    agency.refresh_from_db()
    assert (agency.contact_name, agency.phone, agency.email, agency.region.code) == (
        "王芳", "023-68886666", "office@qy.example.cn", "500112")
    assert agency.introduction == INTRODUCTION


def test_the_change_is_audited_with_what_changed(client, agency, agency_admin):
    client.force_login(agency_admin)

    client.post(PAGE, details(contact_name=agency.contact_name))

    entry = AuditEntry.objects.get(action="organization.details_updated", organization=agency)
    assert entry.actor == agency_admin
    assert set(entry.data["changed"]) == {"phone", "email", "address", "region", "introduction"}
    assert entry.data["changed"]["region"] == {"from": "500103", "to": "500112"}


def test_saving_the_same_details_again_records_nothing(agency, agency_admin):
    services.organization_details_update(organization=agency, by=agency_admin,
                                         **{**details(), "region": agency.region})
    services.organization_details_update(organization=agency, by=agency_admin,
                                         **{**details(), "region": agency.region})

    assert AuditEntry.objects.filter(action="organization.details_updated").count() == 1


def test_the_form_says_how_long_the_introduction_may_be(client, agency_admin):
    client.force_login(agency_admin)

    page = client.get(PAGE).content.decode()

    assert f"最多 {INTRODUCTION_MAX_LENGTH} 个字符" in page
    assert f'maxlength="{INTRODUCTION_MAX_LENGTH}"' in page


def test_a_too_long_introduction_is_refused_on_its_field(client, agency, agency_admin):
    client.force_login(agency_admin)

    response = client.post(PAGE, details(introduction="长" * (INTRODUCTION_MAX_LENGTH + 1)))

    assert response.status_code == 200
    assert "introduction" in response.context["form"].errors
    with pytest.raises(DomainError) as refused:
        services.organization_details_update(
            organization=agency, by=agency_admin,
            **{**details(), "region": agency.region,
               "introduction": "长" * (INTRODUCTION_MAX_LENGTH + 1)})
    assert refused.value.field == "introduction"
    agency.refresh_from_db()
    assert agency.introduction == ""


def test_staff_see_the_details_but_no_form(client, agency):
    Organization.objects.filter(pk=agency.pk).update(introduction=INTRODUCTION)
    client.force_login(member_of(agency, role="staff"))

    page = client.get(PAGE).content.decode()

    assert INTRODUCTION in page
    assert agency.phone in page
    assert 'name="introduction"' not in page
    assert "只有本单位管理员可以修改这些信息。" in page


def test_staff_cannot_save_the_details(client, agency):
    staff = member_of(agency, role="staff")
    client.force_login(staff)

    response = client.post(PAGE, details())

    assert response.status_code == 403
    assert "只有本单位管理员才能执行此操作。" in response.content.decode()
    agency.refresh_from_db()
    assert agency.introduction == ""
    with pytest.raises(NotAllowed) as refused:
        services.organization_details_update(organization=agency, by=staff,
                                             **{**details(), "region": agency.region})
    assert refused.value.code == "not_allowed"


def test_an_administrator_of_another_organization_cannot_save_them(agency):
    with pytest.raises(NotAllowed) as refused:
        services.organization_details_update(organization=agency, by=member_of(OwnerFactory()),
                                             **{**details(), "region": agency.region})
    assert refused.value.code == "not_allowed"


def test_the_name_and_the_uscc_cannot_be_changed_on_the_page(client, agency, agency_admin):
    client.force_login(agency_admin)
    name, uscc = agency.name, agency.uscc

    client.post(PAGE, details(name="改过的名字", uscc="91500000MA5U000000"))

    agency.refresh_from_db()
    assert (agency.name, agency.uscc) == (name, uscc)
    assert "名称只能由监管部门" in client.get(PAGE).content.decode()


def test_the_introduction_shows_on_the_public_agency_profile(client, agency, agency_admin):
    services.organization_details_update(organization=agency, by=agency_admin,
                                         **{**details(), "region": agency.region})

    page = client.get(f"/agencies/{agency.pk}/").content.decode()

    assert "简介" in page
    assert INTRODUCTION in page


def test_the_introduction_shows_on_the_public_owner_profile(client, owner, owner_admin):
    services.organization_details_update(organization=owner, by=owner_admin,
                                         **{**details(), "region": owner.region})

    page = client.get(f"/owners/{owner.pk}/").content.decode()

    assert INTRODUCTION in page


def test_the_introduction_is_searchable_in_the_agency_directory(agency, agency_admin):
    services.organization_details_update(organization=agency, by=agency_admin,
                                         **{**details(), "region": agency.region})

    doc_type = registry.get("agency")
    document = doc_type.documents(doc_type.queryset().filter(pk=agency.pk))[0]
    assert INTRODUCTION in document.body


def test_the_page_speaks_english_when_asked(english, agency_admin):
    english.force_login(agency_admin)

    page = english.get(PAGE).content.decode()

    assert "Organization details" in page
    assert "Shown on your public profile" in page


def test_the_workspace_links_to_the_organization_details(client, agency_admin):
    client.force_login(agency_admin)

    assert f'href="{PAGE}"' in client.get("/workspace/").content.decode()
