"""Red flags: the run that computes every indicator and stores what it found, and a regulator's
dismissal. A run upserts by (indicator, key): a finding seen again updates its row (figures,
run, `computed_at`) and reopens it if it had stopped holding; a flag no longer found is closed
(`cleared_at`), never deleted; a dismissed flag keeps its dismissal and is never raised again
by a later run (docs/decisions.md "Red flags (issue 15 §1)"). Flags change no credit."""

import datetime as dt

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


def _parties(flag: RedFlag) -> set[tuple[int, str]]:
    return {(p.organization_id, p.role) for p in flag.parties.all()}


def _store(findings: list[Finding], run: RedFlagRun, now: dt.datetime) -> dict:
    existing = {(f.indicator, f.key): f
                for f in RedFlag.objects.select_for_update().prefetch_related("parties")}
    seen, created, reopened = set(), 0, 0
    for finding in findings:
        ident = (str(finding.indicator), finding.key)
        seen.add(ident)
        wanted = set(finding.parties)
        flag = existing.get(ident)
        if flag is None:
            flag = RedFlag.objects.create(
                indicator=finding.indicator, key=finding.key, project_id=finding.project_id,
                figures=finding.figures, created_at=now, computed_at=now, run=run)
            created += 1
        else:
            reopened += flag.cleared_at is not None
            flag.figures, flag.project_id, flag.run = finding.figures, finding.project_id, run
            flag.computed_at, flag.cleared_at = now, None
            flag.save(update_fields=["figures", "project", "run", "computed_at", "cleared_at"])
            if _parties(flag) == wanted:
                continue
            flag.parties.all().delete()
        RedFlagParty.objects.bulk_create(
            RedFlagParty(flag=flag, organization_id=org, role=role)
            for org, role in sorted(wanted))
    gone = [flag.pk for ident, flag in existing.items()
            if ident not in seen and flag.cleared_at is None and flag.dismissed_at is None]
    RedFlag.objects.filter(pk__in=gone).update(cleared_at=now)
    return {"created": created, "reopened": reopened, "cleared": len(gone)}


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
