"""The China-specific "shared identity" indicator (CN01; Cardinal has none): two or more
agencies bidding on one opened project that share a contact phone, e-mail or address, or whose
bids were submitted from the same IP address (`bidding.client`). Every bid counted was submitted
within the bidding period (the platform refuses others). Agencies paid out into the same bank
account (Stripe's fingerprints of their connected accounts' bank accounts,
`StripeAccount.bank_fingerprints`) count too; the fingerprint itself is never shown. The
browser fingerprint (a keyed hash of the user agent) is shown as supporting evidence only:
many people use the same browser version, so on its own it would flag half the market
(docs/decisions.md)."""

from django.db.models import Count

from contracts.models import StripeAccount
from marketplace.accounts.models import Organization
from ratings.models.redflags import Indicator, RedFlagParty
from ratings.redflags.indicators import Finding, chunks, submitted_bids

# What is compared, and where: the bid's own column or its agency's public contact details.
SHARED = {"ip": "client_ip", "phone": "agency__phone", "email": "agency__email",
          "address": "agency__address"}


def _groups(field: str) -> dict[tuple[int, str], set[int]]:
    """(project, value) → the agencies sharing it, where two or more do."""
    bids = submitted_bids().exclude(**{f"{field}__isnull": True})
    if field == "client_ip":
        # The bids of the projects with such a group (a subquery, not a list of ids).
        shared = (bids.order_by().values("project_id", field)
                  .annotate(agencies=Count("agency_id", distinct=True)).filter(agencies__gte=2)
                  .values("project_id"))
        sources = [bids.filter(project_id__in=shared)]
    else:
        # Only an agency whose contact detail another organization also has can be in a
        # group: the bids of those few agencies, not the whole market's, a batch at a time.
        column = field.removeprefix("agency__")
        values = (Organization.objects.exclude(**{column: ""}).order_by().values(column)
                  .annotate(n=Count("pk")).filter(n__gte=2).values(column))
        agencies = list(Organization.objects.filter(**{f"{column}__in": values})
                        .order_by("pk").values_list("pk", flat=True))
        sources = [bids.filter(agency_id__in=batch) for batch in chunks(agencies)]
    every: dict[tuple[int, str], set[int]] = {}
    for rows in sources:
        for project, value, agency in rows.values_list("project_id", field, "agency_id"):
            every.setdefault((project, value), set()).add(agency)
    return {group: agencies for group, agencies in every.items() if len(agencies) >= 2}


def _bank_groups() -> list[tuple[int, list[int]]]:
    """(project, agencies) for each set of two or more bidders on one project whose Stripe
    accounts share a bank account fingerprint (the same set once, however many accounts it
    shares). Only agencies sharing a fingerprint with another agency are read bid by bid."""
    holders: dict[str, set[int]] = {}
    for agency, prints in (StripeAccount.objects.exclude(bank_fingerprints=[])
                           .values_list("organization_id", "bank_fingerprints")):
        for fingerprint in prints if isinstance(prints, list) else []:
            holders.setdefault(fingerprint, set()).add(agency)
    shared = [agencies for agencies in holders.values() if len(agencies) >= 2]
    candidates = sorted({agency for agencies in shared for agency in agencies})
    bidders: dict[int, set[int]] = {}
    for batch in chunks(candidates):
        for project, agency in (submitted_bids().filter(agency_id__in=batch).order_by()
                                .values_list("project_id", "agency_id").distinct()):
            bidders.setdefault(agency, set()).add(project)
    groups: set[tuple[int, tuple[int, ...]]] = set()
    for agencies in shared:
        per_project: dict[int, set[int]] = {}
        for agency in agencies:
            for project in bidders.get(agency, ()):
                per_project.setdefault(project, set()).add(agency)
        groups.update((project, tuple(sorted(together)))
                      for project, together in per_project.items() if len(together) >= 2)
    return [(project, list(together)) for project, together in sorted(groups)]


def _same_browser(projects: set[int]) -> dict[int, int]:
    """Per project, how many agencies share a browser fingerprint with another bidder."""
    found: dict[int, int] = {}
    for batch in chunks(sorted(projects)):
        rows = (submitted_bids().filter(project_id__in=batch).exclude(client_agent_hash="")
                .order_by().values("project_id", "client_agent_hash")
                .annotate(agencies=Count("agency_id", distinct=True)).filter(agencies__gte=2)
                .values_list("project_id", "agencies"))
        for project, agencies in rows:
            found[project] = found.get(project, 0) + agencies
    return found


def cn01_shared_identity() -> list[Finding]:
    per_project: dict[int, list[dict]] = {}
    for what, field in SHARED.items():
        for (project, value), agencies in _groups(field).items():
            per_project.setdefault(project, []).append(
                {"what": what, "value": str(value), "agencies": sorted(agencies)})
    for project, agencies in _bank_groups():
        per_project.setdefault(project, []).append(
            {"what": "bank_account", "value": "", "agencies": agencies})
    browsers = _same_browser(set(per_project))
    findings = []
    for project, shared in sorted(per_project.items()):
        agencies = sorted({a for item in shared for a in item["agencies"]})
        shared.sort(key=lambda item: (item["what"], item["value"], item["agencies"]))
        findings.append(Finding(Indicator.CN01, f"project:{project}", project,
                                [(a, RedFlagParty.Role.BIDDER) for a in agencies],
                                {"shared": shared,
                                 "same_browser_agencies": browsers.get(project, 0)}))
    return findings
