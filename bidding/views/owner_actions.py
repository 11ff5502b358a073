"""The owner's actions on a project (publish, cancel, amend, open, award, finalize, republish,
decide a justification, answer a question, decide an objection) and its documents. Each parses,
calls one service and returns to the workspace (`owner_workspace`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
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
    JustificationDecisionForm,
    ObjectionDecisionForm,
    RepublishForm,
)
from bidding.models import Bid, Objection, Project, ProjectAttachment, Question
from bidding.rules import check_can_amend
from bidding.views.owner_workspace import (
    attempt,
    form_action,
    owner_project,
    plain_action,
    refused,
    render_workspace,
    workspace_url,
)
from marketplace.errors import NotFound, refusal_of
from marketplace.files import file_response

Status = Project.Status


# --- Actions --------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def project_publish(request, pk: int):
    project = owner_project(request, pk)
    if request.method == "POST":
        return plain_action(
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
    project = owner_project(request, pk)
    form = CancelForm(request.POST or None)
    return attempt(
        request, project, form,
        lambda data: services.project_cancel(project=project, by=request.user,
                                             reason=data["reason"]),
        success=_("The project is cancelled; the reason is public."),
        invalid=lambda: render(request, "bidding/owner/project_cancel.html",
                               {"project": project, "form": form}))


@login_required
@require_http_methods(["GET", "POST"])
def project_amend(request, pk: int):
    project = owner_project(request, pk)
    refusal = refusal_of(check_can_amend, project=project, now=timezone.now())
    if refusal is not None:
        return refused(request, project, refusal)
    form = AmendForm(request.POST or None, project=project)
    return attempt(
        request, project, form,
        lambda data: services.project_amend(project=project, by=request.user,
                                            reason=data["reason"], changes=form.changes()),
        success=_("Correction notice published. Bidders must re-confirm or revise their bids."),
        invalid=lambda: render(request, "bidding/owner/project_amend.html",
                               {"project": project, "form": form}))


@login_required
@require_POST
def project_open(request, pk: int):
    project = owner_project(request, pk)
    return plain_action(request, project,
                        lambda: services.project_open(project=project, by=request.user),
                        _("The bids are open."))


def _valid_bids(project: Project) -> list:
    """The valid bids the owner may choose from (after opening only: sealed before)."""
    if selectors.is_sealed(project):
        return []
    return [b for b in selectors.bids_for_viewer(project, project.owner)
            if b.valid and b.status in selectors.OPENED_STATUSES]


def _confirm_page(request, project: Project, code: str, template: str, *, status: int = 200,
                  **context):
    """The confirmation step of a workspace action: what will happen, and whether it can."""
    now = timezone.now()
    facts = selectors_owner.owner_facts(project)
    action = selectors_owner.actions_by_code(
        selectors_owner.owner_actions(project, now, facts))[code]
    return render(request, template, {
        "project": project, "action": action, "facts": facts, "award": facts.award,
        "stage": selectors_owner.award_stage(project, now, facts), **context}, status=status)


def _award_page(request, project: Project, *, form=None, status: int = 200):
    bids = _valid_bids(project)
    is_direct = project.selection_method == Project.Method.DIRECT
    if is_direct and form is None:
        form = DirectAwardForm(prefix="award", bids=[
            b for b in bids if not b.awaits_justification_decision])
    return _confirm_page(
        request, project, selectors_owner.AWARD, "bidding/owner/project_award.html",
        status=status, form=form, bids=bids, is_direct=is_direct,
        rank_one=next((b for b in bids if b.rank == 1), None),
        is_random=project.selection_method == Project.Method.RANDOM)


@login_required
@require_http_methods(["GET", "POST"])
def project_award(request, pk: int):
    """GET: the confirmation page (what is proposed and what follows); POST: propose."""
    project = owner_project(request, pk)
    if request.method == "GET":
        return _award_page(request, project)
    if project.selection_method == Project.Method.DIRECT:
        form = DirectAwardForm(request.POST, prefix="award", bids=_valid_bids(project))
        return attempt(
            request, project, form,
            lambda data: services.project_award(project=project, by=request.user,
                                                bid=data["bid"]),
            success=_("Award proposed; the publicity period has started."),
            invalid=lambda: _award_page(request, project, form=form, status=400))
    success = _("Award proposed; the publicity period has started.")
    if project.selection_method == Project.Method.RANDOM:
        success = _("The draw is done and published; the publicity period has started.")
    return plain_action(request, project,
                        lambda: services.project_award(project=project, by=request.user), success)


@login_required
@require_http_methods(["GET", "POST"])
def project_finalize(request, pk: int):
    """GET: the confirmation page; POST: make the award final (the contract is drawn up)."""
    project = owner_project(request, pk)
    if request.method == "GET":
        return _confirm_page(request, project, selectors_owner.FINALIZE,
                             "bidding/owner/project_finalize.html")
    return plain_action(request, project,
                        lambda: services.project_finalize(project=project, by=request.user),
                        _("The award is now final; the contract is drawn up for signing."))


@login_required
@require_POST
def project_republish(request, pk: int):
    project = owner_project(request, pk)
    form = RepublishForm(request.POST, prefix="republish")

    def to_the_new_round(new: Project):
        messages.success(request, _("A new round is drafted; check it and publish it."))
        return redirect(workspace_url(new))

    return attempt(
        request, project, form,
        lambda data: services.project_republish(project=project, by=request.user,
                                                bid_deadline=data["bid_deadline"]),
        then=to_the_new_round,
        invalid=lambda: render_workspace(request, project, status=400,
                                         bound={"republish": form}))


@login_required
@require_POST
def bid_decide(request, pk: int, bid_pk: int):
    project = owner_project(request, pk)
    bid = get_object_or_404(Bid, pk=bid_pk, project=project)
    prefix = f"bid-{bid.pk}"
    return form_action(
        request, project, JustificationDecisionForm(request.POST, prefix=prefix), prefix,
        lambda data: services.bid_decide_justification(
            bid=bid, by=request.user, accepted=data["decision"] == "accept",
            reply=data["reply"]),
        _("Decision recorded."))


@login_required
@require_POST
def question_answer(request, pk: int, question_pk: int):
    project = owner_project(request, pk)
    question = get_object_or_404(Question, pk=question_pk, project=project)
    prefix = f"question-{question.pk}"
    return form_action(
        request, project, AnswerForm(request.POST, prefix=prefix), prefix,
        lambda data: services.question_answer(question=question, by=request.user,
                                              text=data["text"]),
        _("Answer published."))


@login_required
@require_POST
def objection_decide(request, pk: int, objection_pk: int):
    project = owner_project(request, pk)
    objection = get_object_or_404(Objection, pk=objection_pk, project=project)
    prefix = f"objection-{objection.pk}"
    return form_action(
        request, project, ObjectionDecisionForm(request.POST, prefix=prefix), prefix,
        lambda data: services.objection_decide(
            objection=objection, by=request.user, upheld=data["decision"] == "upheld",
            reply=data["reply"], exclude_bid=data["exclude_bid"]),
        _("Objection decided."))


# --- Documents ------------------------------------------------------------------------------

@login_required
@require_POST
def documents_add(request, pk: int):
    project = owner_project(request, pk)
    form = DocumentsForm(request.POST, request.FILES, prefix="documents")
    return form_action(
        request, project, form, "documents",
        lambda data: services.project_attach(project=project, files=data["documents"],
                                             by=request.user),
        _("Documents attached."))


@login_required
@require_POST
def document_remove(request, pk: int, document_pk: int):
    project = owner_project(request, pk)
    attachment = get_object_or_404(ProjectAttachment, pk=document_pk, project=project)
    return plain_action(request, project,
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
