import pytest

from marketplace import search
from tests.factories.accounts import member_of


@pytest.fixture
def agency_staff(agency):
    return member_of(agency, role="staff")


@pytest.fixture
def indexed(monkeypatch):
    """Records search.index_later calls instead of enqueueing them (indexing itself belongs to
    the search app; here we only check that providers asks for a reindex)."""
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(search, "index_later", lambda doc_type, pk: calls.append((doc_type, pk)))
    return calls
