"""What every bidding service shares: locks, the acting organization, after-commit effects."""

import datetime as dt

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from bidding.models import Project
from bidding.signals import ProjectEvent, project_event
from marketplace import search
from marketplace.accounts.models import Organization
from marketplace.actors import acting_organization
from marketplace.errors import NotAllowed
from marketplace.outbox.services import enqueue


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def lock_project(project: Project | int, *, related: tuple[str, ...] = ()) -> Project:
    """The project re-read under a row lock; call inside the service's transaction.
    `related`: read along (select_related), not locked."""
    pk = project.pk if isinstance(project, Project) else project
    if related:
        return (Project.objects.select_for_update(of=("self",)).select_related(*related)
                .get(pk=pk))
    return Project.objects.select_for_update().get(pk=pk)


def lock_project_for_bid(project: Project | int) -> Project:
    """The project re-read under a shared row lock, for actions on bids.

    Bids on one project do not need to wait for each other (one live bid per agency is the
    database's partial unique constraint), but none may interleave with a change of the
    project itself: opening, amending and cancelling take the exclusive lock (`lock_project`)
    and so wait for the bids in flight, and these wait for them. A bid action must never write
    the project row while holding this lock (two holders upgrading would deadlock). SQLite
    has no row locks; its IMMEDIATE transactions serialize every writer anyway.
    """
    pk = project.pk if isinstance(project, Project) else project
    if connection.vendor != "postgresql":
        return Project.objects.select_for_update().get(pk=pk)
    table = Project._meta.db_table
    locked = list(Project.objects.raw(f'SELECT * FROM "{table}" WHERE id = %s FOR SHARE', [pk]))
    if not locked:
        raise Project.DoesNotExist(f"Project {pk} does not exist.")
    return locked[0]


def ensure_owner(project: Project, by) -> Organization:
    """The owner organization, if `by` acts for it; NotAllowed otherwise."""
    organization = acting_organization(by)
    if organization is None or organization.pk != project.owner_id:
        raise NotAllowed(_("Only the project's owner can do this."))
    return organization


def ensure_agency(by) -> Organization:
    return check_agency(acting_organization(by))


def check_agency(organization: Organization | None) -> Organization:
    """`organization` (the one a user acts for, already read), if it is an agency; NotAllowed
    otherwise."""
    if organization is None or not organization.is_agency:
        raise NotAllowed(_("Only intermediary agencies can do this."))
    return organization


def notify_later(event: ProjectEvent, **ids) -> None:
    """Send the notices of `event` after commit, through the task queue (bidding.notices)."""
    event = ProjectEvent(event)  # a name that is no event fails here, in the sender
    from bidding import tasks as bidding_tasks  # tasks call services: import here
    enqueue(bidding_tasks.notify, event=event, **ids)
    project_event.send(sender=Project, event=event, **ids)


def reindex_later(project: Project) -> None:
    """Refresh the project's search document after commit (the search task reads the current
    row through the "project" document type, which leaves drafts out)."""
    search.index_later("project", project.pk)
