"""Pages are in Simplified Chinese by default and switch to English (DESIGN §5)."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_home_page_renders_in_chinese_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "重庆市网上中介服务超市" in page  # the Chinese introduction of the home page
    assert 'href="/accounts/register/agency/"' in page


def test_home_page_switches_to_english_through_setlang(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.url == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Agencies join with zero threshold" in page


def test_switching_back_to_chinese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_the_browser_language_is_honoured(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="en">' in page


def test_an_unsupported_language_falls_back_to_chinese(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<html lang="zh-hans">' in page


def test_every_page_offers_the_language_switch(client):
    page = client.get("/accounts/login/").content.decode()

    assert 'action="/i18n/setlang/"' in page
    # Each language is offered in its own name, the current one marked.
    assert re.search(r'name="language"\s+value="en" lang="en">English</button>', page)
    assert re.search(r'value="zh-hans" lang="zh-hans" aria-current="true">简体中文</button>', page)


def test_home_page_lists_service_items_in_the_chosen_language(client):
    assert "环境影响评价（报告书）" in client.get("/").content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert "Environmental impact assessment (report)" in client.get("/").content.decode()
