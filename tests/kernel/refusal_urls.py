"""Views for tests/kernel/test_page_refusals.py: each raises or shows a domain error."""

from django import forms
from django.http import HttpResponse
from django.urls import path

from marketplace import urls as site_urls
from marketplace.errors import DomainError, NotAllowed, StateConflict
from marketplace.web import refusal_as_message, refusal_on


class NameForm(forms.Form):
    name = forms.CharField()


def conflict(request):
    raise StateConflict("The bid deadline has passed.", code="bid.deadline_passed")


def on_the_form(request):
    form = NameForm({"name": "x"})
    form.is_valid()
    with refusal_on(form) as attempt:
        raise DomainError("This name is taken.", field="name")
    return HttpResponse(f"{attempt.succeeded} {form.errors['name'][0]}", status=attempt.status)


def not_on_the_form(request):
    form = NameForm({"name": "x"})
    form.is_valid()
    with refusal_on(form):
        raise NotAllowed("Only administrators can do this.")
    return HttpResponse("not reached")


def every_refusal_on_the_form(request):
    form = NameForm({"name": "x"})
    form.is_valid()
    with refusal_on(form, statuses=None) as attempt:
        raise StateConflict("Bidding has closed.")
    return HttpResponse(f"{attempt.succeeded} {form.non_field_errors()[0]}",
                        status=attempt.status)


def message_passing_a_403(request):
    with refusal_as_message(request, statuses=(409,)):
        raise NotAllowed("Only regulators can do this.")
    return HttpResponse("not reached")


def as_message(request):
    with refusal_as_message(request) as attempt:
        raise StateConflict("Already signed.")
    return HttpResponse(str(attempt.succeeded), status=attempt.status)


# The site's own routes too: the error page's layout links to them.
urlpatterns = [path("conflict/", conflict), path("on-form/", on_the_form),
               path("not-on-form/", not_on_the_form), path("message/", as_message),
               path("every-on-form/", every_refusal_on_the_form),
               path("message-not-403/", message_passing_a_403),
               *site_urls.urlpatterns]
