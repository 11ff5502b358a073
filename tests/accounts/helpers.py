"""Registration data and counters the account tests share."""

from django.contrib.auth import get_user_model

from marketplace.accounts.models import Membership, Organization
from marketplace.audit.models import AuditEntry
from tests.factories.accounts import make_uscc

STRONG_PASSWORD = "Qiaoliang-2026-secure"


def registration_data(**overrides) -> dict:
    """What a person types on the registration page (and sends to the API)."""
    data = {
        "name": "重庆清源环境咨询有限公司",
        "uscc": make_uscc(7001),
        "region": "500103",
        "contact_name": "李明",
        "phone": "023-63001234",
        "email": "liming@qingyuan.example.cn",
        "username": "qingyuan_admin",
        "password": STRONG_PASSWORD,
    }
    data.update(overrides)
    return data


def owner_registration_data(**overrides) -> dict:
    data = registration_data(
        name="重庆市渝中区交通局", uscc=make_uscc(7002), username="yuzhong_jt",
        email="jt@yuzhong.example.cn", owner_kind="government",
    )
    data.update(overrides)
    return data


def counts() -> dict:
    """Everything a registration creates, counted; a refused one must leave these unchanged."""
    return {
        "organizations": Organization.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }
