"""Pieces every app's event data shares, so an organization or a link reads the same in every
event (docs/webhooks.md "Events")."""

from django.conf import settings


def link(path: str) -> str:
    """The absolute address of a page of the site."""
    return settings.MARKETPLACE_SITE_URL.rstrip("/") + path


def organization(org) -> dict:
    return {"id": org.pk, "name": org.name, "uscc": org.uscc}
