"""The owner's project workspace, where every step from publication to the final award is
taken, and what the owner's pages share: finding the owner's project (404 for anyone else) and
showing a service's refusal on the form field concerned (400) or on the workspace with the
reason (409 / 403). Bids are read only through `bidding.selectors` (sealed until opening).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bidding import rules, selectors, selectors_owner
from bidding.forms.owner import (
    AnswerForm,
    DocumentsForm,
    JustificationDecisionForm,
    ObjectionDecisionForm,
    RepublishForm,
)
from bidding.models import Objection, Project
from marketplace.accounts.models import Organization
from marketplace.accounts.selectors import organization_of
from marketplace.errors import DomainError, NotAllowed, NotFound, refusal_of
from marketplace.web import refusal_as_message, refusal_on

Status = Project.Status


# --- Helpers --------------------------------------------------------------------------------

def owner_of_request(request) -> Organization:
    organization = organization_of(request.user)
    if organization is None or not organization.is_owner:
        raise NotAllowed(_("This page is for project owners."))
    return organization


def owner_project(request, pk: int) -> Project:
    """The owner's project, or 404 for anyone else (nobody learns which projects exist)."""
    try:
        return selectors_owner.owner_project(pk, organization_of(request.user))
    except NotFound:
        raise Http404


def workspace_url(project: Project) -> str:
    return reverse("bidding:owner_project", args=[project.pk])


def show_error(form, error: DomainError) -> None:
    """A service's refusal on the field it concerns, under the form's own field name."""
    aliases = getattr(form, "ERROR_FIELDS", {})
    name = aliases.get(error.field, error.field)
    form.add_error(name if name in form.fields else None, str(error.message))


def done(request, project: Project, message: str):
    messages.success(request, message)
    return redirect(workspace_url(project))


# --- The workspace --------------------------------------------------------------------------

def workspace_context(request, project: Project, *, bound: dict | None = None) -> dict:
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
    unanswered = 0
    if project.status == Status.BIDDING:
        for question in questions:
            if question.answered_at is None:
                unanswered += 1
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
    return {
        "project": project, "now": now, "actions": actions, "can": by_code,
        # What can be done now comes first; the rest, with the reasons, is folded away.
        "possible_actions": [action for action in actions if action.possible],
        "other_actions": [action for action in actions if not action.possible],
        "stage": selectors_owner.award_stage(project, now, facts),
        "contract_id": (selectors.contract_id(project)
                        if project.status == Status.AWARDED else None),
        "facts": facts, "sealed": sealed, "bid_count": selectors.bid_count(project),
        "bids": bids, "rank_one": next((b for b in bids if b.rank == 1), None),
        "questions": questions, "unanswered_questions": unanswered, "objections": objections,
        "timeline": selectors_owner.timeline(project),
        "documents": project.attachments.all(),
        "can_change_documents": refusal_of(rules.check_can_change_documents,
                                           project=project) is None,
        "exclusions": selectors.exclusions_of(project),
        "qualifications": project.required_qualifications.all(),
        "award": facts.award, "draw": selectors.latest_draw(project),
        "next_round": project.next_rounds.first(),
        "is_discount": project.quote_format == Project.QuoteFormat.DISCOUNT_RATE,
        "is_comprehensive": project.selection_method == Project.Method.COMPREHENSIVE,
        "is_random": project.selection_method == Project.Method.RANDOM,
        "is_direct": project.selection_method == Project.Method.DIRECT,
        "documents_form": bound.get("documents") or DocumentsForm(prefix="documents"),
        "republish_form": bound.get("republish") or RepublishForm(prefix="republish"),
    }


def render_workspace(request, project: Project, *, status: int = 200,
                     bound: dict | None = None):
    return render(request, "bidding/owner/workspace.html",
                  workspace_context(request, project, bound=bound), status=status)


def refused(request, project: Project, error: DomainError, *, status: int | None = None):
    """The workspace again, with the reason (409 state conflict, 403 not allowed)."""
    messages.error(request, str(error.message))
    return shown_again(request, project, status=status or error.status_code)


def shown_again(request, project: Project, *, status: int):
    """The workspace again after a refusal already shown as a message."""
    project = owner_project(request, project.pk)  # the state may have moved under us
    return render_workspace(request, project, status=status)


@login_required
def project_workspace(request, pk: int):
    return render_workspace(request, owner_project(request, pk))


def attempt(request, project: Project, form, call, *, success: str = "", invalid, then=None):
    """Validate `form` and call the service with its data. A refusal of the input (400) goes
    on the form and `invalid()` shows it again; any other refusal shows the workspace with the
    reason. On success, `then(result)` answers, or the workspace with `success`."""
    if form.is_valid():
        with refusal_as_message(request) as outcome, \
                refusal_on(form, on_form=show_error) as on_form:
            result = call(form.cleaned_data)
        if not outcome.succeeded:
            return shown_again(request, project, status=outcome.status)
        if on_form.succeeded:
            return then(result) if then is not None else done(request, project, success)
    return invalid()


def form_action(request, project: Project, form, prefix: str, call, success: str):
    """A form of the workspace: errors re-show the workspace with the form bound (400)."""
    return attempt(request, project, form, call, success=success, invalid=lambda: (
        render_workspace(request, project, status=400, bound={prefix: form})))


def plain_action(request, project: Project, call, success: str):
    with refusal_as_message(request) as outcome:
        call()
    if not outcome.succeeded:
        return shown_again(request, project, status=outcome.status)
    return done(request, project, success)
