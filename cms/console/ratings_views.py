"""The console's blacklist supervision (DESIGN §4 "Blacklist"): market exit, blacklist entries
and their appeals and repair requests. The console is the one place where regulators act (the
workspace's old regulator pages redirect here: ratings/views/moved.py). Every action calls the
same `ratings.services` function as the API; those check the regulator role, demand the reasons
and write the audit."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.console import ratings_forms as forms
from cms.console.pages import (
    BLACKLIST,
    CREDIT,
    EXIT,
    cell,
    denied,
    form_action,
    listing,
    paginate,
    reauthenticated,
    when,
)
from marketplace.accounts.models import Organization
from marketplace.accounts.selectors import former_names
from marketplace.accounts.standing import standing_of
from marketplace.actors import acting_organization
from ratings import selectors, services
from ratings.models import (
    BlacklistAppeal,
    BlacklistEntry,
    CreditRepairRequest,
)
from ratings.redflags import selectors as redflag_selectors

# --- Organizations: market exit ----------------------------------------------------------------


@denied(EXIT)
def organization_manage(request, pk: int):
    """An organization's credit desk: its standing and credit, its blacklist entries and its
    credit events (the same queries as its public credit page), and what may be done."""
    organization = get_object_or_404(Organization, pk=pk)
    return render(request, "cms/console/organization_manage.html", {
        "page_title": organization.name, "header_icon": "group",
        "organization": organization, "standing": standing_of(organization),
        "credit": selectors.standing(organization),
        "entries": selectors.blacklist_history(organization)[:20],
        "events": selectors.public_events(organization)[:50],
        "can_blacklist": request.user.has_perm(BLACKLIST),
        "can_credit": request.user.has_perm(CREDIT),
        "can_rename": request.user.has_perm("accounts.add_organizationnamechange"),
        "former_names": former_names(organization),
        # Red flags naming it or about its projects (regulators only; never on public pages).
        "red_flags": (redflag_selectors.filtered(
            redflag_selectors.visible_flags(acting_organization(request.user)),
            organization=organization.pk, state="all")[:50]
            if request.user.has_perm("ratings.view_redflag") else None),
    })


def _organization_facts(organization: Organization) -> list:
    return [(_("Organization"), f"{organization.name} ({organization.uscc})"),
            (_("Status"), standing_of(organization).label)]


@denied(EXIT)
@require_http_methods(["GET", "POST"])
def organization_exit(request, pk: int):
    organization = get_object_or_404(Organization, pk=pk)
    manage = reverse("cms_console:organization_manage", args=[organization.pk])
    return form_action(
        request, forms.ExitForm(request.POST or None),
        reauthenticated(request, lambda data: services.organization_expel(
            organization=organization, by=request.user, reason=data["reason"],
            basis=data["basis"])),
        success=_("%(name)s has been removed from the market.") % {"name": organization.name},
        done=manage, back=manage, title=_("Market exit: %(name)s") % {"name": organization.name},
        icon="group", danger=True, submit=_("Remove from the market"),
        facts=_organization_facts(organization))


@denied(EXIT)
@require_http_methods(["GET", "POST"])
def organization_status(request, pk: int, action: str):
    """Suspend (暂停) or reinstate an organization, with a written reason."""
    organization = get_object_or_404(Organization, pk=pk)
    suspend = action == "suspend"
    change = services.organization_suspend if suspend else services.organization_reinstate
    done = (_("%(name)s has been suspended.") if suspend
            else _("%(name)s has been reinstated.")) % {"name": organization.name}
    title = _("Suspend: %(name)s") if suspend else _("Reinstate: %(name)s")
    manage = reverse("cms_console:organization_manage", args=[organization.pk])
    # Suspending is a sanction (re-authenticated); reinstating lifts one.
    form = (forms.SuspendForm if suspend else forms.ReasonForm)(request.POST or None)
    call = lambda data: change(organization=organization, by=request.user,  # noqa: E731
                               reason=data["reason"])
    return form_action(
        request, form, reauthenticated(request, call) if suspend else call,
        success=done, done=manage, back=manage, title=title % {"name": organization.name},
        icon="group", danger=suspend, submit=_("Suspend") if suspend else _("Reinstate"),
        facts=_organization_facts(organization))


# --- Blacklist, appeals and credit repair -------------------------------------------------------


@denied(BLACKLIST)
def blacklist_list(request):
    status = request.GET.get("status") or BlacklistEntry.Status.ACTIVE
    if status not in BlacklistEntry.Status.values:
        status = BlacklistEntry.Status.ACTIVE
    page_obj = paginate(request, BlacklistEntry.objects.filter(status=status)
                        .select_related("organization"))
    rows = [{"cells": [cell(e.organization.name, reverse("cms_console:organization_manage",
                                                         args=[e.organization_id])),
                       cell(e.reason), cell(e.get_source_display()), cell(when(e.starts_at)),
                       cell(when(e.ends_at)), cell(e.get_status_display())],
             "actions": ([(_("Lift"), reverse("cms_console:blacklist_lift", args=[e.pk]))]
                         if e.status == BlacklistEntry.Status.ACTIVE else [])}
            for e in page_obj]
    return listing(request, title=_("Blacklist"), icon="lock", rows=rows, page_obj=page_obj,
                   headers=[_("Organization"), _("Reason"), _("Source"), _("Listed from"),
                            _("Listed until"), _("Status")],
                   filters=BlacklistEntry.Status.choices, current=status,
                   buttons=[(_("Add to the blacklist"), reverse("cms_console:blacklist_add")),
                            (_("Appeals and repair requests"),
                             reverse("cms_console:blacklist_requests"))])


@denied(BLACKLIST)
@require_http_methods(["GET", "POST"])
def blacklist_add(request):
    form = forms.BlacklistAddForm(request.POST or None,
                                  initial={"organization": request.GET.get("organization")})
    return form_action(
        request, form,
        reauthenticated(request, lambda data: services.blacklist_add(
            organization=data["organization"], reason=data["reason"], basis=data["basis"],
            ends_at=data["ends_at"], source=BlacklistEntry.Source.REGULATOR, by=request.user)),
        success=lambda data: _("%(name)s has been blacklisted.")
        % {"name": data["organization"].name},
        done=reverse("cms_console:blacklist"), title=_("Add to the blacklist"), icon="lock",
        danger=True, submit=_("Add to the blacklist"), back=reverse("cms_console:blacklist"))


@denied(BLACKLIST)
@require_http_methods(["GET", "POST"])
def blacklist_lift(request, pk: int):
    entry = get_object_or_404(BlacklistEntry.objects.select_related("organization"), pk=pk)
    return form_action(
        request, forms.ReasonForm(request.POST or None),
        lambda data: services.blacklist_lift(entry=entry, reason=data["reason"],
                                             by=request.user),
        success=_("The entry has been lifted."), done=reverse("cms_console:blacklist"),
        title=_("Lift a blacklist entry"), icon="lock-open", submit=_("Lift the entry"),
        back=reverse("cms_console:blacklist"), facts=_entry_facts(entry))


def _entry_facts(entry: BlacklistEntry) -> list:
    return [(_("Organization"), f"{entry.organization.name} ({entry.organization.uscc})"),
            (_("Reason"), entry.reason), (_("Basis"), entry.basis),
            (_("Listed from"), when(entry.starts_at)), (_("Listed until"), when(entry.ends_at)),
            (_("Status"), entry.get_status_display())]


@denied(BLACKLIST)
def blacklist_requests(request):
    appeals, repairs = selectors.pending_appeals(), selectors.pending_repairs()
    rows = [{"cells": [cell(_("Appeal")), cell(a.organization.name), cell(a.entry.reason),
                       cell(a.text[:200]), cell(when(a.submitted_at))],
             "actions": [(_("Decide"), reverse("cms_console:appeal_decide", args=[a.pk]))]}
            for a in appeals]
    rows += [{"cells": [cell(_("Credit repair")), cell(r.organization.name),
                        cell(r.entry.reason), cell(r.text[:200]), cell(when(r.submitted_at))],
              "actions": [(_("Decide"), reverse("cms_console:repair_decide", args=[r.pk]))]}
             for r in repairs]
    return listing(request, title=_("Appeals and repair requests"), icon="help", rows=rows,
                   headers=[_("Request"), _("Organization"), _("Entry"), _("Statement"),
                            _("Submitted")],
                   buttons=[(_("Blacklist"), reverse("cms_console:blacklist"))])


def _decide(request, *, obj, kind, title, call, success):
    requests = reverse("cms_console:blacklist_requests")
    return form_action(
        request, forms.DecisionForm(request.POST or None),
        lambda data: call(data["decision"], data["reply"]), success=success, done=requests,
        title=title, icon="help", back=requests, submit=_("Record the decision"),
        facts=[*_entry_facts(obj.entry), (_("Statement"), obj.text),
               (_("Submitted"), when(obj.submitted_at))],
        files=[(e.original_name, reverse("ratings:evidence", args=[kind, e.pk]))
               for e in obj.evidence.all()])


@denied(BLACKLIST)
@require_http_methods(["GET", "POST"])
def appeal_decide(request, pk: int):
    appeal = get_object_or_404(BlacklistAppeal.objects.select_related(
        "entry__organization"), pk=pk)
    return _decide(request, obj=appeal, kind="appeal", title=_("Decide an appeal"),
                   call=lambda upheld, reply: services.appeal_decide(
                       appeal=appeal, upheld=upheld, reply=reply, by=request.user),
                   success=_("Appeal decided."))


@denied(BLACKLIST)
@require_http_methods(["GET", "POST"])
def repair_decide(request, pk: int):
    repair = get_object_or_404(CreditRepairRequest.objects.select_related(
        "entry__organization"), pk=pk)
    return _decide(request, obj=repair, kind="repair", title=_("Decide a credit repair request"),
                   call=lambda approved, reply: services.repair_decide(
                       request=repair, approved=approved, reply=reply, by=request.user),
                   success=_("Credit repair request decided."))
