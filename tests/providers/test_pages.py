"""Public profiles (Chinese by default) and the agency's workspace pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from marketplace import hooks
from providers import selectors
from providers.models import AgencyService, Qualification
from tests.factories.providers import AgencyServiceFactory, QualificationFactory, service_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile_agency(agency):
    AgencyServiceFactory(agency=agency, service_item=service_item("EIA-R"), promised_days=18)
    QualificationFactory(agency=agency, status=Qualification.Status.VERIFIED, number="甲001")
    QualificationFactory(agency=agency, status=Qualification.Status.DECLARED, number="乙002")
    QualificationFactory(agency=agency, status=Qualification.Status.REJECTED, number="丙003")
    QualificationFactory(agency=agency, number="丁004",
                         valid_until=timezone.localdate() - dt.timedelta(days=1))
    return agency


def test_the_agency_profile_renders_in_chinese(client, profile_agency):
    response = client.get(reverse("providers:agency_detail", args=[profile_agency.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert profile_agency.name in html and profile_agency.uscc in html
    assert "渝中区" in html
    assert "环境影响评价（报告书）" in html  # the service item's Chinese name
    assert "按国家指导价下浮20%收取" in html and "符合《建设项目环境影响评价技术导则》" in html
    assert "甲001" in html and "乙002" in html
    assert "丙003" not in html  # rejected
    assert "丁004" not in html  # expired
    assert "80.00" in html  # credit score


def test_the_profile_marks_verified_qualifications(client, profile_agency):
    profile = selectors.agency_profile(profile_agency.pk)
    assert [q.number for q in profile.qualifications] == ["甲001", "乙002"]
    html = client.get(reverse("providers:agency_detail", args=[profile_agency.pk])).content
    assert html.decode().count('class="badge bg-success"') == 1


def test_the_profile_switches_to_english(client, profile_agency):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("providers:agency_detail", args=[profile_agency.pk])).content
    assert '<html lang="en">' in html.decode()
    assert "Environmental impact assessment (report)" in html.decode()


def test_profile_shows_blacklist_status_and_no_ratings_yet(client, agency):
    agency.blacklisted_until = timezone.now() + dt.timedelta(days=10)
    agency.save()
    profile = selectors.agency_profile(agency.pk)
    assert profile.blacklisted is True
    assert profile.ratings.count == 0 and profile.ratings.average is None
    assert profile.recent_awards == []
    html = client.get(reverse("providers:agency_detail", args=[agency.pk])).content.decode()
    assert "bg-danger" in html


def test_higher_apps_can_provide_ratings_and_awards(agency):
    with hooks.replaced(selectors.RATING_SUMMARY, lambda org: selectors.RatingSummary(3, None)), \
            hooks.replaced(selectors.RECENT_AWARDS, lambda org, limit: [{"title": "某项目"}]):
        profile = selectors.agency_profile(agency.pk)
    assert profile.ratings.count == 3
    assert profile.recent_awards == [{"title": "某项目"}]


def test_profiles_are_404_for_the_wrong_kind(client, agency, owner):
    assert client.get(reverse("providers:agency_detail", args=[owner.pk])).status_code == 404
    assert client.get(reverse("providers:owner_detail", args=[agency.pk])).status_code == 404


def test_the_owner_profile_renders_in_chinese(client, owner):
    response = client.get(reverse("providers:owner_detail", args=[owner.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert owner.name in html and owner.uscc in html and "渝中区" in html
    with translation.override("zh-hans"):
        assert str(owner.get_owner_kind_display()) in html


def test_the_directory_page_renders_in_chinese(client, profile_agency):
    html = client.get(reverse("providers:agency_list")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert profile_agency.name in html
    assert "环境影响评价（报告书）" in html


def test_workspace_pages_need_a_login(client):
    response = client.get(reverse("providers:services"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_workspace_is_for_agencies(client, owner_admin):
    client.force_login(owner_admin)
    refusal = client.get(reverse("providers:services"))
    assert refusal.status_code == 403
    assert "本页面仅供中介机构使用。" in refusal.content.decode()
    refusal = client.get(reverse("providers:qualifications"))
    assert refusal.status_code == 403
    assert "本页面仅供中介机构使用。" in refusal.content.decode()


def test_the_admin_adds_edits_and_removes_a_service_through_the_pages(client, agency,
                                                                      agency_admin):
    client.force_login(agency_admin)
    response = client.post(reverse("providers:service_add"), {
        "service_item": "SOIL", "promised_days": "15", "fee_standard": "按项目规模分档计费",
        "fee_max": "", "service_standard": "方案一次通过水利部门审查",
    })
    assert response.status_code == 302
    service = AgencyService.objects.get(agency=agency)
    assert service.fee_max is None

    edit = reverse("providers:service_edit", args=["SOIL"])
    form = client.get(edit)
    assert form.context["form"].initial["promised_days"] == 15
    client.post(edit, {"promised_days": "12", "fee_standard": "分档计费",
                       "fee_max": "20000", "service_standard": "一次通过"})
    service.refresh_from_db()
    assert service.promised_days == 12

    listing = client.get(reverse("providers:services")).content.decode()
    assert "水土保持方案编制" in listing

    client.post(reverse("providers:service_remove", args=["SOIL"]))
    assert not AgencyService.objects.exists()


def test_the_add_page_shows_field_errors(client, agency_admin):
    client.force_login(agency_admin)
    response = client.post(reverse("providers:service_add"), {
        "service_item": "SOIL", "promised_days": "0", "fee_standard": "",
        "service_standard": "x",
    })
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"promised_days", "fee_standard"}


def test_staff_see_services_but_cannot_change_them(client, agency, agency_staff):
    AgencyServiceFactory(agency=agency)
    client.force_login(agency_staff)
    listing = client.get(reverse("providers:services"))
    assert listing.status_code == 200
    assert reverse("providers:service_add") not in listing.content.decode()
    refusal = client.get(reverse("providers:service_add"))
    assert refusal.status_code == 403
    assert "只有本机构管理员才能修改服务和资质。" in refusal.content.decode()
    refusal = client.post(reverse("providers:service_remove", args=["EIA-R"]))
    assert refusal.status_code == 403
    assert "只有本机构管理员才能修改服务和资质。" in refusal.content.decode()
    assert AgencyService.objects.exists()


def test_the_qualification_list_shows_every_declaration_with_its_scan_link(client, agency,
                                                                           agency_admin):
    rejected = QualificationFactory(agency=agency, status=Qualification.Status.REJECTED,
                                    review_reason="扫描件模糊")
    client.force_login(agency_admin)
    html = client.get(reverse("providers:qualifications")).content.decode()
    assert rejected.number in html and "扫描件模糊" in html
    assert reverse("providers:qualification_scan", args=[rejected.pk]) in html
