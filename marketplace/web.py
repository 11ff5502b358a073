"""Helpers every app's pages share: domain errors on forms and as pages."""

from django.contrib import messages
from django.shortcuts import render

from marketplace.errors import DomainError


def add_domain_error(form, error: DomainError) -> None:
    """Show a service's refusal on the form field it concerns (or on the whole form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def render_domain_error(request, error: DomainError, *, template="domain_error.html"):
    messages.error(request, str(error.message))
    return render(request, template, {"error": error}, status=error.status_code)


def querystring_without_page(request) -> str:
    """The current filters, for pagination links that keep them."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
