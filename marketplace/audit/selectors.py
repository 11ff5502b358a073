"""Reading the audit log. Every page, export or API that shows audit entries reads them
through `visible_entries`, the one place the sealed-bid rule applies to the log:

    an entry about a bid (submitted, revised, withdrawn, re-confirmed, disqualified...) names
    the agency and the project; before the project's opening nobody may learn who bid, not
    regulators, not administrators. Such an entry carries `sealed_project_id` (set at write
    time by bidding's services) and stays out of every reading until that project is opened.

The stored entries are never changed (the hash chain still verifies): they are hidden when read.
The kernel does not know bidding's models, so bidding answers which projects are opened
through the `audit.opened_projects` hook (a queryset of ids, used as a SQL subquery).
"""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from marketplace import hooks
from marketplace.audit.models import AuditEntry

OPENED_PROJECTS = "audit.opened_projects"
hooks.declare(OPENED_PROJECTS, single=True, required_by="bidding")


def visible_entries(queryset: QuerySet[AuditEntry] | None = None,
                    now: dt.datetime | None = None) -> QuerySet[AuditEntry]:
    """`queryset` (every entry by default) without the entries still sealed at `now`."""
    queryset = AuditEntry.objects.all() if queryset is None else queryset
    opened = hooks.one(OPENED_PROJECTS)
    unsealed = Q(sealed_project_id__isnull=True)
    if opened is not None:
        unsealed |= Q(sealed_project_id__in=opened(now or timezone.now()))
    return queryset.filter(unsealed)
