"""One state helper (DESIGN §3 "Rules, errors, states"): every status field moves through
`marketplace.states`, which refuses a move outside its model's table with a coded error and
writes the move's audit entry when asked; no other module assigns a status field."""

import ast
import importlib
import os
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from marketplace.accounts.models import Organization
from marketplace.audit.models import AuditEntry
from marketplace.errors import InvalidTransition
from marketplace.states import Transitions, can_move, move, transitions_for
from ratings.services.suspension import ORGANIZATION

Status = Organization.Status
ROOT = Path(__file__).resolve().parents[2]
KERNEL = "marketplace/states.py"
SKIPPED_DIRS = {".git", ".venv", "node_modules", "migrations", "tests", "var", "__pycache__"}

# Files that still assign a status directly, each to be converted once a branch that changes
# them lands. Keep it short: a file leaves the list in the commit that converts it.
ALLOW_LIST: set[str] = set()


# --- the helper ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_move_outside_the_table_is_refused_with_its_code_and_changes_nothing(agency):
    Organization.objects.filter(pk=agency.pk).update(status=Status.EXITED)
    agency.refresh_from_db()
    with pytest.raises(InvalidTransition) as refused:
        move(agency, Status.ACTIVE)
    assert refused.value.code == "state.invalid_transition"
    assert refused.value.status_code == 409
    assert str(Status.EXITED.label) in str(refused.value.message)
    assert str(Status.ACTIVE.label) in str(refused.value.message)
    agency.refresh_from_db()
    assert agency.status == Status.EXITED
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_an_allowed_move_is_saved(agency):
    ORGANIZATION.move(agency, Status.SUSPENDED)
    agency.refresh_from_db()
    assert agency.status == Status.SUSPENDED
    assert can_move(agency, Status.ACTIVE) and not can_move(agency, Status.SUSPENDED)


@pytest.mark.django_db
def test_save_false_only_sets_the_field(agency):
    ORGANIZATION.move(agency, Status.SUSPENDED, save=False)
    assert agency.status == Status.SUSPENDED
    agency.refresh_from_db()
    assert agency.status == Status.ACTIVE


@pytest.mark.django_db
def test_the_audit_entry_is_written_when_asked_and_only_then(agency, regulator_user):
    move(agency, Status.SUSPENDED)
    assert not AuditEntry.objects.exists()
    move(agency, Status.ACTIVE, action="organization.reinstated", actor=regulator_user,
         organization=agency, data={"reason": "checked"})
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.organization_id) == (
        "organization.reinstated", regulator_user, agency.pk)
    assert entry.object_type == "accounts.organization" and entry.object_id == str(agency.pk)
    assert entry.data == {"reason": "checked"}


def test_an_audited_move_must_save():
    organization = Organization(status=Status.ACTIVE)
    with pytest.raises(ValueError):
        ORGANIZATION.move(organization, Status.SUSPENDED, save=False, action="x")


@pytest.mark.django_db
def test_move_all_moves_only_the_rows_that_may_reach_the_state(agency, owner):
    Organization.objects.filter(pk=owner.pk).update(status=Status.EXITED)
    moved = ORGANIZATION.move_all(Organization.objects.filter(pk__in=[agency.pk, owner.pk]),
                                  Status.SUSPENDED)
    assert moved == 1
    assert set(Organization.objects.values_list("pk", "status")) >= {
        (agency.pk, Status.SUSPENDED), (owner.pk, Status.EXITED)}


def test_a_table_must_have_a_row_for_every_state():
    with pytest.raises(ImproperlyConfigured):
        Transitions(Organization, {Status.ACTIVE: {Status.EXITED}})
    with pytest.raises(ValueError):
        Transitions(Organization, {Status.ACTIVE: {"gone"}, Status.SUSPENDED: set(),
                                   Status.EXITED: set()})
    # The failed declarations did not replace the real one.
    assert transitions_for(Organization) is ORGANIZATION


def test_every_status_table_is_declared():
    for module in ("bidding.states", "contracts.states", "contracts.payments.states",
                   "providers.services", "ratings.services.blacklist", "ratings.services.cases",
                   "ratings.services.complaints", "ratings.services.inspections"):
        importlib.import_module(module)
    from bidding.models import Objection, Project
    from contracts.models import Contract, Payment, Payout
    from providers.models import Qualification
    from ratings.models import (
        BlacklistAppeal,
        BlacklistEntry,
        Complaint,
        CreditRepairRequest,
        InspectionPlan,
        ViolationCase,
    )

    for model in (Project, Objection, Contract, Payment, Payout, Qualification, Organization,
                  BlacklistEntry, BlacklistAppeal, CreditRepairRequest, Complaint,
                  InspectionPlan, ViolationCase):
        assert transitions_for(model).model is model


# --- nothing else assigns a status ------------------------------------------------------------

def _assigned_attributes(target):
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _assigned_attributes(element)
    elif isinstance(target, ast.Starred):
        yield from _assigned_attributes(target.value)
    elif isinstance(target, ast.Attribute):
        yield target


def _names_status(node) -> bool:
    return isinstance(node, ast.Constant) and node.value == "status"


def _has_status_key(node) -> bool:
    return isinstance(node, ast.Dict) and any(_names_status(k) for k in node.keys)


def _writes_status(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    keywords = {k.arg: k.value for k in call.keywords}
    if name == "update":
        return "status" in keywords or _has_status_key(keywords.get(None))
    if name == "update_or_create":
        return _has_status_key(keywords.get("defaults"))
    if name == "bulk_update":
        fields = keywords.get("fields") or (call.args[1] if len(call.args) > 1 else None)
        return isinstance(fields, (ast.List, ast.Tuple, ast.Set)) and any(
            _names_status(f) for f in fields.elts)
    if name == "setattr":
        return len(call.args) > 1 and _names_status(call.args[1])
    return False


def status_writes(source: str) -> list[int]:
    """Lines of `source` that write a status field directly: `x.status = …` (also in tuples
    and augmented), `.update(status=…)` or `.update(**{"status": …})`,
    `update_or_create(defaults={"status": …})`, `bulk_update(…, ["status", …])` and
    `setattr(x, "status", …)`. Creating a row (`create(status=…)`) is not a move."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(a.attr == "status" for t in targets for a in _assigned_attributes(t)):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and _writes_status(node):
            lines.append(node.lineno)
    return sorted(set(lines))


def _project_modules():
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = sorted(d for d in subdirectories
                                   if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                path = Path(directory, name)
                yield path.relative_to(ROOT).as_posix(), path


@pytest.mark.parametrize(("source", "count"), [
    ("project.status = Project.Status.BIDDING", 1),
    ("a.status, a.reply = 'x', 'y'", 1),
    ("self.status += ''", 1),
    ("Bid.objects.filter(pk=1).update(\n    status='withdrawn', rank=None)", 1),
    ("qs.update(**{'status': 'x'})", 1),
    ("Payout.objects.update_or_create(pk=1, defaults={'status': 'sent'})", 1),
    ("Bid.objects.bulk_update(bids, ['rank', 'status'])", 1),
    ("setattr(bid, 'status', 'withdrawn')", 1),
    ("Bid.objects.create(status='submitted')", 0),
    ("if bid.status == 'withdrawn': pass", 0),
    ("qs.filter(status='pending').update(decided_at=now)", 0),
    ("status = form.cleaned_data['status']", 0),
    ("move(project, Status.BIDDING, update_fields=['status'])", 0),
])
def test_the_scanner_finds_direct_status_writes(source, count):
    assert len(status_writes(source)) == count


def test_no_module_outside_the_kernel_assigns_a_status_field():
    found = {}
    for relative, path in _project_modules():
        if relative == KERNEL or relative in ALLOW_LIST:
            continue
        lines = status_writes(path.read_text(encoding="utf-8"))
        if lines:
            found[relative] = lines
    assert found == {}, ("Move a status with marketplace.states (a table and move()), "
                         f"not by assigning it: {found}")


def test_the_scan_sees_the_project_and_the_allow_list_is_real():
    modules = dict(_project_modules())
    assert KERNEL in modules and "bidding/services/objections.py" in modules
    assert status_writes(modules[KERNEL].read_text(encoding="utf-8")) == []
    for relative in ALLOW_LIST:
        assert relative in modules, f"{relative} is gone: take it off the allow-list"
