"""Reads of webhook endpoints and deliveries for pages and the API. An endpoint of another
organization is "not found" (404), as if it did not exist."""

from django.db.models import QuerySet

from marketplace.accounts.models import Organization
from marketplace.actors import acting_organization
from marketplace.errors import NotFound
from marketplace.webhooks.models import Delivery, Endpoint


def endpoints_of(organization: Organization) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(organization=organization).order_by("id")


def endpoint_of_user(user, pk: int) -> Endpoint:
    """The endpoint `pk` when it belongs to the user's organization (the services then ask
    whether the user administers it); NotFound otherwise."""
    organization = acting_organization(user)
    endpoint = (Endpoint.objects.select_related("organization")
                .filter(pk=pk, organization=organization).first()
                if organization is not None else None)
    if endpoint is None:
        raise NotFound()
    return endpoint


def deliveries_of(endpoint: Endpoint) -> QuerySet[Delivery]:
    return endpoint.deliveries.select_related("event").order_by("-created_at", "-id")


def delivery_of(endpoint: Endpoint, pk: int) -> Delivery:
    delivery = endpoint.deliveries.filter(pk=pk).first()
    if delivery is None:
        raise NotFound()
    return delivery
