"""Every refusal has a stable machine-readable code beside its translated message, and the API
answers it as `code` beside `detail` (or beside the field errors)."""

import re

import pytest
from rest_framework.test import APIClient

from marketplace.errors import DomainError, NotAllowed, NotFound, StateConflict

CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)*$")


def all_domain_errors() -> list[type[DomainError]]:
    import django.apps  # noqa: F401  (every app's errors are imported with the apps)

    found, todo = [], [DomainError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_domain_error_class_has_a_well_formed_code():
    for cls in all_domain_errors():
        assert CODE.match(cls.code), cls


def test_the_base_classes_name_their_kind_of_refusal():
    assert (DomainError().code, NotAllowed().code, NotFound().code, StateConflict().code) == (
        "invalid", "not_allowed", "not_found", "state.conflict")


def test_a_raise_site_may_name_a_more_precise_code_without_changing_the_status():
    error = StateConflict("…", code="bid.deadline_passed")
    assert (error.code, error.status_code) == ("bid.deadline_passed", 409)


@pytest.mark.django_db
def test_drf_refusals_carry_their_own_code():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] in ("not_authenticated", "authentication_failed")
    assert "detail" in response.json()
