"""`manage.py seed_demo` builds a small demo market through the services, idempotently."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from demo.management.commands.seed_demo import DEMO_PASSWORD
from marketplace.accounts.models import Membership, Organization
from marketplace.audit.models import AuditEntry
from marketplace.audit.services import verify_chain

pytestmark = pytest.mark.django_db


LOGINS = ["regulator", "owner1", "owner2", "owner3", *(f"agency{n}" for n in range(1, 7))]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "organizations": Organization.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }


def test_seed_demo_creates_owners_agencies_and_a_regulator():
    seed()

    owners = Organization.objects.filter(kind=Organization.Kind.OWNER)
    assert sorted(owners.values_list("owner_kind", flat=True)) == [
        "enterprise", "government", "institution"]
    agencies = Organization.objects.filter(kind=Organization.Kind.AGENCY)
    assert agencies.count() == 6
    assert agencies.values("region").distinct().count() >= 4  # several districts
    assert Organization.objects.filter(kind=Organization.Kind.REGULATOR).count() == 1
    assert all(o.status == Organization.Status.ACTIVE for o in Organization.objects.all())


def test_every_demo_login_works_with_the_demo_password(client):
    seed()

    for username in LOGINS:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD), username
        assert user.membership.role == Membership.Role.ADMIN
    assert client.login(request=HttpRequest(), username="agency1", password="demo-pass-2026")
    assert client.get("/workspace/").status_code == 200


def test_it_goes_through_the_services_so_the_audit_log_has_it_all():
    seed()

    assert AuditEntry.objects.filter(action="organization.registered").count() == 9
    assert AuditEntry.objects.filter(action="regulator.account_created").count() == 1
    assert verify_chain().ok


def test_seed_demo_prints_the_logins_table():
    output = seed()

    assert DEMO_PASSWORD in output
    for username in LOGINS:
        assert username in output


def test_running_again_creates_nothing_new():
    seed()
    before = snapshot()

    seed()

    assert snapshot() == before


def test_once_does_nothing_when_already_seeded():
    seed("--once")
    before = snapshot()

    output = seed("--once")

    assert snapshot() == before
    assert "already" in output
    assert "agency1" in output  # the logins are still shown


def test_once_on_an_empty_database_seeds():
    seed("--once")

    assert get_user_model().objects.filter(username__in=LOGINS).count() == len(LOGINS)


def test_a_partial_earlier_run_is_completed():
    seed()
    get_user_model().objects.filter(username="regulator").delete()

    seed("--once")  # the marker is missing, so it runs, and only the regulator is new

    assert get_user_model().objects.filter(username="regulator").exists()
    assert Organization.objects.filter(kind=Organization.Kind.AGENCY).count() == 6


def test_the_demo_regulator_has_the_documented_authenticator_key():
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from demo.management.commands.seed_demo import DEMO_TOTP_SECRET

    out = seed()
    device = TOTPDevice.objects.get(user__username="regulator", confirmed=True)
    assert device.bin_key == b32decode(DEMO_TOTP_SECRET)
    assert DEMO_TOTP_SECRET in out
    seed()  # idempotent: still one device
    assert TOTPDevice.objects.filter(user__username="regulator").count() == 1
