"""A tour: one person's browser session through the live site, checked at every step.

A journey moves with the page as a user would (`goto`, clicks, form fills) and calls
`tour.check("what the step is")` whenever a new page is on screen. `check` runs the automatic
checks of `tests.e2e.checks` at desktop and phone width and writes full-page screenshots under
`var/screenshots/`. When the test ends, the fixture fails it if any check found something or if
any page the browser showed was never checked.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation

from tests.e2e import checks

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}
# After a resize: the next frame, then the end of the transitions it started (Wagtail's sidebar
# slides the console's content into place), at most a second, endless animations skipped; then
# two more frames, for what redraws on a ResizeObserver in the following frame (Chart.js).
_SETTLED_JS = """
() => {
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  return frame().then(() => Promise.race([
    Promise.all(document.getAnimations()
      .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
      .map(a => a.finished.catch(() => null))),
    new Promise(r => setTimeout(r, 1000)),
  ])).then(frame).then(frame);
}
"""


def _slug(text: str, limit: int = 60) -> str:
    return re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE).strip("-")[:limit] or "page"


@dataclass
class Tour:
    """One browser context (its own cookies) acting as one person in one language."""

    context: object
    page: object
    base_url: str
    who: str
    language: str
    shots: Path
    findings: list[str] = field(default_factory=list)
    navigated: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    steps: int = 0
    accessibility: bool = True
    names: set[str] = field(default_factory=set)  # user names shown as they are

    @property
    def chinese(self) -> bool:
        return self.language == "zh-hans"

    def t(self, message: str) -> str:
        """The catalog's wording of `message` in this tour's language, as the page shows it."""
        with translation.override(self.language):
            return translation.gettext(message)

    # -- moving --------------------------------------------------------------------------------
    def goto(self, path: str, label: str | None = None):
        self.page.goto(self.base_url + path)
        if label:
            self.check(label)
        return self.page

    def login(self, username: str, password: str) -> None:
        """The login page; a user with an authenticator app goes on to the code step, where
        the tour types the code the app would show (tests.factories.accounts.fresh_code)."""
        self.names.add(username)
        self.goto("/accounts/login/", "login page")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(password)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_load_state()
        if urlsplit(self.page.url).path == "/accounts/login/code/":
            self.check("login code step")
            self.page.locator("#id_otp_code").fill(self._code(username))
            self.page.locator("main form button[type=submit]").click()
            self.page.wait_for_load_state()
        self.check("after login")

    def reauthenticate(self, username: str, password: str) -> None:
        """Fill a grave act's password and code fields (a sanction, a signature)."""
        self.page.locator("#id_password").fill(password)
        self.page.locator("#id_otp_code").fill(self._code(username))

    @staticmethod
    def _code(username: str) -> str:
        from django.contrib.auth import get_user_model

        from tests.factories.accounts import fresh_code

        return fresh_code(get_user_model().objects.get(username=username))

    def submit(self, label: str, button: str | None = None, form: str = "main form") -> None:
        """Click a form's submit button (by its visible name when given) and check the result."""
        scope = self.page.locator(form)
        target = (scope.get_by_role("button", name=button) if button
                  else scope.locator("button[type=submit]"))
        with self.page.expect_navigation():
            target.first.click()
        self.check(label)

    def text(self) -> str:
        return self.page.locator("main").inner_text()

    # -- checking ------------------------------------------------------------------------------
    def check(self, label: str) -> None:
        """Run every automatic check on the page on screen and screenshot it at both widths."""
        page = self.page
        page.wait_for_load_state()
        self.steps += 1
        url = page.url
        self.checked.add(url)
        where = f"[{self.who} {self.language}] step {self.steps} '{label}' {self._path(url)}"
        stem = f"{self.steps:02d}-{_slug(label)}"
        for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            page.evaluate(_SETTLED_JS)
            found = checks.overflow_findings(page) + checks.squeezed_findings(page)
            self.findings += [f"{where} at {size['width']}px: {f}" for f in found]
            page.screenshot(path=str(self.shots / f"{stem}-{name}.png"), full_page=True)
        self.findings += [f"{where}: {f}" for f in checks.csp_findings(page)]
        texts = checks.visible_texts(page)
        self.findings += [f"{where}: {f}" for f in
                          checks.text_findings(texts, chinese=self.chinese, names=self.names)]
        if self.accessibility:
            self.findings += [f"{where}: {f}" for f in checks.accessibility_findings(page)]

    def check_policy(self, label: str) -> None:
        """Only the Content-Security-Policy (and, at the end, the console) on a page whose
        wording and markup are another project's (Django's admin, Swagger UI); one screenshot."""
        page = self.page
        page.wait_for_load_state()
        self.steps += 1
        self.checked.add(page.url)
        where = f"[{self.who} {self.language}] step {self.steps} '{label}' {self._path(page.url)}"
        page.screenshot(path=str(self.shots / f"{self.steps:02d}-{_slug(label)}.png"),
                        full_page=True)
        self.findings += [f"{where}: {f}" for f in checks.csp_findings(page)]

    def _path(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def unchecked_pages(self) -> list[str]:
        return sorted({self._path(u) for u in self.navigated if u not in self.checked})


class TourGuide:
    """Opens tours for a test and collects what they found."""

    def __init__(self, browser, base_url: str, test_name: str):
        self.browser = browser
        self.base_url = base_url
        self.root = SCREENSHOTS / _slug(test_name, 160)
        shutil.rmtree(self.root, ignore_errors=True)
        self.tours: list[Tour] = []
        self.outside_requests: list[str] = []
        self.console_errors: list[str] = []
        self.csp_messages: list[str] = []

    def open(self, who: str, language: str = "zh-hans") -> Tour:
        context = self.browser.new_context(locale=LOCALES[language], viewport=DESKTOP,
                                           timezone_id="Asia/Shanghai", accept_downloads=True)
        # Nothing may come from another host: record it and refuse it (the test fails).
        local = re.compile(r"^(?!" + re.escape(self.base_url) + r")https?://")
        context.route(local, self._refuse_outside)
        # Every page runs under the Content-Security-Policy: any violation fails the test.
        context.add_init_script(checks.CSP_LISTENER_JS)
        page = context.new_page()
        shots = self.root / f"{who}-{language}"
        shots.mkdir(parents=True, exist_ok=True)
        tour = Tour(context=context, page=page, base_url=self.base_url, who=who,
                    language=language, shots=shots)
        page.on("framenavigated",
                lambda frame: frame == page.main_frame and tour.navigated.append(frame.url))
        page.on("console", lambda message: self._console(who, page, message))
        page.on("pageerror", lambda error: self.console_errors.append(
            f"[{who}] uncaught {error} at {page.url}"))
        self.tours.append(tour)
        return tour

    def _console(self, who: str, page, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_messages.append(f"[{who}] {message.text} at {page.url}")
        elif message.type == "error":
            self.console_errors.append(f"[{who}] {message.text} at {page.url}")

    def _refuse_outside(self, route) -> None:
        self.outside_requests.append(route.request.url)
        route.abort()

    def problems(self) -> list[str]:
        found = []
        for tour in self.tours:
            found += tour.findings
            found += [f"[{tour.who}] page shown but never checked: {p}"
                      for p in tour.unchecked_pages()]
        found += [f"request to another host: {url}" for url in self.outside_requests]
        found += [f"console error: {text}" for text in self.console_errors]
        found += [f"Content-Security-Policy: {text}" for text in self.csp_messages]
        return found

    def pages_checked(self) -> int:
        return sum(tour.steps for tour in self.tours)

    def distinct_pages(self) -> list[str]:
        """The pages checked, as URL shapes (numbers as <id>, without the query string)."""
        return sorted({re.sub(r"/\d+(?=/)", "/<id>", urlsplit(url).path)
                       for tour in self.tours for url in tour.checked})

    def close(self) -> None:
        for tour in self.tours:
            tour.context.close()
