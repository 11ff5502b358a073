"""Questions and answers (答疑) while bidding: any agency asks; the answer is public to all."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from bidding.models import Project, Question
from bidding.rules import check_can_ask
from bidding.services.common import ensure_agency, ensure_owner, lock_project, notify_later, now_or
from bidding.signals import ProjectEvent
from marketplace.audit import services as audit
from marketplace.errors import DomainError, StateConflict
from marketplace.limits import check_text_length

Status = Project.Status


@transaction.atomic
def question_ask(*, project: Project, by, text: str, now: dt.datetime | None = None
                 ) -> Question:
    now = now_or(now)
    agency = ensure_agency(by)
    project = lock_project(project)
    check_can_ask(project=project, agency=agency, now=now)
    if not (text or "").strip():
        raise DomainError(_("Enter your question."), field="text")
    check_text_length(text, kind="question", field="text")
    question = Question.objects.create(project=project, asked_by=agency, asked_by_user=by,
                                       text=text.strip(), asked_at=now)
    notify_later(ProjectEvent.QUESTION_ASKED, question_id=question.pk)
    audit.record(action="question.asked", actor=by, organization=agency, obj=question,
                 data={"project": project.pk}, now=now)
    return question


@transaction.atomic
def question_answer(*, question: Question, by, text: str, now: dt.datetime | None = None
                    ) -> Question:
    """The owner's answer, public to everyone and sent to every bidder and to the asker."""
    now = now_or(now)
    project = lock_project(question.project_id)
    owner = ensure_owner(project, by)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if project.status != Status.BIDDING:
        raise StateConflict(_("Questions are answered while the project is open for bids."))
    if question.answered_at is not None:
        raise StateConflict(_("This question has been answered; publish a correction notice "
                              "to change the terms."))
    if not (text or "").strip():
        raise DomainError(_("Enter the answer."), field="text")
    check_text_length(text, kind="answer", field="text")
    question.answer = text.strip()
    question.answered_at = now
    question.answered_by = by
    question.save(update_fields=["answer", "answered_at", "answered_by"])
    notify_later(ProjectEvent.ANSWERED, question_id=question.pk)
    audit.record(action="question.answered", actor=by, organization=owner, obj=question,
                 data={"project": project.pk}, now=now)
    return question
