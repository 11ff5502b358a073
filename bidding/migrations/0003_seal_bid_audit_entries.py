"""Seal the audit entries about bids written before `AuditEntry.sealed_project_id` existed.

Only the new column is filled: the hashed fields are not touched, so `audit_verify` still
passes. An entry's project is read from what the entry says: `data["project"]` (every bid entry
since submission receipts), else the bid it is about (`object_type` "bidding.bid"). The former
single `bid.disqualified` entry of a sanction named the agency, not its projects: it is sealed
until the last opening among the agency's bids it disqualified while they were sealed (same
reason, project not opened yet), and left readable when none is left sealed.
"""

from django.db import migrations

BATCH = 1000


def _project_of(entry, Bid, Project) -> int | None:
    project = (entry.data or {}).get("project")
    if isinstance(project, int):
        return project
    if entry.object_type == "bidding.bid" and entry.object_id.isdigit():
        return Bid.objects.filter(pk=int(entry.object_id)).values_list(
            "project_id", flat=True).first()
    if entry.action == "bid.disqualified" and entry.organization_id is not None:
        sealed = (Bid.objects.filter(agency_id=entry.organization_id,
                                     invalid_reason=(entry.data or {}).get("reason", ""),
                                     project__opened_at__isnull=True)
                  .order_by("-project__bid_deadline", "-project_id")
                  .values_list("project_id", flat=True))
        return sealed.first()
    return None


def seal_bid_entries(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    Bid = apps.get_model("bidding", "Bid")
    Project = apps.get_model("bidding", "Project")
    changed = []
    entries = AuditEntry.objects.filter(action__startswith="bid.",
                                        sealed_project_id__isnull=True).order_by("seq")
    for entry in entries.iterator(chunk_size=BATCH):
        entry.sealed_project_id = _project_of(entry, Bid, Project)
        if entry.sealed_project_id is not None:
            changed.append(entry)
        if len(changed) >= BATCH:
            AuditEntry.objects.bulk_update(changed, ["sealed_project_id"])
            changed = []
    AuditEntry.objects.bulk_update(changed, ["sealed_project_id"])


class Migration(migrations.Migration):

    dependencies = [
        ("bidding", "0002_attachments"),
        ("audit", "0002_auditentry_sealed_project"),
    ]

    operations = [
        migrations.RunPython(seal_bid_entries, migrations.RunPython.noop, elidable=True),
    ]
