"""Money is shown one way everywhere (¥525,400.00) and dates one way per language."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from marketplace.formatting.money import format_money

MOMENT = dt.datetime(2026, 3, 2, 9, 30, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("525400"), "¥525,400.00"), ("186000.00", "¥186,000.00"),
    (Decimal("0.5"), "¥0.50"), (Decimal("-1200"), "-¥1,200.00"), (None, "—"), ("", "—"),
])
def test_money_has_the_sign_the_thousands_separators_and_two_decimals(value, shown):
    assert format_money(value) == shown


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_money_reads_the_same_in_both_languages(language):
    with translation.override(language):
        assert Template("{{ v|money }}").render(Context({"v": Decimal("120000")})) == \
            "¥120,000.00"


@pytest.mark.parametrize(("language", "shown"), [
    ("zh-hans", "2026-03-02 09:30 · 2026-03-02 · 2026-03-02 09:30:05"),
    ("en", "2 Mar 2026, 09:30 · 2 Mar 2026 · 2 Mar 2026 09:30:05"),
])
def test_dates_have_one_format_per_language(language, shown):
    template = Template('{{ m|date:"SHORT_DATETIME_FORMAT" }} · {{ m|date:"SHORT_DATE_FORMAT" }}'
                        ' · {{ m|precise }}')
    with translation.override(language):
        assert template.render(Context({"m": MOMENT})) == shown


def test_no_template_spells_out_its_own_date_format_or_currency_sign():
    """Templates use the per-language formats and |money, never a format of their own."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.glob("*/**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if '|date:"Y' in text or "|date:'Y" in text or "¥{{" in text or "|intcomma" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
