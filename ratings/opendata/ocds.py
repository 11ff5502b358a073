"""The OCDS 1.1 release package of the published projects (one release per project: its current
state, tagged after the project's states).

Sealed bids stay sealed: bids are read only through `bidding.selectors` as an anonymous viewer,
which yields nothing before opening; before opening the package says only how many bids there
are (public at any time). Parties are identified by their USCC under the org-id scheme of
`MARKETPLACE_OCDS_ORG_SCHEME`; ocids are `OCDS_OCID_PREFIX` + "-" + project id.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from bidding import selectors as bidding_selectors
from bidding.models import Award, Project
from marketplace.accounts.models import Organization

OCDS_VERSION = "1.1"
CURRENCY = "CNY"
BID_EXTENSION = ("https://raw.githubusercontent.com/open-contracting-extensions/"
                 "ocds_bid_extension/v1.1.5/extension.json")
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

TENDER_STATUS = {
    Project.Status.BIDDING: "active",
    Project.Status.EVALUATING: "active",
    Project.Status.PUBLICITY: "complete",
    Project.Status.AWARDED: "complete",
    Project.Status.FAILED: "unsuccessful",
    Project.Status.CANCELLED: "cancelled",
}
AWARD_CRITERIA = {
    Project.Method.LOWEST_PRICE: "priceOnly",
    Project.Method.COMPREHENSIVE: "ratedCriteria",
    Project.Method.RANDOM: "randomDraw",
    Project.Method.DIRECT: "buyerChoice",
}
# In the release's language (zh), whatever the request's.
FUNDING_SOURCE = {
    Project.FundingSource.GOVERNMENT_BUDGET: "财政资金",
    Project.FundingSource.OWN_FUNDS: "自有资金",
    Project.FundingSource.OTHER: "其他",
}
CONTRACT_STATUS = {
    "awaiting_signatures": "pending",
    "active": "active",
    "delivered": "active",
    "completed": "terminated",  # OCDS: "terminated" = completed or ended early
    "terminated": "terminated",
    "lapsed": "cancelled",
}


def _contract_model():
    """`contracts.Contract` when the contracts app provides it; None degrades gracefully."""
    try:
        from contracts.models import Contract
    except ImportError:
        return None
    return Contract


def _contract_relation(contract) -> tuple[str, str]:
    """(query name, accessor) of the contract's `project` relation, whatever its
    related_name."""
    field = contract._meta.get_field("project")
    return field.related_query_name(), field.remote_field.get_accessor_name()


def iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if moment else None


def _amount(value: Decimal | None) -> dict | None:
    return None if value is None else {"amount": float(value), "currency": CURRENCY}


def ocid(project: Project) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{project.pk}"


def party_id(organization: Organization) -> str:
    return f"{settings.MARKETPLACE_OCDS_ORG_SCHEME}-{organization.uscc}"


def _party(organization: Organization, roles: set[str]) -> dict:
    party = {
        "id": party_id(organization),
        "name": organization.name,
        "identifier": {"scheme": settings.MARKETPLACE_OCDS_ORG_SCHEME, "id": organization.uscc,
                       "legalName": organization.name},
        "roles": sorted(roles),
    }
    if organization.region_id:
        party["address"] = {"region": organization.region.name, "countryName": "中国"}
    return party


def _ref(organization: Organization) -> dict:
    return {"id": party_id(organization), "name": organization.name}


def projects_queryset(*, since: dt.datetime | None = None) -> QuerySet[Project]:
    # Published projects with their live bid count, as every anonymous viewer sees them.
    projects = bidding_selectors.projects_for_viewer(None)
    contract = _contract_model()
    if since is not None:
        changed = (Q(updated_at__gte=since) | Q(published_at__gte=since)
                   | Q(opened_at__gte=since) | Q(awards__proposed_at__gte=since)
                   | Q(awards__finalized_at__gte=since) | Q(awards__cancelled_at__gte=since))
        if contract is not None:
            related = _contract_relation(contract)[0]
            for field in ("created_at", "activated_at", "delivered_at", "completed_at",
                          "terminated_at", "lapsed_at"):
                changed |= Q(**{f"{related}__{field}__gte": since})
        projects = projects.filter(pk__in=Project.objects.filter(changed).values("pk"))
    return (projects.select_related("owner__region", "service_item", "region")
            .prefetch_related(*release_prefetches()).order_by("id"))


def release_prefetches() -> list:
    """What `release` reads of many projects besides their rows, for `prefetch_related`:
    awards, amendments and contracts (as `ocds_contracts`)."""
    contract = _contract_model()
    prefetch = [Prefetch("awards", queryset=Award.objects.select_related(
        "bid__agency__region").order_by("proposed_at", "id")), "amendments"]
    if contract is not None:
        prefetch.append(Prefetch(
            _contract_relation(contract)[1], to_attr="ocds_contracts",
            queryset=contract.objects.select_related("agency")
            .prefetch_related("signatures__organization").order_by("created_at", "id")))
    return prefetch


def _planning(project: Project) -> dict:
    """Who pays (issue 17 §2): the budget line (or document number) as the budget's id, the
    funding source as its description, and the budget cap (also `tender.value`) as its amount."""
    budget = {"description": FUNDING_SOURCE.get(project.funding_source, project.funding_source),
              "amount": _amount(project.budget_cap)}
    if project.budget_reference:
        budget["id"] = project.budget_reference
    return {"budget": budget}


def _tags(project: Project, awards: list, contracts: list) -> list[str]:
    status = project.status
    if status == Project.Status.CANCELLED:
        tags = ["tenderCancellation"]
    elif status == Project.Status.BIDDING:
        tags = ["tenderAmendment"] if project.amendments.all() else ["tender"]
    else:
        tags = ["tenderUpdate"] if status in (Project.Status.EVALUATING,
                                              Project.Status.FAILED) else []
    if awards:
        standing = [a for a in awards if a.cancelled_at is None]
        tags.append("award" if standing else "awardCancellation")
    if contracts:
        latest = contracts[-1].status
        tags.append({"completed": "contractTermination", "terminated": "contractTermination",
                     "lapsed": "contractTermination"}.get(latest, "contract"))
    return tags or ["tenderUpdate"]


def _before(moment: dt.datetime | None, as_of: dt.datetime | None) -> bool:
    """`moment` happened, as seen at `as_of` (None: now)."""
    return moment is not None and (as_of is None or moment <= as_of)


def _tender_status(project: Project, as_of: dt.datetime | None) -> str | None:
    if as_of is None:
        return TENDER_STATUS.get(project.status)
    if _before(project.cancelled_at, as_of):
        return "cancelled"
    if not _before(project.opened_at, as_of):
        return "active"
    return TENDER_STATUS.get(project.status)


def _award_status(award, as_of: dt.datetime | None) -> str:
    if _before(award.cancelled_at, as_of):
        return "cancelled"
    return "active" if _before(award.finalized_at, as_of) else "pending"


def _contracts_of(project: Project, as_of: dt.datetime | None) -> list:
    contracts = getattr(project, "ocds_contracts", None)
    if contracts is None:
        contract = _contract_model()
        contracts = [] if contract is None else list(
            contract.objects.filter(project=project).select_related("agency")
            .prefetch_related("signatures__organization").order_by("created_at", "id"))
    return [c for c in contracts if _before(c.created_at, as_of)]


def release(project: Project, *, as_of: dt.datetime | None = None, tags: list | None = None,
            release_id: str | None = None, date: dt.datetime | None = None) -> dict:
    """The project as a release: as it stands, or as it stood at `as_of` (what had happened by
    then: amendments, opening, awards, contracts; the terms are the current ones). Without
    `tags`, `date` and `release_id` they are derived from the state (the snapshot package)."""
    awards = [a for a in project.awards.all() if _before(a.proposed_at, as_of)]
    amendments = [a for a in project.amendments.all() if _before(a.published_at, as_of)]
    contracts = _contracts_of(project, as_of)
    parties: dict[int, tuple[Organization, set[str]]] = {
        project.owner_id: (project.owner, {"buyer", "procuringEntity"})}
    opened = _before(project.opened_at, as_of)
    # Anonymous viewer: nothing before opening, the public columns after it. `ocds_bids`: read
    # beforehand for many projects (`bidding.selectors.public_bids_by_project`).
    bids = getattr(project, "ocds_bids", None)
    if bids is None:
        bids = (list(bidding_selectors.bids_for_viewer(project, None)
                     .select_related("agency__region")) if opened else [])
    for bid in bids:
        parties.setdefault(bid.agency_id, (bid.agency, set()))[1].add("tenderer")
    for award in awards:
        if not _before(award.cancelled_at, as_of):
            agency = award.bid.agency
            parties.setdefault(agency.pk, (agency, set()))[1].add("supplier")
    if date is None:
        dates = [project.updated_at, project.published_at, project.opened_at]
        for award in awards:
            dates += [award.proposed_at, award.finalized_at, award.cancelled_at]
        for contract in contracts:
            dates += [contract.created_at, contract.activated_at, contract.delivered_at,
                      contract.completed_at, contract.terminated_at, contract.lapsed_at]
        date = max(d for d in dates if d is not None)
    tender = {
        "id": str(project.pk),
        "title": project.title,
        "description": project.description,
        "status": _tender_status(project, as_of),
        "procuringEntity": _ref(project.owner),
        "items": [{
            "id": "1",
            "description": project.service_item.name,
            "classification": {"scheme": "X-ZJCS-SERVICE-ITEM", "id": project.service_item.code,
                               "description": project.service_item.name},
            "deliveryAddress": {"region": project.region.name, "countryName": "中国"},
        }],
        "value": _amount(project.budget_cap),
        "procurementMethod": "open",
        "procurementMethodDetails": project.get_selection_method_display(),
        "mainProcurementCategory": "services",
        "awardCriteria": AWARD_CRITERIA.get(project.selection_method),
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {"startDate": iso(project.published_at),
                         "endDate": iso(project.bid_deadline)},
        "amendments": [{"id": str(a.pk), "date": iso(a.published_at),
                        "rationale": a.reason} for a in amendments],
    }
    if opened:
        tender["numberOfTenderers"] = len({b.agency_id for b in bids})
    statistics = [{"id": "bids", "measure": "bids",
                   "value": bidding_selectors.bid_count(project) if not opened else len(bids),
                   "date": iso(date)}]
    if opened:
        statistics.append({"id": "validBids", "measure": "validBids",
                           "value": sum(1 for b in bids if b.valid), "date": iso(date)})
    release_bids = {"statistics": statistics}
    if opened:
        release_bids["details"] = [{
            "id": str(b.pk),
            "date": iso(b.sealed_at),
            "status": "valid" if b.valid else "disqualified",
            "tenderers": [_ref(b.agency)],
            "value": _amount(b.price),
        } for b in bids]
    release_id = release_id or f"{ocid(project)}-{int(date.timestamp())}"
    data = {
        "ocid": ocid(project),
        "id": release_id,
        "date": iso(date),
        "tag": tags or _tags(project, awards, contracts),
        "initiationType": "tender",
        "language": "zh",
        "parties": [_party(org, roles) for org, roles in
                    sorted(parties.values(), key=lambda p: p[0].pk)],
        "buyer": _ref(project.owner),
        "planning": _planning(project),
        "tender": tender,
        "bids": release_bids,
        "awards": [{
            "id": str(a.pk),
            "status": _award_status(a, as_of),
            "date": iso(a.proposed_at),
            "value": _amount(a.bid.price),
            "suppliers": [_ref(a.bid.agency)],
            "relatedBid": str(a.bid_id),  # the bids extension's cross reference
        } for a in awards],
    }
    if contracts:
        data["contracts"] = [_contract(c, as_of) for c in contracts]
    return data


def _contract_status(contract, as_of: dt.datetime | None) -> str | None:
    if as_of is None:
        return CONTRACT_STATUS.get(contract.status)
    if _before(contract.lapsed_at, as_of):
        return "cancelled"
    if _before(contract.completed_at, as_of) or _before(contract.terminated_at, as_of):
        return "terminated"
    return "active" if _before(contract.activated_at, as_of) else "pending"


def _contract(contract, as_of: dt.datetime | None = None) -> dict:
    signatures = [s for s in contract.signatures.all() if _before(s.signed_at, as_of)]
    data = {
        "id": str(contract.pk),
        "awardID": str(contract.award_id),
        "status": _contract_status(contract, as_of),
        "value": _amount(contract.price),
        # Each party's signature date (an extension field; the signed text's hash is public).
        "signatures": [{"id": s.organization.uscc,
                        "party": {"id": f"{settings.MARKETPLACE_OCDS_ORG_SCHEME}-"
                                  f"{s.organization.uscc}"},
                        "date": iso(s.signed_at)} for s in signatures],
    }
    if _before(contract.activated_at, as_of):
        data["dateSigned"] = iso(contract.activated_at)
        data["period"] = {"startDate": iso(contract.activated_at)}
        end = next((m for m in (contract.completed_at, contract.terminated_at)
                    if _before(m, as_of)), None)
        if end:
            data["period"]["endDate"] = iso(end)
        data["implementation"] = {"milestones": [_delivery_milestone(contract, as_of)]}
    return data


def _delivery_milestone(contract, as_of: dt.datetime | None) -> dict:
    """The delivery (交付) as the contract's one milestone: met once the owner accepted it."""
    # An OCDS milestone's status (a document's field, not one of our state machines).
    met = _before(contract.completed_at, as_of)
    state = ("met" if met else "notMet" if _before(contract.terminated_at, as_of)
             else "scheduled")
    milestone = {"id": "delivery", "title": "交付成果", "type": "delivery", "status": state}
    if met:
        milestone["dateMet"] = iso(contract.completed_at)
    if _before(contract.delivered_at, as_of):
        milestone["dateModified"] = iso(contract.delivered_at)
    return milestone


def release_package(*, uri: str, publication_policy: str,
                    since: dt.datetime | None = None, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": [BID_EXTENSION],
        "publishedDate": iso(now),
        "publisher": {"name": settings.WAGTAIL_SITE_NAME,
                      "uri": settings.WAGTAILADMIN_BASE_URL},
        "license": LICENSE,
        "publicationPolicy": publication_policy,
        "releases": [release(p) for p in projects_queryset(since=since)],
    }
