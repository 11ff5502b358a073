"""The console is Chinese for a Chinese user and calls nothing on the internet.

Wagtail's Chinese is used (LANGUAGE_CODE zh-hans → Wagtail's `zh_Hans` catalogs), but Wagtail
8.0.1's catalog translates only about 70% of the admin's strings; the rest came out in English
("Search all pages…", "Sort by … in ascending order."). Our supplement
(`marketplace/locale_wagtail`) translates every string Wagtail's own catalog lacks, and the links
to Wagtail's English guides are gone. The console's credit pages say the organization's standing
(never 正常 for a blacklisted one) and the blacklist form says what it does."""

import datetime as dt
from pathlib import Path

import pytest
import wagtail
from django.conf import settings
from django.test import Client
from django.utils import timezone

from ratings import services
from ratings.models import BlacklistEntry
from tests.factories.accounts import log_in_verified
from tests.kernel.test_translation_catalog import _entries

pytestmark = pytest.mark.django_db
S = "/console/supervision"
WAGTAIL = Path(wagtail.__file__).parent
# The Wagtail apps installed here (settings.INSTALLED_APPS) with their own catalogs.
WAGTAIL_APPS = ["admin", "contrib/forms", "contrib/redirects", "contrib/settings",
                "contrib/simple_translation", "contrib/table_block",
                "contrib/typed_table_block", "documents", "embeds", "images", ".", "locales",
                "search", "sites", "snippets", "users"]
SUPPLEMENT = Path(settings.LOCALE_PATHS[1]) / "zh_Hans" / "LC_MESSAGES"


def _translated(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {e["strings"]["msgid"] for e in _entries(path)
            if any(v for k, v in e["strings"].items() if k.startswith("msgstr"))}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_wagtail_admin_string_has_a_chinese_translation(domain):
    ours = _translated(SUPPLEMENT / f"{domain}.po")
    missing = []
    for app in WAGTAIL_APPS:
        english = WAGTAIL / app / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        if not english.exists():
            continue
        wagtails = _translated(WAGTAIL / app / "locale" / "zh_Hans" / "LC_MESSAGES"
                               / f"{domain}.po")
        missing += [e["strings"]["msgid"] for e in _entries(english)
                    if e["strings"]["msgid"] not in wagtails | ours]
    assert missing == []


def test_the_console_speaks_the_sites_languages_only():
    assert settings.WAGTAILADMIN_PERMITTED_LANGUAGES == settings.LANGUAGES
    assert settings.LANGUAGE_CODE == "zh-hans"


@pytest.fixture
def console(console_regulator) -> Client:
    client = Client()
    client.cookies["django_language"] = "zh-hans"
    log_in_verified(client, console_regulator)
    return client


def test_the_dashboard_is_chinese_and_has_no_english_guide(console, console_regulator):
    console_regulator.email = "regulator@example.cn"
    console_regulator.save()
    html = console.get("/console/").content.decode()
    assert "搜索全部页面…" in html and "Search all pages" not in html
    assert "editor guide" not in html and "guide.wagtail.org" not in html
    assert "What's new" not in html


def test_no_avatar_or_update_check_comes_from_the_internet(console, console_regulator):
    console_regulator.email = "regulator@example.cn"
    console_regulator.save()
    for url in ("/console/", "/console/account/"):
        html = console.get(url).content.decode()
        assert "gravatar.com" not in html, url
        assert "releases.wagtail.io" not in html, url


def test_the_account_page_offers_our_languages_and_time_zone(console):
    html = console.get("/console/account/").content.decode()
    assert "简体中文" in html and "localtime" not in html
    assert "Theme preferences" not in html and "主题偏好" in html


def test_listings_sort_in_chinese(console, agency):
    html = console.get(f"{S}/organizations/").content.decode()
    assert "按“名称”升序排列。" in html and "in ascending order" not in html


@pytest.fixture
def entry(agency, console_regulator):
    return services.blacklist_add(organization=agency, reason="提供虚假材料", basis="决定书",
                                  source="regulator", by=console_regulator,
                                  ends_at=timezone.now() + dt.timedelta(days=200))


def test_the_organization_list_shows_the_blacklisting_not_normal(console, agency, entry):
    html = console.get(f"{S}/organizations/?kind=agency").content.decode()
    day = timezone.localtime(entry.ends_at).strftime("%Y-%m-%d")
    assert f"黑名单（至 {day}）" in html
    assert "<td>正常</td>" not in html.replace(" ", "").replace("\n", "")
    manage = console.get(f"{S}/organizations/{agency.pk}/manage/").content.decode()
    assert 'data-standing="blacklisted"' in manage and f"黑名单（至 {day}）" in manage
    inspect = console.get(f"/console/supervision/organizations/inspect/{agency.pk}/")
    assert f"黑名单（至 {day}）" in inspect.content.decode()


def test_the_blacklist_calls_an_entry_in_force_in_force(console, entry):
    assert entry.get_status_display() != "正常"
    html = console.get(f"{S}/blacklist/").content.decode()
    assert "生效中" in html and ">正常<" not in html


def test_the_blacklist_form_marks_the_reason_and_says_what_it_does(console):
    html = console.get(f"{S}/blacklist/new/").content.decode()
    reason = html[html.index('for="id_reason"'):]
    assert reason[:200].count('class="w-required-mark"') == 1
    assert '<button type="submit" class="button no">列入黑名单</button>' in html
    header = html[html.index("<header"):html.index("</header>")]
    assert "#icon-cross" not in header and "#icon-lock" in header


def test_a_blank_reason_is_refused_by_the_form_with_the_services_words(console, agency):
    response = console.post(f"{S}/blacklist/new/", {
        "organization": agency.uscc, "reason": "", "basis": "",
        "ends_at": (timezone.localtime() + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200
    assert "请填写列入黑名单的理由。" in response.content.decode()
    assert not BlacklistEntry.objects.exists()
