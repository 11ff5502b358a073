"""The owner's pages: its projects, posting and editing a draft with documents and exclusions,
and the project workspace where every step from publication to the final award is taken.

Views parse, call a service, render. A refusal is shown on the form field concerned (400) or,
for a state conflict or a refusal of the actor, on the workspace with the reason (409 / 403).
Bids are read only through `bidding.selectors` (sealed until opening).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bidding import selectors, selectors_owner, services
from bidding.forms.owner import (
    AmendForm,
    AnswerForm,
    CancelForm,
    DirectAwardForm,
    DocumentsForm,
    ExclusionFormSet,
    JustificationDecisionForm,
    ObjectionDecisionForm,
    ProjectForm,
    ProjectStatusFilter,
    RepublishForm,
    exclusion_initial,
)
from bidding.models import Bid, Objection, Project, ProjectAttachment, Question
from marketplace.accounts.models import Organization
from marketplace.accounts.selectors import organization_of
from marketplace.errors import DomainError, NotAllowed, NotFound, StateConflict
from marketplace.files import file_response
from marketplace.web import querystring_without_page, render_domain_error

PAGE_SIZE = 20
Status = Project.Status


# --- Helpers --------------------------------------------------------------------------------

def _owner(request) -> Organization:
    organization = organization_of(request.user)
    if organization is None or not organization.is_owner:
        raise NotAllowed(_("This page is for project owners."))
    return organization


def _project(request, pk: int) -> Project:
    """The owner's project, or 404 for anyone else (nobody learns which projects exist)."""
    try:
        return selectors_owner.owner_project(pk, organization_of(request.user))
    except NotFound:
        raise Http404


def _workspace_url(project: Project) -> str:
    return reverse("bidding:owner_project", args=[project.pk])


def _show_error(form, error: DomainError) -> None:
    """A service's refusal on the field it concerns, under the form's own field name."""
    aliases = getattr(form, "ERROR_FIELDS", {})
    name = aliases.get(error.field, error.field)
    form.add_error(name if name in form.fields else None, str(error.message))


def _done(request, project: Project, message: str):
    messages.success(request, message)
    return redirect(_workspace_url(project))


# --- The list -------------------------------------------------------------------------------

@login_required
def project_list(request):
    try:
        owner = _owner(request)
    except DomainError as exc:
        return render_domain_error(request, exc)
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
    try:
        owner = _owner(request)
    except DomainError as exc:
        return render_domain_error(request, exc)
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, request.FILES or None, owner=owner)
    formset = ExclusionFormSet(data, prefix="exclusions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            project = _save_project(request, form, formset, project=None)
        except DomainError as exc:
            if exc.status_code == 403:
                return render_domain_error(request, exc)
            _show_error(form, exc)
        else:
            return _done(request, project, _("Draft saved. Check it, then publish it."))
    return render(request, "bidding/owner/project_form.html", {
        "form": form, "formset": formset, "title": _("New project"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = _project(request, pk)
    if project.status != Status.DRAFT:
        return _refused(request, project, StateConflict(
            _("Only a draft can be edited; publish a correction notice instead.")))
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, request.FILES or None, owner=project.owner,
                       initial=ProjectForm.initial_for(project))
    formset = ExclusionFormSet(data, prefix="exclusions", initial=exclusion_initial(project))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            _save_project(request, form, formset, project=project)
        except DomainError as exc:
            if exc.status_code != 400:
                return _refused(request, project, exc)
            _show_error(form, exc)
        else:
            return _done(request, project, _("Draft saved."))
    return render(request, "bidding/owner/project_form.html", {
        "form": form, "formset": formset, "project": project,
        "documents": project.attachments.all(),
        "title": _("Edit “%(title)s”") % {"title": project.title},
    })


# --- The workspace --------------------------------------------------------------------------

def _workspace_context(request, project: Project, *, bound: dict | None = None) -> dict:
    """Everything the workspace shows; `bound` holds forms re-shown with their errors, keyed
    by their prefix."""
    bound = bound or {}
    now = timezone.now()
    organization = project.owner
    facts = selectors_owner.owner_facts(project)
    actions = selectors_owner.owner_actions(project, now, facts)
    sealed = selectors.is_sealed(project)
    bids = []
    if not sealed:
        bids = [bid for bid in selectors.bids_for_viewer(project, organization)
                if bid.status in selectors.OPENED_STATUSES
                and selectors.bid_access(bid, organization, project) != selectors.NONE]
        for bid in bids:
            if bid.awaits_justification_decision:
                prefix = f"bid-{bid.pk}"
                bid.decision_form = bound.get(prefix) or JustificationDecisionForm(prefix=prefix)
    questions = list(selectors.questions_for_viewer(project))
    if project.status == Status.BIDDING:
        for question in questions:
            if question.answered_at is None:
                prefix = f"question-{question.pk}"
                question.answer_form = bound.get(prefix) or AnswerForm(prefix=prefix)
    objections = list(Objection.objects.filter(project=project)
                      .select_related("bid__agency", "award__bid__agency")
                      .order_by("filed_at", "id"))
    for objection in objections:
        if objection.status == Objection.Status.PENDING:
            prefix = f"objection-{objection.pk}"
            objection.decision_form = bound.get(prefix) or ObjectionDecisionForm(prefix=prefix)
    by_code = selectors_owner.actions_by_code(actions)
    direct_form = None
    if by_code[selectors_owner.AWARD].possible and (
            project.selection_method == Project.Method.DIRECT):
        direct_form = bound.get("award") or DirectAwardForm(
            prefix="award", bids=[b for b in bids if b.valid
                                  and not b.awaits_justification_decision])
    return {
        "project": project, "now": now, "actions": actions, "can": by_code,
        "facts": facts, "sealed": sealed, "bid_count": selectors.bid_count(project),
        "bids": bids, "rank_one": next((b for b in bids if b.rank == 1), None),
        "questions": questions, "objections": objections,
        "timeline": selectors_owner.timeline(project),
        "documents": project.attachments.all(),
        "exclusions": selectors.exclusions_of(project),
        "qualifications": project.required_qualifications.all(),
        "award": facts.award, "draw": selectors.latest_draw(project),
        "next_round": project.next_rounds.first(),
        "is_discount": project.quote_format == Project.QuoteFormat.DISCOUNT_RATE,
        "is_comprehensive": project.selection_method == Project.Method.COMPREHENSIVE,
        "is_random": project.selection_method == Project.Method.RANDOM,
        "is_direct": project.selection_method == Project.Method.DIRECT,
        "direct_form": direct_form,
        "documents_form": bound.get("documents") or DocumentsForm(prefix="documents"),
        "republish_form": bound.get("republish") or RepublishForm(prefix="republish"),
    }


def _render_workspace(request, project: Project, *, status: int = 200,
                      bound: dict | None = None):
    return render(request, "bidding/owner/workspace.html",
                  _workspace_context(request, project, bound=bound), status=status)


def _refused(request, project: Project, error: DomainError, *, status: int | None = None):
    """The workspace again, with the service's reason (409 state conflict, 403 not allowed)."""
    messages.error(request, str(error.message))
    project = _project(request, project.pk)  # the state may have moved under us
    return _render_workspace(request, project, status=status or error.status_code)


@login_required
def project_workspace(request, pk: int):
    return _render_workspace(request, _project(request, pk))


def _form_action(request, project: Project, form, prefix: str, call, success: str):
    """Validate `form`, call the service; errors re-show the workspace with the form bound."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as exc:
            if exc.status_code != 400:
                return _refused(request, project, exc)
            _show_error(form, exc)
        else:
            return _done(request, project, success)
    return _render_workspace(request, project, status=400, bound={prefix: form})


def _plain_action(request, project: Project, call, success: str):
    try:
        call()
    except DomainError as exc:
        return _refused(request, project, exc)
    return _done(request, project, success)


# --- Actions --------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def project_publish(request, pk: int):
    project = _project(request, pk)
    if request.method == "POST":
        return _plain_action(
            request, project,
            lambda: services.project_publish(project=project, by=request.user),
            _("Published: the announcement is public and agencies can bid."))
    action = selectors_owner.actions_by_code(
        selectors_owner.owner_actions(project, timezone.now()))[selectors_owner.PUBLISH]
    return render(request, "bidding/owner/project_publish.html", {
        "project": project, "action": action, "documents": project.attachments.all(),
        "exclusions": selectors.exclusions_of(project),
        "qualifications": project.required_qualifications.all(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def project_cancel(request, pk: int):
    project = _project(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_cancel(project=project, by=request.user,
                                    reason=form.cleaned_data["reason"])
        except DomainError as exc:
            if exc.status_code != 400:
                return _refused(request, project, exc)
            _show_error(form, exc)
        else:
            return _done(request, project, _("The project is cancelled; the reason is public."))
    return render(request, "bidding/owner/project_cancel.html",
                  {"project": project, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def project_amend(request, pk: int):
    project = _project(request, pk)
    if project.status != Status.BIDDING:
        return _refused(request, project, StateConflict(
            _("Correction notices are published while bidding.")))
    form = AmendForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_amend(project=project, by=request.user,
                                   reason=form.cleaned_data["reason"], changes=form.changes())
        except DomainError as exc:
            if exc.status_code != 400:
                return _refused(request, project, exc)
            _show_error(form, exc)
        else:
            return _done(request, project, _("Correction notice published. Bidders must "
                                             "re-confirm or revise their bids."))
    return render(request, "bidding/owner/project_amend.html",
                  {"project": project, "form": form})


@login_required
@require_POST
def project_open(request, pk: int):
    project = _project(request, pk)
    return _plain_action(request, project,
                         lambda: services.project_open(project=project, by=request.user),
                         _("The bids are open."))


@login_required
@require_POST
def project_award(request, pk: int):
    project = _project(request, pk)
    if project.selection_method == Project.Method.DIRECT:
        bids = [] if selectors.is_sealed(project) else [
            b for b in selectors.bids_for_viewer(project, project.owner) if b.valid]
        form = DirectAwardForm(request.POST, prefix="award", bids=bids)
        return _form_action(
            request, project, form, "award",
            lambda data: services.project_award(project=project, by=request.user,
                                                bid=data["bid"]),
            _("Award proposed; the publicity period has started."))
    success = _("Award proposed; the publicity period has started.")
    if project.selection_method == Project.Method.RANDOM:
        success = _("The draw is done and published; the publicity period has started.")
    return _plain_action(request, project,
                         lambda: services.project_award(project=project, by=request.user), success)


@login_required
@require_POST
def project_finalize(request, pk: int):
    project = _project(request, pk)
    return _plain_action(request, project,
                         lambda: services.project_finalize(project=project, by=request.user),
                         _("The award is now final; the contract is drawn up for signing."))


@login_required
@require_POST
def project_republish(request, pk: int):
    project = _project(request, pk)
    form = RepublishForm(request.POST, prefix="republish")
    if not form.is_valid():
        return _render_workspace(request, project, status=400, bound={"republish": form})
    try:
        new = services.project_republish(project=project, by=request.user,
                                         bid_deadline=form.cleaned_data["bid_deadline"])
    except DomainError as exc:
        if exc.status_code != 400:
            return _refused(request, project, exc)
        _show_error(form, exc)
        return _render_workspace(request, project, status=400, bound={"republish": form})
    messages.success(request, _("A new round is drafted; check it and publish it."))
    return redirect(_workspace_url(new))


@login_required
@require_POST
def bid_decide(request, pk: int, bid_pk: int):
    project = _project(request, pk)
    bid = get_object_or_404(Bid, pk=bid_pk, project=project)
    prefix = f"bid-{bid.pk}"
    return _form_action(
        request, project, JustificationDecisionForm(request.POST, prefix=prefix), prefix,
        lambda data: services.bid_decide_justification(
            bid=bid, by=request.user, accepted=data["decision"] == "accept",
            reply=data["reply"]),
        _("Decision recorded."))


@login_required
@require_POST
def question_answer(request, pk: int, question_pk: int):
    project = _project(request, pk)
    question = get_object_or_404(Question, pk=question_pk, project=project)
    prefix = f"question-{question.pk}"
    return _form_action(
        request, project, AnswerForm(request.POST, prefix=prefix), prefix,
        lambda data: services.question_answer(question=question, by=request.user,
                                              text=data["text"]),
        _("Answer published."))


@login_required
@require_POST
def objection_decide(request, pk: int, objection_pk: int):
    project = _project(request, pk)
    objection = get_object_or_404(Objection, pk=objection_pk, project=project)
    prefix = f"objection-{objection.pk}"
    return _form_action(
        request, project, ObjectionDecisionForm(request.POST, prefix=prefix), prefix,
        lambda data: services.objection_decide(
            objection=objection, by=request.user, upheld=data["decision"] == "upheld",
            reply=data["reply"], exclude_bid=data["exclude_bid"]),
        _("Objection decided."))


# --- Documents ------------------------------------------------------------------------------

@login_required
@require_POST
def documents_add(request, pk: int):
    project = _project(request, pk)
    form = DocumentsForm(request.POST, request.FILES, prefix="documents")
    return _form_action(
        request, project, form, "documents",
        lambda data: services.project_attach(project=project, files=data["documents"],
                                             by=request.user),
        _("Documents attached."))


@login_required
@require_POST
def document_remove(request, pk: int, document_pk: int):
    project = _project(request, pk)
    attachment = get_object_or_404(ProjectAttachment, pk=document_pk, project=project)
    return _plain_action(request, project,
                         lambda: services.project_detach(attachment=attachment,
                                                         by=request.user),
                         _("Document removed."))


def project_document(request, pk: int, document_pk: int):
    """A project document: public once the project is published; a draft's documents only
    for its owner (404 for anyone else, like the draft itself)."""
    user = request.user if request.user.is_authenticated else None
    try:
        project = selectors.project_for_viewer(pk, selectors.viewer_organization(user))
    except NotFound:
        raise Http404
    attachment = get_object_or_404(ProjectAttachment, pk=document_pk, project=project)
    return file_response(attachment)
