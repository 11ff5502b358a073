"""What every bidding service shares: locks, the acting organization, after-commit effects."""

import datetime as dt

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from bidding.models import Project, ProjectSealKey
from bidding.signals import ProjectEvent, project_event
from marketplace import search
from marketplace.accounts.models import Organization
from marketplace.actors import acting_organization
from marketplace.errors import NotAllowed
from marketplace.outbox.services import enqueue
from marketplace.related import remember_many


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
    """The project re-read under a shared row lock, for actions on bids, with what sealing a
    bid needs read along: the project's seal key (`sealing.data_key_of`), and on PostgreSQL
    whether it requires qualifications at all (when none, reading them costs no query).

    Bids on one project do not need to wait for each other (one live bid per agency is the
    database's partial unique constraint), but none may interleave with a change of the
    project itself: opening, amending and cancelling take the exclusive lock (`lock_project`)
    and so wait for the bids in flight, and these wait for them. A bid action must never write
    the project row while holding this lock (two holders upgrading would deadlock). SQLite
    has no row locks; its IMMEDIATE transactions serialize every writer anyway.
    """
    pk = project.pk if isinstance(project, Project) else project
    if connection.vendor != "postgresql":
        return Project.objects.select_for_update().select_related("seal_key").get(pk=pk)
    # Django has no FOR SHARE: the row in SQL of our own, locked alone (OF p).
    key = ProjectSealKey._meta
    required = Project.required_qualifications.through._meta
    locked = list(Project.objects.raw(
        f'SELECT p.*, k.kek_id AS seal_kek_id, k.wrapped_key AS seal_wrapped_key, '
        f'EXISTS (SELECT 1 FROM "{required.db_table}" r WHERE r.project_id = p.id) '
        f'AS requires_qualifications '
        f'FROM "{Project._meta.db_table}" p LEFT JOIN "{key.db_table}" k ON k.project_id = p.id '
        f'WHERE p.id = %s FOR SHARE OF p', [pk]))
    if not locked:
        raise Project.DoesNotExist(f"Project {pk} does not exist.")
    project = locked[0]
    seal_key = (ProjectSealKey(project=project, kek_id=project.seal_kek_id,
                               wrapped_key=project.seal_wrapped_key)
                if project.seal_kek_id is not None else None)
    Project.seal_key.related.set_cached_value(project, seal_key)
    if not project.requires_qualifications:
        remember_many(project, "required_qualifications", ())
    return project


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
