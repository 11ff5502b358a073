"""The owner's pages: its projects, and posting and editing a draft with documents and
exclusions. The workspace and its actions are in `owner_workspace` and `owner_actions`.

Views parse, call a service, render.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bidding import selectors_owner, services
from bidding.forms.owner import (
    ExclusionFormSet,
    ProjectForm,
    ProjectStatusFilter,
    exclusion_initial,
)
from bidding.models import Project
from bidding.rules import check_can_edit
from bidding.views.owner_workspace import (
    done,
    owner_of_request,
    owner_project,
    refused,
    show_error,
    shown_again,
)
from bidding.views.price_index import hint_for
from marketplace.errors import refusal_of
from marketplace.web import querystring_without_page, refusal_as_message, refusal_on

PAGE_SIZE = 20
Status = Project.Status


# --- The list -------------------------------------------------------------------------------

@login_required
def project_list(request):
    owner = owner_of_request(request)
    status_filter = ProjectStatusFilter(request.GET or None)
    status = status_filter.cleaned_data["status"] if status_filter.is_valid() else ""
    page = Paginator(selectors_owner.owner_projects(owner, status=status), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "bidding/owner/project_list.html", {
        "filter_form": status_filter, "page": page,
        "querystring": querystring_without_page(request),
    })


# --- Posting and editing a draft ------------------------------------------------------------

def _save_project(request, form, formset, *, project: Project | None):
    """Create or update the project, then attach the chosen documents, all or nothing: a
    refused document leaves no half-posted project behind."""
    owner = form.owner
    with transaction.atomic():
        if project is None:
            project = services.project_create(owner=owner, by=request.user,
                                              exclusions=formset.exclusions(), **form.terms())
        else:
            project = services.project_update(project=project, by=request.user,
                                              exclusions=formset.exclusions(), **form.terms())
        documents = form.cleaned_data.get("documents") or []
        if documents:
            services.project_attach(project=project, files=documents, by=request.user)
    return project


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    owner = owner_of_request(request)
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, request.FILES or None, owner=owner)
    formset = ExclusionFormSet(data, prefix="exclusions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with refusal_on(form, on_form=show_error) as attempt:
            project = _save_project(request, form, formset, project=None)
        if attempt.succeeded:
            return done(request, project, _("Draft saved. Check it, then publish it."))
    return render(request, "bidding/owner/project_form.html", {
        "form": form, "formset": formset, "title": _("New project"),
        "price_hint": hint_for(form.data) if form.is_bound else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = owner_project(request, pk)
    refusal = refusal_of(check_can_edit, project=project)
    if refusal is not None:
        return refused(request, project, refusal)
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, request.FILES or None, owner=project.owner,
                       initial=ProjectForm.initial_for(project))
    formset = ExclusionFormSet(data, prefix="exclusions", initial=exclusion_initial(project))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        # The input's refusal goes on the form; any other is told on the workspace.
        with refusal_as_message(request) as outcome, \
                refusal_on(form, on_form=show_error) as attempt:
            _save_project(request, form, formset, project=project)
        if not outcome.succeeded:
            return shown_again(request, project, status=outcome.status)
        if attempt.succeeded:
            return done(request, project, _("Draft saved."))
    return render(request, "bidding/owner/project_form.html", {
        "form": form, "formset": formset, "project": project,
        "documents": project.attachments.all(),
        "title": _("Edit “%(title)s”") % {"title": project.title},
        "price_hint": hint_for(form.data if form.is_bound else form.initial),
    })
