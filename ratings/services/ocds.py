"""OCDS releases as published: one per change of a project (issue 17 §5), stored and never
changed (docs/decisions.md, "Issue 17 §5: OCDS releases and records").

Every change of a project is already recorded by its service in the audit log
(`marketplace.audit.services.record`, called last in the service's transaction). The audit
service hands each entry to `AUDIT_RECORDED`'s contributors; `release_for_entry` is ours: for
the actions listed in `RELEASES` it writes the release in the same transaction, so a release
exists exactly when its change committed. Its id is `<ocid>-<audit entry id>`, its date the
entry's time, its content the project as the change left it (read as an anonymous viewer:
sealed bids stay sealed).
"""

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import prefetch_related_objects

from bidding import selectors as bidding_selectors
from bidding.models import Objection, Project
from marketplace.audit.models import AuditEntry
from marketplace.audit.selectors import visible_entries
from marketplace.bulk import insert_rows
from ratings.models import OCDSRelease
from ratings.opendata import ocds

Kind = OCDSRelease.Kind


@dataclass(frozen=True)
class ReleaseKind:
    kind: str
    tags: tuple[str, ...]
    # Whether this entry makes a public change (e.g. an objection that was upheld).
    when: Callable[[AuditEntry], bool] = lambda entry: True


def _upheld(entry: AuditEntry) -> bool:
    return bool(entry.data.get("upheld"))


def _in_force(entry: AuditEntry) -> bool:
    return bool(entry.data.get("active"))


# Audit action → the release it makes. Bid actions make none (sealed until the opening, whose
# release carries the bids); drafts make none (a project is public from its publication).
RELEASES = {
    "project.published": ReleaseKind(Kind.TENDER, ("tender",)),
    "project.amended": ReleaseKind(Kind.AMENDMENT, ("tenderAmendment",)),
    "project.cancelled": ReleaseKind(Kind.TENDER, ("tenderCancellation",)),
    "project.opened": ReleaseKind(Kind.TENDER, ("tenderUpdate",)),
    "project.failed": ReleaseKind(Kind.TENDER, ("tenderUpdate",)),
    "project.award_proposed": ReleaseKind(Kind.AWARD, ("award",)),
    "project.awarded": ReleaseKind(Kind.AWARD, ("awardUpdate",)),
    "project.award_passed_on": ReleaseKind(Kind.AWARD, ("awardCancellation",)),
    "project.award_withdrawn": ReleaseKind(Kind.AWARD, ("awardCancellation",)),
    "objection.decided": ReleaseKind(Kind.AWARD, ("awardCancellation",), _upheld),
    "contract.signed": ReleaseKind(Kind.CONTRACT, ("contract",), _in_force),
    "contract.lapsed": ReleaseKind(Kind.CONTRACT, ("contractUpdate",)),
    "contract.delivered": ReleaseKind(Kind.IMPLEMENTATION, ("implementation",)),
    "contract.delivery_rejected": ReleaseKind(Kind.IMPLEMENTATION, ("implementationUpdate",)),
    "contract.completed": ReleaseKind(Kind.IMPLEMENTATION,
                                      ("implementationUpdate", "contractTermination")),
    "contract.terminated": ReleaseKind(Kind.IMPLEMENTATION, ("contractTermination",)),
}
PROJECT_OBJECTS = {"bidding.project", "bidding.objection", "contracts.contract"}


def _project_of(entry: AuditEntry, obj=None) -> Project | None:
    """The project the entry is about. The service's own project object when it passed one:
    it holds the change even where the service saves it after recording (the opening of a
    project that then fails)."""
    if isinstance(obj, Project):
        project = copy.copy(obj)
        project._prefetched_objects_cache = {}
        return project
    if obj is not None and getattr(obj, "project_id", None):
        project_id = obj.project_id
    elif entry.object_type == "bidding.project":
        project_id = int(entry.object_id)
    elif entry.object_type == "bidding.objection":
        project_id = Objection.objects.values_list("project_id", flat=True).get(
            pk=entry.object_id)
    else:
        from contracts.models import Contract

        project_id = Contract.objects.values_list("project_id", flat=True).get(
            pk=entry.object_id)
    return (Project.objects.select_related("owner__region", "service_item", "region")
            .get(pk=project_id))


def _releasable(entry: AuditEntry) -> ReleaseKind | None:
    kind = RELEASES.get(entry.action)
    if kind is None or entry.object_type not in PROJECT_OBJECTS or not kind.when(entry):
        return None
    return kind


def _release_row(entry: AuditEntry, project: Project, kind: ReleaseKind, *,
                 as_of: dt.datetime | None, backfilled: bool) -> OCDSRelease | None:
    """The release of `entry`, not saved (None for a draft's change: never public)."""
    if project.published_at is None:
        return None
    ocid = ocds.ocid(project)
    release_id = f"{ocid}-{entry.pk}"
    tags = list(kind.tags)
    if tags == ["implementation"] and OCDSRelease.objects.filter(
            project=project, kind=Kind.IMPLEMENTATION, date__lte=entry.created_at).exists():
        tags = ["implementationUpdate"]  # a delivery again, after a rejected one
    data = ocds.release(project, as_of=as_of, tags=tags, release_id=release_id,
                        date=entry.created_at)
    return OCDSRelease(project=project, audit_entry=entry, ocid=ocid, release_id=release_id,
                       kind=kind.kind, tag=tags, date=entry.created_at, data=data,
                       backfilled=backfilled)


def _write(entry: AuditEntry, project: Project, kind: ReleaseKind, *,
           as_of: dt.datetime | None, backfilled: bool) -> OCDSRelease | None:
    row = _release_row(entry, project, kind, as_of=as_of, backfilled=backfilled)
    if row is not None:
        row.save()
    return row


def release_for_entry(entry: AuditEntry, obj=None) -> OCDSRelease | None:
    """The `AUDIT_RECORDED` contributor: inside the service's transaction, after its entry."""
    kind = _releasable(entry)
    if kind is None:
        return None
    return _write(entry, _project_of(entry, obj), kind, as_of=None, backfilled=False)


def releases_for_entries(entries: list[AuditEntry], objs: list) -> list[OCDSRelease]:
    """`release_for_entry` for many entries at once (`audit.record_many`: the openings of one
    deadline): the same releases, with what they read of their projects read in a few queries
    and written in one insert. Each entry's object must be its project (what the mass services
    pass); any other goes the one-by-one way."""
    wanted = [(entry, kind, obj) for entry, obj in zip(entries, objs, strict=True)
              if (kind := _releasable(entry)) is not None]
    if not wanted:
        return []
    if any(not isinstance(obj, Project) for _entry, _kind, obj in wanted):
        return [r for entry, _kind, obj in wanted
                if (r := release_for_entry(entry, obj)) is not None]
    projects = [_project_of(entry, obj) for entry, _kind, obj in wanted]
    prefetch_related_objects(projects, *ocds.release_prefetches())
    # The public bids, unless the caller set them (`ocds_bids`: the opening has them in hand).
    unread = [p for p in projects if p.opened_at and getattr(p, "ocds_bids", None) is None]
    bids = bidding_selectors.public_bids_by_project(unread)
    for project in unread:
        project.ocds_bids = bids[project.pk]
    rows = [row for (entry, kind, _obj), project in zip(wanted, projects, strict=True)
            if (row := _release_row(entry, project, kind, as_of=None, backfilled=False))]
    insert_rows(rows)  # no ids back: nobody reads them
    return rows


# `audit.record_many` hands its entries to this at once instead of one by one.
release_for_entry.many = releases_for_entries


def releases_backfill(*, batch_size: int = 500) -> int:
    """Write the releases of the changes recorded before releases were stored (or whose
    release is missing), oldest first, each in its own transaction. Their content is the project
    as of the change's time (what had happened by then; the terms are today's). Idempotent."""
    written = 0
    # Through the one selector, like every reader (our actions are never sealed bid entries).
    entries = (visible_entries(AuditEntry.objects.filter(action__in=RELEASES,
                                                         object_type__in=PROJECT_OBJECTS))
               .exclude(pk__in=OCDSRelease.objects.values("audit_entry_id"))
               .order_by("created_at", "pk"))
    for entry in entries.iterator(chunk_size=batch_size):
        kind = _releasable(entry)
        if kind is None:
            continue
        with transaction.atomic():
            project = _project_of(entry)
            if project.published_at is None or project.published_at > entry.created_at:
                continue
            if _write(entry, project, kind, as_of=entry.created_at, backfilled=True):
                written += 1
    return written
