"""What bidding announces to organizations' webhook endpoints (marketplace.webhooks; event
bodies in docs/webhooks.md). Called inside the services' transactions: delivered after commit.
"""

from bidding.models import Award, Bid, Project
from bidding.notices import matching_agencies
from marketplace.webhooks.delivery import emit, listening
from marketplace.webhooks.events import Event
from marketplace.webhooks.payload import link, organization


def _project(project: Project) -> dict:
    return {"id": project.pk, "title": project.title, "status": project.status,
            "service_item": project.service_item.code, "region": project.region.code,
            "owner": organization(project.owner), "budget_cap": project.budget_cap,
            "selection_method": project.selection_method,
            "bid_deadline": project.bid_deadline, "url": link(project.get_absolute_url())}


def project_published(project: Project) -> None:
    """To the agencies whose service scope and region match (the same agencies the new-project
    alert goes to: offering the item; in the project's region when they asked for that)."""
    emit(Event.PROJECT_PUBLISHED, {"project": _project(project)},
         organizations=matching_agencies(project))


def bids_opened(project: Project, bids: list[Bid]) -> None:
    """Each bidding agency hears its own bid's result; nobody else's. One query finds the
    agencies that listen; only those get an event."""
    bids_opened_many([(project, bids)])


def bids_opened_many(opened: list[tuple[Project, list[Bid]]]) -> None:
    """`bids_opened` for several projects opened together: still one query for the listeners."""
    listeners = listening(Event.BID_OPENED, organizations={
        bid.agency_id for _project, bids in opened for bid in bids})
    for project, bids in opened:
        for bid in bids:
            if bid.agency_id not in listeners:
                continue
            emit(Event.BID_OPENED, {"project": _project(project), "bid": {
                "id": bid.pk, "valid": bid.valid, "invalid_reason": bid.invalid_reason,
                "rank": bid.rank, "price": bid.price, "discount_rate": bid.discount_rate,
                "abnormally_low": bid.abnormally_low, "receipt": bid.receipt}},
                organizations=[bid.agency_id])


def award_decided(event: Event, project: Project, award: Award) -> None:
    """`award.proposed` / `award.final`: to the owner and every agency that bid."""
    bidders = (Bid.objects.filter(project=project, status__in=Bid.LIVE_STATUSES)
               .values_list("agency_id", flat=True))
    emit(event, {"project": _project(project), "award": {
        "id": award.pk, "bid": award.bid_id, "agency": organization(award.bid.agency),
        "price": award.bid.price, "publicity_ends_at": award.publicity_ends_at,
        "final": award.final}}, organizations=[project.owner_id, *bidders])
