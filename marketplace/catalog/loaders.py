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


# The reference data names each service item's category in Chinese only; these are the English
# names shown when the site is in English (ServiceItem.display_category).
CATEGORY_NAMES_EN = {
    "交通": "Transport",
    "勘察设计": "Survey and design",
    "卫生": "Health",
    "咨询": "Consulting",
    "国土": "Land and resources",
    "地震": "Seismic safety",
    "安全": "Work safety",
    "审计": "Audit",
    "招标": "Tendering",
    "文物": "Cultural heritage",
    "林业": "Forestry",
    "检测": "Testing",
    "水利": "Water resources",
    "法律": "Legal",
    "测绘": "Surveying and mapping",
    "环境评价": "Environmental assessment",
    "监理": "Supervision",
    "综合": "General",
    "能源": "Energy",
    "规划": "Planning",
    "评估": "Appraisal",
    "造价": "Cost consulting",
}
