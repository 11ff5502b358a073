"""Loading the reference data the product ships (used by the data migrations)."""

import datetime as dt
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_json(name: str) -> list[dict]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def chinese_calendar_exceptions() -> dict[int, list[tuple[dt.date, bool, str]]]:
    """Per year, the days that differ from Monday-Friday, as `chinesecalendar` publishes them."""
    import chinese_calendar

    by_year: dict[int, list[tuple[dt.date, bool, str]]] = {}
    for day, name in chinese_calendar.holidays.items():
        if day.weekday() < 5:
            by_year.setdefault(day.year, []).append((day, False, HOLIDAY_NAMES_ZH.get(name, name)))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:
            by_year.setdefault(day.year, []).append((day, True, HOLIDAY_NAMES_ZH.get(name, name)))
    return by_year
