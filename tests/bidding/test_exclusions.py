"""Conflict-of-interest exclusions (回避)."""

import pytest

from bidding import services
from bidding.errors import CannotBid
from tests.bidding.conftest import api_as
from tests.conftest import client_for
from tests.factories.accounts import RegulatorFactory, member_of
from tests.factories.bidding import bid

pytestmark = pytest.mark.django_db


@pytest.fixture
def excluded(project, agencies):
    project.exclusions.create(agency=agencies[0], reason="法定代表人为业主近亲属")
    return agencies[0]


def test_an_excluded_agency_cannot_bid_and_is_told_why(project, excluded):
    with pytest.raises(CannotBid) as refused:
        bid(project, excluded)
    assert "法定代表人为业主近亲属" in str(refused.value.message)
    assert refused.value.status_code == 403
    assert refused.value.code == "bid.not_eligible"


def test_other_agencies_bid_as_usual(project, excluded, agencies):
    assert bid(project, agencies[1]).pk


@pytest.mark.parametrize(("role", "sees"), [("owner", True), ("regulator", True),
                                            ("agency", False), ("anonymous", False)])
def test_exclusions_are_shown_to_the_owner_and_regulators(project, excluded, agencies,
                                                          api_client, role, sees):
    client = {"owner": lambda: api_as(project.owner),
              "regulator": lambda: client_for(member_of(RegulatorFactory())),
              "agency": lambda: api_as(agencies[1]), "anonymous": lambda: api_client}[role]()
    body = client.get(f"/api/v1/projects/{project.pk}/").json()
    if sees:
        assert body["exclusions"] == [{"agency": excluded.pk, "agency_name": excluded.name,
                                       "reason": "法定代表人为业主近亲属"}]
    else:
        assert body["exclusions"] is None


def test_exclusions_must_name_agencies_with_reasons(db):
    from marketplace.errors import DomainError
    from tests.factories.accounts import OwnerFactory
    from tests.factories.bidding import ProjectFactory, user_of

    draft = ProjectFactory()
    with pytest.raises(DomainError) as refused:
        services.project_update(project=draft, by=user_of(draft.owner),
                                exclusions=[(OwnerFactory(), "不是中介")])
    assert refused.value.code == "invalid"
