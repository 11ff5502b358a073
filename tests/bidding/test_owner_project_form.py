"""Posting and editing a project in the browser: every term reaches the service, its refusals
show on the right field, drafts only, and government owners choose direct selection only for a
monopoly item."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from bidding.forms.owner import ProjectForm
from bidding.models import Exclusion, Project
from marketplace.audit.models import AuditEntry
from marketplace.formatting.moments import local_minute
from providers.models import QualificationType
from tests.factories.accounts import AgencyFactory, GovernmentOwnerFactory, OwnerFactory
from tests.factories.bidding import T0, ProjectFactory, publish
from tests.factories.owner_pages import browser_as, local_input, project_form_data

pytestmark = pytest.mark.django_db
DEADLINE = T0 + dt.timedelta(days=5)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(T0, tick=False):
        yield


def test_every_term_of_the_form_reaches_the_project():
    owner = OwnerFactory()
    excluded = AgencyFactory()
    qualification = QualificationType.objects.order_by("code").first()
    data = project_form_data(
        deadline=DEADLINE, method="comprehensive", min_bidders="4", min_grade="B",
        weight_price="40", weight_credit="40", weight_commitment="20",
        quote_format="discount_rate", discount_rate_min="5", discount_rate_max="25.5",
        complaint_contact="023-66668888", required_qualifications=[qualification.code],
        exclusions=[(excluded.uscc, "编制了本项目的可行性研究报告")])
    data["required_qualifications"] = [qualification.pk]
    response = browser_as(owner).post("/workspace/projects/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(owner=owner)
    assert project.status == Project.Status.DRAFT
    assert project.bid_deadline == DEADLINE  # read as Beijing time
    assert (project.min_bidders, project.min_grade) == (4, "B")
    assert project.weights == {"price": 40, "credit": 40, "commitment": 20}
    assert project.quote_format == "discount_rate"
    assert (project.discount_rate_min, project.discount_rate_max) == (Decimal("5"),
                                                                      Decimal("25.5"))
    assert project.complaint_contact == "023-66668888"
    assert list(project.required_qualifications.all()) == [qualification]
    assert [(e.agency_id, e.reason) for e in project.exclusions.all()] == [
        (excluded.pk, "编制了本项目的可行性研究报告")]
    assert AuditEntry.objects.filter(action="project.created", object_id=str(project.pk)).exists()


def test_the_complaint_contact_defaults_to_the_owners_phone():
    owner = OwnerFactory(phone="023-61110000")
    page = browser_as(owner).get("/workspace/projects/new/").content.decode()
    assert 'value="023-61110000"' in page


def test_the_services_refusal_shows_on_the_field_it_concerns():
    owner = OwnerFactory()
    data = project_form_data(deadline=DEADLINE, method="comprehensive", weight_price="50",
                             weight_credit="30", weight_commitment="30")
    response = browser_as(owner).post("/workspace/projects/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "add up to 100" in " ".join(form.errors["weight_price"])
    assert not Project.objects.filter(owner=owner).exists()


def test_discount_rates_are_required_for_the_discount_rate_format():
    owner = OwnerFactory()
    data = project_form_data(deadline=DEADLINE, quote_format="discount_rate")
    response = browser_as(owner).post("/workspace/projects/new/", data)
    assert response.status_code == 200
    assert "discount_rate_min" in response.context["form"].errors
    assert not Project.objects.filter(owner=owner).exists()


def test_an_unknown_agency_cannot_be_excluded():
    owner = OwnerFactory()
    other_owner = OwnerFactory()
    for code in ("915000000000000000", other_owner.uscc):
        data = project_form_data(deadline=DEADLINE, exclusions=[(code, "利害关系")])
        response = browser_as(owner).post("/workspace/projects/new/", data)
        assert response.status_code == 200
        assert response.context["formset"].forms[0].errors["agency"]
    assert not Project.objects.filter(owner=owner).exists()


def test_government_owners_are_told_direct_selection_is_for_monopoly_items_only():
    owner = GovernmentOwnerFactory()
    browser = browser_as(owner)
    with translation.override("en"):
        page = browser.get("/workspace/projects/new/", HTTP_ACCEPT_LANGUAGE="en"
                           ).content.decode()
    assert 'value="direct"' in page
    assert 'value="random"' in page
    assert "Direct selection is allowed only for a monopoly service item" in page
    response = browser.post("/workspace/projects/new/",
                            project_form_data(deadline=DEADLINE, method="direct"),
                            HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "direct selection is allowed only for a monopoly service item" in " ".join(
        response.context["form"].errors["selection_method"])
    assert not Project.objects.filter(owner=owner).exists()


def test_enterprise_owners_are_offered_direct_selection():
    page = browser_as(OwnerFactory()).get("/workspace/projects/new/").content.decode()
    assert 'value="direct"' in page


def test_a_draft_is_edited_with_its_exclusions_replaced():
    project = ProjectFactory()
    first, second = AgencyFactory(), AgencyFactory()
    Exclusion.objects.create(project=project, agency=first, reason="旧的理由")
    browser = browser_as(project.owner)
    form = browser.get(f"/workspace/projects/{project.pk}/edit/").context["form"]
    assert form.initial["title"] == project.title
    data = project_form_data(deadline=DEADLINE, title="修改后的标题",
                             exclusions=[(second.uscc, "新的理由")])
    response = browser.post(f"/workspace/projects/{project.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.title == "修改后的标题"
    assert [(e.agency_id, e.reason) for e in project.exclusions.all()] == [
        (second.pk, "新的理由")]


def test_editing_is_refused_after_publication():
    project = ProjectFactory(bid_deadline=DEADLINE)
    publish(project, now=T0)
    browser = browser_as(project.owner)
    response = browser.get(f"/workspace/projects/{project.pk}/edit/")
    assert response.status_code == 409
    assert "Only a draft can be edited" in response.content.decode()
    response = browser.post(f"/workspace/projects/{project.pk}/edit/",
                            project_form_data(deadline=DEADLINE, title="偷偷修改"))
    assert response.status_code == 409
    assert "the project is open for bids: publish a correction notice" in (
        response.content.decode())
    project.refresh_from_db()
    assert project.title != "偷偷修改"


def test_another_owners_draft_cannot_be_edited_or_published():
    project = ProjectFactory(bid_deadline=DEADLINE)
    stranger = browser_as(OwnerFactory())
    assert stranger.get(f"/workspace/projects/{project.pk}/edit/").status_code == 404
    assert stranger.post(f"/workspace/projects/{project.pk}/edit/",
                         project_form_data(deadline=DEADLINE)).status_code == 404
    assert stranger.post(f"/workspace/projects/{project.pk}/publish/").status_code == 404
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT


def test_agencies_get_no_project_pages():
    agency = AgencyFactory()
    refusal = browser_as(agency).get("/workspace/projects/")
    assert refusal.status_code == 403
    assert "This page is for project owners." in refusal.content.decode()
    refusal = browser_as(agency).get("/workspace/projects/new/")
    assert refusal.status_code == 403
    assert "This page is for project owners." in refusal.content.decode()
    assert browser_as().get("/workspace/projects/").status_code == 302  # to the login


def test_publishing_with_a_deadline_too_close_shows_the_reason():
    project = ProjectFactory(bid_deadline=T0 + dt.timedelta(hours=10))
    browser = browser_as(project.owner)
    page = browser.get(f"/workspace/projects/{project.pk}/publish/").content.decode()
    assert "leaves less than" in page
    response = browser.post(f"/workspace/projects/{project.pk}/publish/")
    assert response.status_code == 400
    assert "leaves less than" in response.content.decode()
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT


def test_cancel_with_a_public_reason():
    project = publish(ProjectFactory(bid_deadline=DEADLINE), now=T0)
    browser = browser_as(project.owner)
    response = browser.post(f"/workspace/projects/{project.pk}/cancel/", {"reason": " "})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    response = browser.post(f"/workspace/projects/{project.pk}/cancel/",
                            {"reason": "项目计划调整"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.cancel_reason) == (Project.Status.CANCELLED, "项目计划调整")
    public = browser_as().get(f"/projects/{project.pk}/").content.decode()
    assert "项目计划调整" in public


def test_a_correction_notice_sends_only_the_changed_terms():
    project = publish(ProjectFactory(bid_deadline=DEADLINE), now=T0)
    browser = browser_as(project.owner)
    form = browser.get(f"/workspace/projects/{project.pk}/amend/").context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data.update({"reason": "预算调整", "budget_cap": "120000.00",
                 "bid_deadline": local_input(project.bid_deadline),
                 "required_qualifications": [], "min_grade": ""})
    data = {k: v for k, v in data.items() if v is not None}
    response = browser.post(f"/workspace/projects/{project.pk}/amend/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    amendment = project.amendments.get()
    assert amendment.reason == "预算调整"
    assert set(amendment.changes) == {"budget_cap"}


def test_a_correction_notice_is_refused_after_the_deadline():
    project = publish(ProjectFactory(bid_deadline=DEADLINE), now=T0)
    browser = browser_as(project.owner)
    with time_machine.travel(DEADLINE - dt.timedelta(minutes=1), tick=False):
        form = browser.get(f"/workspace/projects/{project.pk}/amend/").context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data.update({"reason": "太晚了", "bid_deadline": local_input(DEADLINE),
                 "required_qualifications": [], "min_grade": ""})
    data = {k: v for k, v in data.items() if v is not None}
    with time_machine.travel(DEADLINE, tick=False):
        page = browser.get(f"/workspace/projects/{project.pk}/amend/")
        response = browser.post(f"/workspace/projects/{project.pk}/amend/", data)
    # The form is not offered once the deadline has passed, and a form sent late is refused.
    assert page.status_code == response.status_code == 409
    passed = f"The bid deadline {local_minute(DEADLINE)} has passed."
    assert passed in page.content.decode() and passed in response.content.decode()
    assert not project.amendments.exists()


# --- How the long form reads: sections, and one checkbox per qualification ----------------

def test_every_field_of_the_project_form_is_in_exactly_one_section():
    form = ProjectForm(owner=OwnerFactory())
    placed = [field.name for _key, _legend, fields in form.sections() for field, _wide in fields]
    assert sorted(placed) == sorted(form.fields)
    assert len(placed) == len(set(placed))
    assert [key for key, _legend, _fields in form.sections()] == [
        "basics", "price", "funding", "requirements", "documents"]


def test_required_qualifications_render_one_bootstrap_checkbox_per_type_in_columns():
    """The checkbox group's wrapper once carried `form-check-input` (a 1-em box), which stacked
    every label one character per line; each option is now its own `.form-check`."""
    page = browser_as(OwnerFactory()).get("/workspace/projects/new/").content.decode()
    group = re.search(r'<div class="([^"]*)" id="id_required_qualifications">', page)
    assert group is not None and "form-check-input" not in group[1]
    assert "choice-columns" in group[1]
    for qualification in QualificationType.objects.all():
        checkbox = re.search(
            r'<div class="form-check">\s*<input type="checkbox" name="required_qualifications" '
            rf'value="{qualification.pk}" class="form-check-input" id="([^"]+)"[^>]*>\s*'
            r'<label class="form-check-label" for="([^"]+)">([^<]+)</label>', page)
        assert checkbox is not None, qualification.code
        assert checkbox[1] == checkbox[2] and checkbox[3] == qualification.display_name
    for section in ("basics", "price", "requirements", "documents", "exclusions"):
        assert f'id="section-{section}"' in page
