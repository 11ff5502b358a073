"""Red flags: the run that computes every indicator and stores what it found, and a regulator's
dismissal. A run upserts by (indicator, key): a finding seen again updates its row (figures,
run, `computed_at`) and reopens it if it had stopped holding; a flag no longer found is closed
(`cleared_at`), never deleted; a dismissed flag keeps its dismissal and is never raised again
by a later run (docs/decisions.md "Red flags (issue 15 §1)"). Flags change no credit."""

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.actors import require_regulator
from marketplace.audit import services as audit
from marketplace.errors import StateConflict
from marketplace.limits import check_text_length
from ratings.models import Indicator, RedFlag, RedFlagParty, RedFlagRun
from ratings.redflags.indicators import Finding, compute_all
from ratings.services.common import required_text

BATCH = 1000


def _batches(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _store(findings: list[Finding], run: RedFlagRun, now: dt.datetime) -> dict:
    """Upserts the findings in bulk: one read of the flags and their parties, then inserts,
    updates and deletes a batch at a time, whatever the number of flags. A flag found again is
    confirmed (run, `computed_at`, reopened) in one statement per batch; its figures and
    project are rewritten only where they changed, its parties only where they differ."""
    existing = {(indicator, key): (pk, project, figures, cleared, dismissed)
                for pk, indicator, key, project, figures, cleared, dismissed in
                RedFlag.objects.select_for_update().order_by().values_list(
                    "pk", "indicator", "key", "project_id", "figures", "cleared_at",
                    "dismissed_at")}
    parties: dict[int, set[tuple[int, str]]] = {}
    for flag, organization, role in RedFlagParty.objects.order_by().values_list(
            "flag_id", "organization_id", "role"):
        parties.setdefault(flag, set()).add((organization, role))
    seen, new, confirmed, changed, reparty = set(), [], [], [], {}
    reopened = 0
    for finding in findings:
        ident = (str(finding.indicator), finding.key)
        seen.add(ident)
        wanted = set(finding.parties)
        if ident not in existing:
            new.append((RedFlag(indicator=finding.indicator, key=finding.key,
                                project_id=finding.project_id, figures=finding.figures,
                                created_at=now, computed_at=now, run=run), wanted))
            continue
        pk, project, figures, cleared, _dismissed = existing[ident]
        reopened += cleared is not None
        confirmed.append(pk)
        # As stored: the JSON column gives back what json.dumps wrote.
        if project != finding.project_id or figures != json.loads(json.dumps(finding.figures)):
            changed.append(RedFlag(pk=pk, project_id=finding.project_id,
                                   figures=finding.figures))
        if parties.get(pk, set()) != wanted:
            reparty[pk] = wanted
    for batch in _batches(confirmed):
        RedFlag.objects.filter(pk__in=batch).update(run=run, computed_at=now, cleared_at=None)
    RedFlag.objects.bulk_update(changed, ["project", "figures"], batch_size=BATCH)
    for batch in _batches(list(reparty)):
        RedFlagParty.objects.filter(flag_id__in=batch).delete()
    created = RedFlag.objects.bulk_create([flag for flag, _wanted in new], batch_size=BATCH)
    named = [*((flag.pk, wanted) for flag, (_f, wanted) in zip(created, new, strict=True)),
             *reparty.items()]
    RedFlagParty.objects.bulk_create(
        [RedFlagParty(flag_id=pk, organization_id=org, role=role)
         for pk, wanted in named for org, role in sorted(wanted)], batch_size=BATCH)
    gone = [pk for ident, (pk, _p, _f, cleared, dismissed) in existing.items()
            if ident not in seen and cleared is None and dismissed is None]
    for batch in _batches(gone):
        RedFlag.objects.filter(pk__in=batch).update(cleared_at=now)
    return {"created": len(new), "reopened": reopened, "cleared": len(gone)}


@transaction.atomic
def red_flags_run(*, by=None, now: dt.datetime | None = None) -> RedFlagRun:
    """Compute every indicator now and store the findings (the beat's nightly task with
    `by=None`, or a regulator on demand)."""
    now = now or timezone.now()
    organization = require_regulator(by) if by is not None else None
    run = RedFlagRun.objects.create(started_at=now, started_by=by)
    findings = compute_all()
    changes = _store(findings, run, now)
    counts = dict.fromkeys(Indicator.values, 0)
    for finding in findings:
        counts[str(finding.indicator)] += 1
    run.counts, run.finished_at = counts, timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    audit.record(action="redflags.run", actor=by, organization=organization, obj=run,
                 data={"counts": counts, **changes}, now=now)
    return run


@transaction.atomic
def red_flag_dismiss(*, flag: RedFlag, reason: str, by,
                     now: dt.datetime | None = None) -> RedFlag:
    """A regulator sets a flag aside, saying why (audited). It stays on record, dismissed."""
    now = now or timezone.now()
    regulator = require_regulator(by)
    reason = required_text(reason, "reason", _("Say why the flag is dismissed."))
    check_text_length(reason, kind="reason", field="reason")
    flag = RedFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.dismissed_at is not None:
        raise StateConflict(_("This flag was already dismissed."))
    flag.dismissed_at, flag.dismissed_by, flag.dismissed_reason = now, by, reason
    flag.save(update_fields=["dismissed_at", "dismissed_by", "dismissed_reason"])
    audit.record(action="redflag.dismissed", actor=by, organization=regulator, obj=flag,
                 data={"indicator": flag.indicator, "key": flag.key, "reason": reason},
                 now=now)
    return flag
