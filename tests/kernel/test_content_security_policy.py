"""Content-Security-Policy (issue 13 §2): enforced on every response, scripts from our origin
only; none of our templates has an inline script, event handler, javascript: URL or inline
style; the console's Wagtail widgets start without inline scripts; violations are reported to
/csp-report/, which answers 204 to anything and never fails."""

import json
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput, AdminPageChooser

from tests.factories.accounts import log_in_verified
from tests.factories.ratings import regulator_user

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"


def directives(response) -> dict[str, list[str]]:
    policy = response[HEADER]
    return {name: rest for name, *rest in (part.split() for part in policy.split(";"))}


def assert_scripts_from_our_origin_only(response):
    policy = directives(response)
    assert policy["script-src"] == ["'self'"], policy["script-src"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["report-uri"] == ["/csp-report/"]


@pytest.mark.parametrize("path", ["/accounts/login/", "/projects/", "/api/docs/"])
def test_every_page_is_served_under_the_policy(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert_scripts_from_our_origin_only(response)
    assert directives(response)["frame-ancestors"] == ["'none'"]
    assert "Content-Security-Policy-Report-Only" not in response  # enforced, not only reported


def test_api_answers_and_error_pages_carry_the_policy_too(client):
    api = client.get("/api/v1/regions/")
    missing_page = client.get("/no-such-page/")
    missing_api = client.get("/api/v1/no-such-endpoint/")

    assert api.status_code == 200 and api["Content-Type"].startswith("application/json")
    assert missing_page.status_code == 404
    assert missing_api.status_code == 404
    for response in (api, missing_page, missing_api):
        assert_scripts_from_our_origin_only(response)


def test_the_console_may_frame_its_previews_and_have_style_elements_nothing_more(client):
    log_in_verified(client, regulator_user())

    response = client.get("/console/")

    assert response.status_code == 200
    assert_scripts_from_our_origin_only(response)
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'self'"]
    # Draftail's <style> elements; style attributes stay refused (style-src-attr: style-src).
    assert policy["style-src-elem"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'"]
    assert "style-src-attr" not in policy


def test_wagtails_preview_pass_leaves_the_policy_to_the_real_request(rf):
    """Page.make_preview_request runs the middleware again on a dummy request for the page's
    own URL; the console request around it must set the policy (frame-ancestors 'self')."""
    from django.http import HttpResponse

    from marketplace.csp import PathPolicyMiddleware

    middleware = PathPolicyMiddleware(lambda request: HttpResponse("page"))
    dummy = rf.get("/")
    dummy.is_dummy = True
    inner = middleware(dummy)
    outer = middleware(rf.get("/console/pages/3/edit/preview/"))

    assert HEADER not in inner
    assert "frame-ancestors 'self'" in outer[HEADER]


# --- Our templates ---------------------------------------------------------------------------
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*application/(?:ld\+)?json)",
                           re.IGNORECASE)
FINDINGS = {
    "inline <script>": INLINE_SCRIPT,
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "inline style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE),
    "inline <style> element": re.compile(r"<style\b", re.IGNORECASE),
}


def our_templates() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return sorted(p for p in root.glob("*/templates/**/*.html")
                  if p.relative_to(root).parts[0] not in {".venv", "node_modules"})


def inline_code(text: str) -> list[tuple[int, str]]:
    found = []
    for kind, pattern in FINDINGS.items():
        for match in pattern.finditer(text):
            found.append((text.count("\n", 0, match.start()) + 1, kind))
    return found


def test_the_template_scan_finds_each_kind_of_inline_code():
    sample = ('<a href="#" onclick="window.print()">x</a>\n<script>alert(1)</script>\n'
              '<a href="javascript:history.back()">b</a>\n<p style="color: red">s</p>\n'
              '<style>p{}</style>\n<script src="/static/x.js"></script>\n'
              '<script type="application/json" id="d">{}</script>')

    assert sorted(inline_code(sample)) == [
        (1, "event handler attribute"), (2, "inline <script>"), (3, "javascript: URL"),
        (4, "inline style attribute"), (5, "inline <style> element")]


def test_no_template_of_ours_has_inline_script_handlers_or_styles():
    templates = our_templates()
    assert len(templates) > 50  # the scan does see the apps' templates
    problems = [f"{path.relative_to(settings.BASE_DIR)}:{line}: {kind}"
                for path in templates
                for line, kind in inline_code(path.read_text(encoding="utf-8"))]

    assert problems == [], "\n".join(problems)


# --- The console's Wagtail widgets -----------------------------------------------------------
def assert_no_inline_script(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), html


def test_the_consoles_date_pickers_start_from_data_not_an_inline_script():
    html = AdminDateInput().render("ends_on", None, {"id": "id_ends_on"})
    html += AdminDateTimeInput().render("ends_at", None, {"id": "id_ends_at"})

    assert_no_inline_script(html)
    calls = re.findall(r'data-console-init="(\w+)">(\[.*?\])</script>', html)
    assert [name for name, _ in calls] == ["initDateChooser", "initDateTimeChooser"]
    assert json.loads(calls[0][1])[0] == "id_ends_on"


def test_the_consoles_choosers_start_from_data_not_an_inline_script():
    html = AdminPageChooser().render("page", None, {"id": "id_page"})

    assert_no_inline_script(html)
    call = re.search(r'data-console-init="PageChooser">(\[.*?\])</script>', html)
    assert call is not None, html
    assert json.loads(call.group(1))[0] == "id_page"


def test_the_api_docs_start_swagger_ui_from_a_file(client):
    page = client.get("/api/docs/").content.decode()
    script = client.get("/api/docs/?script")

    assert_no_inline_script(page)
    assert "<style" not in page
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# --- The report endpoint ---------------------------------------------------------------------
REPORT = {"csp-report": {
    "document-uri": "https://market.example.cn/projects/",
    "violated-directive": "script-src-elem",
    "effective-directive": "script-src-elem",
    "blocked-uri": "inline",
    "line-number": 12,
    "disposition": "enforce",
}}


def test_a_browsers_violation_report_is_logged_and_answered_204(client, caplog):
    with caplog.at_level(logging.WARNING, logger="marketplace.csp"):
        response = client.post("/csp-report/", json.dumps(REPORT),
                               content_type="application/csp-report")

    assert response.status_code == 204
    assert "effective-directive=script-src-elem" in caplog.text
    assert "document-uri=https://market.example.cn/projects/" in caplog.text


def test_a_reporting_api_batch_is_logged_too(client, caplog):
    batch = [{"type": "csp-violation", "body": {"documentURL": "https://x.cn/a/",
                                                 "effectiveDirective": "style-src-attr",
                                                 "blockedURL": "inline"}}]
    with caplog.at_level(logging.WARNING, logger="marketplace.csp"):
        response = client.post("/csp-report/", json.dumps(batch),
                               content_type="application/reports+json")

    assert response.status_code == 204
    assert "effective-directive=style-src-attr" in caplog.text


@pytest.mark.parametrize("body, content_type", [
    (b"", "application/csp-report"),
    (b"not json at all", "application/csp-report"),
    (b"\xff\xfe\x00garbage", "application/octet-stream"),
    (b'{"csp-report": "a string"}', "application/json"),
    (b"[1, 2, null, {\"body\": 3}]", "application/json"),
    (b"12345678901234567890", "application/json"),
    (b"a=1&b=2", "application/x-www-form-urlencoded"),
])
def test_junk_sent_to_the_report_endpoint_is_answered_204_and_logs_no_violation(
        client, caplog, body, content_type):
    with caplog.at_level(logging.WARNING, logger="marketplace.csp"):
        response = client.post("/csp-report/", body, content_type=content_type)

    assert response.status_code == 204
    assert "CSP violation" not in caplog.text


def test_an_oversized_report_is_not_read(client, caplog):
    huge = json.dumps({"csp-report": {"blocked-uri": "x" * 100_000}})
    with caplog.at_level(logging.WARNING, logger="marketplace.csp"):
        response = client.post("/csp-report/", huge, content_type="application/csp-report")

    assert response.status_code == 204
    assert "ignored" in caplog.text
    assert "CSP violation" not in caplog.text


def test_the_report_endpoint_takes_only_posts(client):
    assert client.get("/csp-report/").status_code == 405
