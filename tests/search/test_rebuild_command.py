"""manage.py search_rebuild."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from marketplace.search import registry
from marketplace.search.models import SearchEntry
from tests.search.conftest import TEST_TYPE, search

pytestmark = pytest.mark.django_db


def rebuild(*args) -> str:
    out = StringIO()
    call_command("search_rebuild", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_rebuilds_one_type_from_the_database(make_agency):
    orgs = [make_agency(f"重庆测绘{n}院", index=False) for n in range(3)]
    output = rebuild("--type", TEST_TYPE)
    assert f"{TEST_TYPE}: 3 indexed (DatabaseBackend)" in output
    assert set(search("测绘")) == {org.pk for org in orgs}


def test_rebuilds_every_registered_type_without_arguments(make_agency, org_type, monkeypatch):
    # Only our type: the apps' own types are theirs to test.
    monkeypatch.setattr(registry, "_registry", {TEST_TYPE: org_type})
    make_agency("重庆测绘院", index=False)
    assert f"{TEST_TYPE}: 1 indexed" in rebuild()
    assert SearchEntry.objects.filter(doc_type=TEST_TYPE).count() == 1


def test_nothing_registered_is_said_and_is_no_error(monkeypatch):
    monkeypatch.setattr(registry, "_registry", {})
    assert "No search document types are registered" in rebuild()


def test_an_unknown_type_is_refused_with_the_known_ones(org_type):
    with pytest.raises(CommandError, match=f"Unknown document type.*{TEST_TYPE}"):
        rebuild("--type", "nope")


def test_shows_a_progress_bar(make_agency, capsys):
    make_agency("重庆测绘院", index=False)
    call_command("search_rebuild", "--type", TEST_TYPE, stdout=StringIO())
    assert "1/1" in capsys.readouterr().err
