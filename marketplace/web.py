"""Helpers every app's pages share: one way to show a domain error, on a form or as a page.

Pages do not catch `DomainError` by hand. A refusal that is about what the user typed (400,
usually naming a field) goes on the form with `refusal_on(form)`; every other refusal (403,
404, 409) propagates to `DomainErrorMiddleware`, which answers the page that says why, with
the error's status. Views keep only what is particular to them. And one way to page a list.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render

from marketplace import search
from marketplace.errors import DomainError


def add_domain_error(form, error: DomainError) -> None:
    """Show a service's refusal on the form field it concerns (or on the whole form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def render_domain_error(request, error: DomainError, *, template="domain_error.html"):
    messages.error(request, str(error.message))
    return render(request, template, {"error": error}, status=error.status_code)


@dataclass
class Attempt:
    succeeded: bool = True
    error: DomainError | None = None

    @property
    def status(self) -> int:
        """The status to answer the page with: 200, or the refusal's."""
        return self.error.status_code if self.error is not None else 200


@contextmanager
def refusal_on(form, *, statuses=(400,), on_form=add_domain_error):
    """Run a service call; a refusal about the input (a status in `statuses`, or one naming a
    field of the form) goes on `form` and `attempt.succeeded` is False; any other refusal
    propagates to the middleware. `statuses=None` puts every refusal on the form, for a form
    that is itself the place to say why (the bid form's problem, a console action).

        with refusal_on(form) as attempt:
            services.agency_service_add(...)
        if attempt.succeeded:
            return redirect(...)
    """
    attempt = Attempt()
    try:
        yield attempt
    except DomainError as error:
        if (statuses is not None and error.status_code not in statuses
                and error.field not in form.fields):
            raise
        on_form(form, error)
        attempt.succeeded, attempt.error = False, error


@contextmanager
def refusal_as_message(request, *, statuses=None):
    """Run a form-less action (a button); a refusal becomes an error message on the page the
    view shows next (or the page it redirects to), with the refusal's status
    (`attempt.status`). With `statuses`, only a refusal with one of them does; any other
    propagates to the middleware (a 403 that must be its own page).

        with refusal_as_message(request, statuses=(400, 409)) as attempt:
            services.qualification_verify(...)
        if attempt.succeeded:
            messages.success(request, ...)
        return redirect(...)
    """
    attempt = Attempt()
    try:
        yield attempt
    except DomainError as error:
        if statuses is not None and error.status_code not in statuses:
            raise
        messages.error(request, str(error.message))
        attempt.succeeded, attempt.error = False, error


class DomainErrorMiddleware:
    """A refusal no view handled becomes the page that says why, with the error's status
    (403, 404, 409, 503). The API never gets here: DRF maps its errors itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return render_domain_error(request, exception)
        return None


def page_of(request, filterset, per_page: int):
    """The page of `filterset`'s results that the request asks for (`?page=`, out of range:
    the last).

    A text search's results (`search.ranked`, a thousand rows at most) are paged by id: the
    ids that pass the filters, in order, come in one narrow query, which gives the count too;
    then the page's rows are read by id from the filterset's unfiltered queryset (with its
    joins and annotations). Counting and sorting the thousand full rows joined to their owners
    cost more than the search itself (issue 14 §1)."""
    number = request.GET.get("page")
    results = filterset.qs
    if not search.is_ranked(results):
        return Paginator(results, per_page).get_page(number)
    page = Paginator(search.ids_in_order(results), per_page).get_page(number)
    # Not `results.filter(...)`: beside the thousand ids the planner misjudges the page's ids.
    page.object_list = search.in_order(filterset.queryset, page.object_list)
    return page


def querystring_without_page(request) -> str:
    """The current filters, for pagination links that keep them."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
