"""A user's saved project searches (issue 17 §5): saving the project list's filters from its
"save this search" link, and the "my saved searches" page (rename, frequency, delete, the last
projects delivered). Writes go through `bidding.services.saved_searches`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bidding import selectors_searches as selectors
from bidding.filters import ProjectPageFilter
from bidding.forms.saved_searches import SavedSearchChangeForm, SavedSearchForm
from bidding.models import Project, SavedSearch
from bidding.services import saved_searches as services
from marketplace.errors import DomainError
from marketplace.web import refusal_as_message, refusal_on


def _flat_choices(field) -> dict[str, str]:
    """A choice field's values and labels, option groups (service items by category) opened."""
    flat = {}
    choices = getattr(field, "choices", None)
    for value, label in (choices if choices is not None else ()):
        if isinstance(label, list | tuple):
            flat.update({str(v): str(lbl) for v, lbl in label})
        else:
            flat[str(value)] = str(label)
    return flat


def _filter_fields() -> list[tuple[str, str, dict[str, str]]]:
    """The list's filters as (name, label, choices): read once per page, not once per search
    (the region and service-item choices are queries)."""
    form = ProjectPageFilter(QueryDict(), queryset=Project.objects.none()).form
    return [(name, str(field.label), _flat_choices(field)) for name, field in form.fields.items()]


def _filters_described(query: str, fields=None) -> list[tuple[str, str]]:
    """The search's filters as a person reads them: (label, chosen value) pairs."""
    data = QueryDict(query)
    return [(label, choices.get(data[name], data[name]))
            for name, label, choices in (fields or _filter_fields()) if data.get(name)]


def _suggested_name(described) -> str:
    return " · ".join(value for _label, value in described)[:80] or _("All new projects")


def _on_form(form, error: DomainError) -> None:
    """A refusal on the form's visible field, or on the whole form (the query is hidden)."""
    field = error.field if error.field in form.fields and error.field != "query" else None
    form.add_error(field, str(error.message))


def _search_page(search: SavedSearch) -> str:
    return f"{reverse('bidding:saved_searches')}#search-{search.pk}"


@login_required
@require_GET
def saved_searches(request):
    searches = list(selectors.saved_searches_of(request.user))
    fields = _filter_fields()
    for search in searches:
        search.described = _filters_described(search.query, fields)
        search.change_form = SavedSearchChangeForm(
            prefix=f"search-{search.pk}",
            initial={"name": search.name, "frequency": search.frequency})
        search.last_matches = search.recent_matches
    return render(request, "bidding/saved_searches.html", {
        "searches": searches, "max": services.MAX_SAVED_SEARCHES})


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_new(request):
    if request.method == "POST":
        form = SavedSearchForm(request.POST)
        if form.is_valid():
            with refusal_on(form, statuses=None, on_form=_on_form) as attempt:
                search = services.saved_search_create(user=request.user, **form.cleaned_data)
            if attempt.succeeded:
                messages.success(request, _("Search saved. New matching projects will come "
                                            "to your inbox."))
                return redirect(_search_page(search))
        query = form.data.get("query", "")
    else:
        query = request.GET.get("query", "")
        try:
            query, _values = selectors.parsed_query(query)
        except DomainError as error:
            messages.error(request, str(error.message))
        form = SavedSearchForm(initial={
            "query": query, "frequency": SavedSearch.Frequency.DAILY,
            "name": _suggested_name(_filters_described(query))})
    return render(request, "bidding/saved_search_new.html", {
        "form": form, "described": _filters_described(query), "query": query})


@login_required
@require_POST
def saved_search_edit(request, pk: int):
    search = selectors.saved_search_of(request.user, pk)
    form = SavedSearchChangeForm(request.POST, prefix=f"search-{search.pk}")
    if form.is_valid():
        with refusal_as_message(request, statuses=(400,)) as attempt:
            services.saved_search_update(search=search, by=request.user, **form.cleaned_data)
        if attempt.succeeded:
            messages.success(request, _("Saved search updated."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                         for e in errors))
    return redirect(_search_page(search))


@login_required
@require_POST
def saved_search_delete(request, pk: int):
    search = selectors.saved_search_of(request.user, pk)
    services.saved_search_delete(search=search, by=request.user)
    messages.success(request, _("Saved search deleted."))
    return redirect("bidding:saved_searches")
