"""The Wagtail site in both languages at the same URLs, its menu, search, and that the Django
pages keep their stable URLs."""

import pytest
from wagtail.models import Locale

from cms.models import AnnouncementPage, HelpPage, NoticePage
from demo.site import GUIDES, NOTICES, seed_site
from tests.factories.bidding import published_project
from tests.factories.cms import help_page, home, notice, notice_index, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    index = notice_index()
    translated = notice(index, title="关于平台上线的通知", summary="平台上线", text="正式运行")
    untranslated = notice(index, title="关于信用办法的通知", text="信用评价规则")
    guides = help_page(home(), title="帮助中心", slug="help", show_in_menus=True)
    guide = help_page(guides, title="如何竞价", slug="how-to-bid", text="报价密封")
    translate(home(), title="Marketplace")
    translate(index, title="Notices")
    translate(translated, title="The platform goes live", summary="Live",
              body=[("paragraph", "<p>Open from today</p>")])
    translate(guides, title="Help")
    translate(guide, title="How to bid", body=[("paragraph", "<p>Bids are sealed</p>")])
    return {"index": index, "translated": translated, "untranslated": untranslated,
            "guides": guides, "guide": guide}


def test_a_notice_renders_in_chinese_and_in_english_at_one_url(client, english, site):
    url = site["translated"].url
    assert url.startswith("/notices/")
    assert site["translated"].get_translation(
        Locale.objects.get(language_code="en")).url == url
    chinese = client.get(url)
    assert chinese.status_code == 200 and "正式运行" in chinese.content.decode()
    page = english.get(url).content.decode()
    assert "The platform goes live" in page and "Open from today" in page


def test_an_untranslated_page_is_served_in_chinese_rather_than_404(english, site):
    response = english.get(site["untranslated"].url)
    assert response.status_code == 200
    assert "信用评价规则" in response.content.decode()


def test_a_draft_translation_does_not_hide_the_published_page(english, site):
    draft = site["untranslated"].copy_for_translation(Locale.objects.get(language_code="en"))
    assert not draft.live
    response = english.get(site["untranslated"].url)
    assert response.status_code == 200 and "信用评价规则" in response.content.decode()


def test_the_notice_index_lists_every_notice_in_the_visitors_language(client, english, site):
    listing = english.get("/notices/").content.decode()
    assert "The platform goes live" in listing and "关于信用办法的通知" in listing
    assert "关于平台上线的通知" not in listing
    chinese = client.get("/notices/").content.decode()
    assert "关于平台上线的通知" in chinese and "关于信用办法的通知" in chinese


def test_help_pages_list_their_guides(client, english, site):
    assert "如何竞价" in client.get("/help/").content.decode()
    page = english.get("/help/").content.decode()
    assert "How to bid" in page
    assert "Bids are sealed" in english.get("/help/how-to-bid/").content.decode()


def test_the_announcements_entry_has_an_english_name_before_any_translation(client, english):
    assert 'href="/announcements/">公告<' in client.get("/projects/").content.decode()
    assert 'href="/announcements/">Announcements<' in english.get("/projects/").content.decode()


def test_the_menu_is_managed_in_wagtail(client, english, site):
    chinese = client.get("/projects/").content.decode()
    assert 'href="/announcements/"' in chinese and 'href="/notices/">通知公告<' in chinese
    assert 'href="/help/">帮助中心<' in chinese
    assert 'href="/help/">Help<' in english.get("/projects/").content.decode()
    site["guides"].show_in_menus = False
    site["guides"].save_revision().publish()
    assert 'href="/help/"' not in client.get("/projects/").content.decode()


@pytest.mark.parametrize("url", ["/", "/projects/", "/agencies/", "/accounts/login/",
                                 "/accounts/register/agency/", "/accounts/register/owner/",
                                 "/announcements/", "/search/?q=x"])
def test_the_stable_urls_still_work_in_both_languages(client, english, site, url):
    assert client.get(url).status_code == 200
    assert english.get(url).status_code == 200


def test_a_project_page_keeps_its_url_and_language_cookie(english, site):
    project = published_project()
    response = english.get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_switching_language_returns_to_the_same_page(client, site):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/notices/"})
    assert response.status_code == 302 and response["Location"] == "/notices/"
    assert "Notices" in client.get("/notices/").content.decode()


def test_site_search_finds_pages_in_chinese_and_english(client, english, site):
    found = client.get("/search/", {"q": "竞价"})
    assert [p.pk for p in found.context["page_obj"]] == [site["guide"].pk]
    english_results = english.get("/search/", {"q": "sealed"})
    titles = [p.title for p in english_results.context["page_obj"]]
    assert titles == ["How to bid"]


def test_seed_content_is_complete_and_idempotent(client, english):
    seed_site()
    seed_site()
    default = Locale.get_default()
    assert NoticePage.objects.filter(locale=default).count() == len(NOTICES) == 3
    assert HelpPage.objects.filter(locale=default).count() == len(GUIDES) + 1
    assert HelpPage.objects.filter(locale__language_code="en").count() == len(GUIDES) + 1
    assert home().body  # the live blocks
    page = client.get("/").content.decode()
    assert 'data-block="market_figures"' in page and 'data-block="closing_projects"' in page
    assert "How credit works" in english.get("/help/").content.decode()
    assert "信用如何计算" in client.get("/help/how-credit-works/").content.decode()
    assert 'href="/announcements/">Announcements<' in english.get("/").content.decode()


def test_announcements_show_in_english_under_the_translated_index(english, committed):
    seed_site()
    with committed():
        project = published_project()
    url = AnnouncementPage.objects.get(source_id=project.pk, kind="procurement").url
    response = english.get(url)
    assert response.status_code == 200
    assert "Procurement announcement" in response.content.decode()
    assert project.title in english.get("/announcements/").content.decode()
