"""Inbox and e-mail notices of contract events, sent by the `contracts.notify` task after
commit, in the platform's default language."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contracts.clock import time_limit_clock
from contracts.models import Contract
from marketplace.accounts.models import Organization
from marketplace.formatting.moments import local_minute
from marketplace.notifications.services import notify
from marketplace.notifications.text import as_sentence

User = get_user_model()


def _send(contract: Contract, organization_ids, title, body, kind: str) -> int:
    users = list(User.objects.filter(membership__organization_id__in=set(organization_ids),
                                     is_active=True))
    notify(users=users, title=title, body=body,
           url=reverse("contracts:detail", args=[contract.pk]), kind=f"contracts.{kind}")
    return len(users)


def _both(contract: Contract) -> list[int]:
    return [contract.owner_id, contract.agency_id]


def _drawn_up(contract: Contract, **_ids) -> int:
    return _send(contract, _both(contract),
                 _("Contract ready to sign: %(title)s") % {"title": contract.project.title},
                 _("The contract was drawn up from the final award. An administrator of each "
                   "party signs it online by %(deadline)s; a party that does not sign in time "
                   "is recorded as refusing to sign.")
                 % {"deadline": local_minute(contract.signing_deadline)}, "drawn_up")


def _signed(contract: Contract, party: str = "", **_ids) -> int:
    other = contract.agency_id if party == Contract.Party.OWNER else contract.owner_id
    return _send(contract, [other],
                 _("The other party signed: %(title)s") % {"title": contract.project.title},
                 _("Sign the contract by %(deadline)s.")
                 % {"deadline": local_minute(contract.signing_deadline)}, "signed")


def _refused(contract: Contract, party: str = "", **_ids) -> int:
    other = contract.agency_id if party == Contract.Party.OWNER else contract.owner_id
    return _send(contract, [other],
                 _("The other party refused to sign: %(title)s") % {
                     "title": contract.project.title},
                 _("The contract will not come into force."), "refused")


def regulators_of(contract: Contract) -> list[int]:
    """Who stands for the item's competent department on the platform: the active regulators
    of the project's region and those without a region (municipal level). The department
    itself is a published name in the catalogue, not an account (docs/decisions.md, 17 §3)."""
    return list(Organization.objects.filter(
        Q(region_id=contract.project.region_id) | Q(region__isnull=True),
        kind=Organization.Kind.REGULATOR, status=Organization.Status.ACTIVE,
    ).values_list("pk", flat=True))


def _time_limit(contract: Contract, kind: str, title, body) -> int:
    clock = time_limit_clock(contract, now=timezone.now())
    facts = {"title": contract.project.title, "limit": contract.time_limit_days,
             "department": contract.competent_department or _("its competent department"),
             "remaining": clock.remaining_days if clock else "",
             "overdue": clock.overdue_days if clock else ""}
    return _send(contract, _both(contract) + regulators_of(contract), title % facts,
                 body % facts, kind)


def _time_limit_near(contract: Contract, **_ids) -> int:
    return _time_limit(
        contract, "time_limit_near", _("Time limit nearly reached: %(title)s"),
        _("This monopoly service item must be completed within %(limit)s days on the service "
          "clock, the limit set by %(department)s; %(remaining)s days remain."))


def _time_limit_overrun(contract: Contract, **_ids) -> int:
    return _time_limit(
        contract, "time_limit_overrun", _("Time limit overrun: %(title)s"),
        _("The %(limit)s-day time limit set by %(department)s for this monopoly service item "
          "has run out; it is recorded in the agency's credit record and shown to the "
          "regulators."))


def _simple(kind: str, title, body: Callable[[Contract], str]) -> Callable[..., int]:
    def send(contract: Contract, **_ids) -> int:
        return _send(contract, _both(contract),
                     title() % {"title": contract.project.title}, body(contract), kind)

    return send


EVENTS: dict[str, Callable[..., int]] = {
    "drawn_up": _drawn_up,
    "time_limit_near": _time_limit_near,
    "time_limit_overrun": _time_limit_overrun,
    "signed": _signed,
    "refused": _refused,
    "active": _simple("active", lambda: _("Contract in force: %(title)s"),
                      lambda c: _("Both parties signed; the service clock is running.")),
    "lapsed": _simple("lapsed", lambda: _("Contract not signed in time: %(title)s"),
                      lambda c: _("The signing window closed on %(deadline)s without both "
                                  "signatures.") % {"deadline": local_minute(c.signing_deadline)}),
    "lapsed_sanction": _simple(
        "lapsed", lambda: _("Contract lapsed: %(title)s"),
        lambda c: _("The agency may no longer sign (%(reason)s); the award passes to the next "
                    "bid.") % {"reason": c.lapse_reason}),
    "sanction_review": _simple(
        "sanction_review", lambda: _("The agency of a contract in force was sanctioned: "
                                     "%(title)s"),
        lambda c: _("%(reason)s The owner decides whether to continue the contract or "
                    "terminate it; until then no new delivery is accepted.")
        % {"reason": as_sentence(c.sanction_reviews.order_by("-opened_at", "-id").first()
                                 .reason)}),
    "sanction_continued": _simple(
        "sanction_continued", lambda: _("The owner continues the contract: %(title)s"),
        lambda c: _("Despite the agency's sanction, the owner chose to continue; the work "
                    "and deliveries go on.")),
    "suspended": _simple("suspended", lambda: _("Work suspended: %(title)s"),
                         lambda c: c.suspensions.order_by("-started_at").first().reason),
    "resumed": _simple("resumed", lambda: _("Work resumed: %(title)s"),
                       lambda c: _("The service clock is running again.")),
    "delivered": _simple("delivered", lambda: _("Work delivered: %(title)s"),
                         lambda c: c.deliveries.order_by("-delivered_at", "-id").first().note),
    "rejected": _simple("rejected", lambda: _("Delivery rejected: %(title)s"),
                        lambda c: c.deliveries.order_by("-delivered_at", "-id").first().reason),
    "completed": _simple("completed", lambda: _("Work accepted: %(title)s"),
                         lambda c: _("The owner accepted the delivery; the contract is "
                                     "completed.")),
    "terminated": _simple("terminated", lambda: _("Contract terminated: %(title)s"),
                          lambda c: c.termination_reason),
}


def send(event: str, *, contract_id: int, **ids) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        contract = Contract.objects.select_related("project").get(pk=contract_id)
        return EVENTS[event](contract, **ids)
