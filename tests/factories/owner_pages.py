"""Helpers for the owner's pages: a logged-in browser client and the project form's data."""

import datetime as dt

from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.factories.bidding import ITEM_CODE, user_of


def browser_as(organization=None, *, user=None) -> Client:
    """A test client in English (the pages' texts are asserted), logged in when asked."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    user = user or (user_of(organization) if organization is not None else None)
    if user is not None:
        client.force_login(user)
    return client


def local_input(moment: dt.datetime) -> str:
    """A datetime as the browser's `datetime-local` input sends it (site time zone)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def project_form_data(*, deadline: dt.datetime, method: str = "lowest_price",
                      exclusions=(), **overrides) -> dict:
    data = {
        "title": "某区污水管网工程环境影响评价", "service_item": ITEM_CODE,
        "description": "编制环境影响报告表并取得批复。", "region": "500103",
        "budget_cap": "100000.00", "selection_method": method,
        "bid_deadline": local_input(deadline), "min_bidders": "3",
        "min_grade": "", "weight_price": "60", "weight_credit": "20",
        "weight_commitment": "20", "quote_format": "amount", "discount_rate_min": "",
        "discount_rate_max": "", "complaint_contact": "",
        "exclusions-TOTAL_FORMS": str(max(2, len(exclusions))),
        "exclusions-INITIAL_FORMS": "0", "exclusions-MIN_NUM_FORMS": "0",
        "exclusions-MAX_NUM_FORMS": "1000",
    }
    for i in range(max(2, len(exclusions))):
        agency, reason = exclusions[i] if i < len(exclusions) else ("", "")
        data[f"exclusions-{i}-agency"] = agency
        data[f"exclusions-{i}-reason"] = reason
    data.update(overrides)
    return data
