"""What every bidding service shares: locks, the acting organization, after-commit effects."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from bidding.models import Project
from marketplace import search
from marketplace.accounts.models import Organization
from marketplace.accounts.selectors import organization_of
from marketplace.errors import NotAllowed
from marketplace.outbox.services import enqueue


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def lock_project(project: Project | int) -> Project:
    """The project re-read under a row lock; call inside the service's transaction."""
    pk = project.pk if isinstance(project, Project) else project
    return Project.objects.select_for_update().get(pk=pk)


def acting_organization(by) -> Organization | None:
    if by is None or not getattr(by, "is_authenticated", False):
        return None
    return organization_of(by)


def ensure_owner(project: Project, by) -> Organization:
    """The owner organization, if `by` acts for it; NotAllowed otherwise."""
    organization = acting_organization(by)
    if organization is None or organization.pk != project.owner_id:
        raise NotAllowed(_("Only the project's owner can do this."))
    return organization


def ensure_agency(by) -> Organization:
    organization = acting_organization(by)
    if organization is None or not organization.is_agency:
        raise NotAllowed(_("Only intermediary agencies can do this."))
    return organization


def notify_later(event: str, **ids) -> None:
    """Send the notices of `event` after commit, through the task queue (bidding.notices)."""
    enqueue("bidding.notify", event=event, **ids)


def reindex_later(project: Project) -> None:
    """Refresh the project's search document after commit (the search task reads the current
    row through the "project" document type, which leaves drafts out)."""
    search.index_later("project", project.pk)
