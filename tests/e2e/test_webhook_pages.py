"""An organization's administrator manages webhooks in the workspace (issue 17 §5): registers
an endpoint with its events, sees the signing secret once, rotates it, disables and enables
the endpoint. In both languages."""

import pytest
from playwright.sync_api import expect

from marketplace.webhooks import secrets
from marketplace.webhooks.models import Endpoint
from tests.factories.accounts import PASSWORD, AgencyFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_administrator_registers_a_webhook_and_sees_its_secret_once(guide, settings, language):
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = True
    admin = member_of(AgencyFactory())
    tour = guide.open("admin", language)
    page = tour.page
    tour.login(admin.username, PASSWORD)
    page.locator("main").get_by_role("link", name=tour.t("Webhooks")).first.click()
    tour.check("webhooks, none yet")
    page.locator("#id_url").fill("http://127.0.0.1:9/hooks/marketplace")
    page.locator("#id_description").fill("招标服务台")
    page.get_by_label(tour.t("A project in our service scope is published")).check()
    page.get_by_label(tour.t("Our bid is opened (its result)")).check()
    tour.submit("endpoint registered, secret shown", button=tour.t("Register"))
    endpoint = Endpoint.objects.get()
    shown = page.locator("#webhook-secret").inner_text()
    assert shown == secrets.unseal(endpoint)
    assert endpoint.events == ["project.published", "bid.opened"]

    tour.goto(f"/workspace/webhooks/{endpoint.pk}/", "the endpoint again, secret hidden")
    expect(page.locator("#webhook-secret")).to_have_count(0)
    assert shown not in tour.text()

    tour.submit("secret rotated", button=tour.t("Rotate the secret"))
    endpoint.refresh_from_db()
    rotated = page.locator("#webhook-secret").inner_text()
    assert rotated != shown and rotated == secrets.unseal(endpoint)

    tour.submit("endpoint disabled", button=tour.t("Disable"))
    endpoint.refresh_from_db()
    assert not endpoint.active
    tour.submit("endpoint enabled", button=tour.t("Enable"))
    endpoint.refresh_from_db()
    assert endpoint.active
    tour.goto("/workspace/webhooks/", "the list with the endpoint")
    expect(page.locator("main")).to_contain_text("http://127.0.0.1:9/hooks/marketplace")
