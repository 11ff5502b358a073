"""Forgotten passwords: a reset link by e-mail (Django's views, our pages and e-mail), which
never tells a stranger whether an address has an account."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.http import HttpRequest
from django.test import Client

from marketplace.accounts.models import UserSession
from marketplace.audit.models import AuditEntry
from tests.factories.accounts import PASSWORD, member_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Chongzhi-2026-mima"
RESET = "/accounts/password/reset/"


@pytest.fixture
def person(agency):
    return member_of(agency, username="zhangsan", email="zhangsan@qingyuan.example.cn")


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Ask for a reset link as a visitor would; the e-mail leaves after commit."""
    def ask(email, visitor=client, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return visitor.post(RESET, {"email": email}, **headers)
    return ask


def reset_link(message) -> str:
    return re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", message.body).group(0)


def main_of(response) -> str:
    page = response.content.decode()
    return page[page.index("<main"):page.index("</main>")]


def path_of(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_the_login_page_offers_the_forgotten_password_link_in_chinese(client):
    page = client.get("/accounts/login/").content.decode()

    assert f'href="{RESET}"' in page
    assert "忘记密码？" in page


def test_the_reset_page_asks_for_the_e_mail_in_chinese_and_english(english):
    assert "请输入账号的电子邮箱" in Client().get(RESET).content.decode()
    assert "Enter the e-mail address of your account" in english.get(RESET).content.decode()


def test_a_known_address_gets_a_link_that_sets_a_new_password(client, person, ask):
    response = ask("ZhangSan@qingyuan.example.cn")

    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/sent/"
    assert [m.to for m in mail.outbox] == [[person.email]]
    page = client.get(path_of(reset_link(mail.outbox[0])), follow=True)
    assert "设置新密码" in page.content.decode()
    done = client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD,
                                                   "new_password2": NEW_PASSWORD}, follow=True)
    assert "新密码已设置" in done.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="user.password_reset", actor=person).exists()


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, person, ask):
    known = ask(person.email)
    known_page = main_of(client.get(known.url))
    mail.outbox.clear()

    unknown = ask("nobody@nowhere.example.cn")

    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert main_of(client.get(unknown.url)) == known_page
    assert "如果有账号使用您填写的地址" in known_page
    assert mail.outbox == []


def test_a_deactivated_account_gets_no_link(person, ask):
    get_user_model().objects.filter(pk=person.pk).update(is_active=False)

    ask(person.email)

    assert mail.outbox == []


def test_the_e_mail_is_in_chinese_names_the_account_and_says_how_long_it_works(person, ask):
    ask(person.email)

    message = mail.outbox[0]
    assert "设置新密码" in message.subject
    assert "zhangsan" in message.body
    assert "72 小时" in message.body
    assert "如果这不是您的操作" in message.body


def test_the_e_mail_is_in_english_for_an_english_visitor(english, person, ask):
    ask(person.email, visitor=english)

    message = mail.outbox[0]
    assert "Choose a new password" in message.subject
    assert "for the account zhangsan" in message.body


def test_the_link_points_at_the_site_and_not_at_the_host_the_request_named(person, ask,
                                                                           settings):
    settings.ALLOWED_HOSTS = ["*"]

    ask(person.email, HTTP_HOST="attacker.example.com")

    link = reset_link(mail.outbox[0])
    assert link.startswith(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/")
    assert "attacker" not in mail.outbox[0].body


def test_a_link_works_only_once(client, person, ask):
    ask(person.email)
    link = path_of(reset_link(mail.outbox[0]))
    form = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = Client().get(link, follow=True).content.decode()

    assert "此链接无法使用" in again
    assert 'name="new_password1"' not in again


def test_a_weak_new_password_is_refused_on_the_form(client, person, ask):
    ask(person.email)
    form = client.get(path_of(reset_link(mail.outbox[0])), follow=True).redirect_chain[-1][0]

    response = client.post(form, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_setting_the_new_password_logs_out_every_session(client, person, ask):
    elsewhere = Client()
    elsewhere.login(request=HttpRequest(), username=person.username, password=PASSWORD)
    assert elsewhere.get("/workspace/").status_code == 200
    ask(person.email)
    form = client.get(path_of(reset_link(mail.outbox[0])), follow=True).redirect_chain[-1][0]

    client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert elsewhere.get("/workspace/").status_code == 302
    assert not UserSession.objects.filter(user=person).exists()
    assert "_auth_user_id" not in client.session  # the new password is not a login


def test_a_logged_in_user_who_resets_in_the_same_browser_is_logged_out_cleanly(client, person,
                                                                              ask):
    client.login(request=HttpRequest(), username=person.username, password=PASSWORD)
    ask(person.email)
    form = client.get(path_of(reset_link(mail.outbox[0])), follow=True).redirect_chain[-1][0]

    done = client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                       follow=True)

    assert done.status_code == 200
    assert "新密码已设置" in done.content.decode()
    assert client.get("/workspace/").status_code == 302
