"""Pages never catch domain errors by hand: a refusal about the input goes on the form, any
other becomes the page that says why, with its status (marketplace.web)."""

import pytest
from django.contrib.messages import get_messages

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.kernel.refusal_urls")]


def test_a_refusal_no_view_handles_becomes_its_page_with_its_status(client):
    response = client.get("/conflict/")
    assert response.status_code == 409
    assert "The bid deadline has passed." in response.content.decode()
    assert response.templates[0].name == "domain_error.html"


def test_a_refusal_about_the_input_goes_on_the_form_field(client):
    response = client.get("/on-form/")
    assert (response.status_code, response.content.decode()) == (400, "False This name is taken.")


def test_a_refusal_not_about_the_input_is_not_swallowed_by_the_form(client):
    response = client.get("/not-on-form/")
    assert response.status_code == 403
    assert "Only administrators can do this." in response.content.decode()


def test_a_button_refusal_becomes_a_message_with_the_status(client):
    response = client.get("/message/")
    assert (response.status_code, response.content.decode()) == (409, "False")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Already signed."]


def test_a_form_that_tells_every_refusal_keeps_a_conflict_on_the_form(client):
    response = client.get("/every-on-form/")
    assert (response.status_code, response.content.decode()) == (409, "False Bidding has closed.")


def test_a_refusal_outside_the_message_statuses_becomes_its_own_page(client):
    response = client.get("/message-not-403/")
    assert response.status_code == 403
    assert response.templates[0].name == "domain_error.html"
    assert "Only regulators can do this." in response.content.decode()
