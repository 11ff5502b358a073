"""The permission matrix (issue 13 §2): every route of the URL conf, requested as every role
(anonymous, another agency, the bidding agency, the owner, another owner, a regulator, an
editor) on objects that belong to the owner and the bidder, answers as permission_table.py
declares; a route without a declaration, or a declaration without a route, fails."""

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from marketplace.accounts.second_factor import second_factor_required
from tests.factories.accounts import log_in_verified
from tests.kernel.permission_table import (
    CONFLICT,
    FORBIDDEN,
    GROUPS,
    LOGIN,
    METHOD,
    OK,
    OURS_UNDER_GROUPS,
    PATHS,
    REFUSED,
    TABLE,
    UNNAMED,
)
from tests.kernel.permission_world import ROLES, build_world

LOGIN_PATHS = ("/accounts/login/", "/console/login/", "/django-admin/login/", "/_util/login/")
CONSOLE_HOME = "/console/"
WRITE_METHODS = ("post", "put", "patch", "delete")


def walk(patterns=None, prefix="", namespaces=()):
    """Every route of the URL conf: (its full pattern, its name with namespaces, its view)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), spaces)
        elif isinstance(entry, URLPattern):
            name = ":".join(namespaces + (entry.name,)) if entry.name else None
            yield prefix + str(entry.pattern), name, entry.callback


ROUTES = list(walk())
VIEWS = {name: callback for _pattern, name, callback in ROUTES if name}


def group_of(pattern: str, name: str | None) -> str | None:
    if name and name.startswith(OURS_UNDER_GROUPS):
        return None
    return next((key for key, group in GROUPS.items() if pattern.startswith(group.prefix)),
                None)


def write_methods(name: str) -> list[str]:
    """The API view's own write methods (POST for a page, whose form posts)."""
    view_class = getattr(VIEWS[name], "cls", None)
    if view_class is None:
        return ["post"]
    return [m for m in WRITE_METHODS if hasattr(view_class, m)] or ["post"]


def _get_cases():
    for name, route in TABLE.items():
        for role in ROLES:
            yield pytest.param(name, role, route.get[role], id=f"{name}|{role}|GET")


def _write_cases():
    for name, route in TABLE.items():
        if name not in VIEWS:
            continue
        writers = route.writers()
        for role in ROLES:
            if role in writers:
                continue
            for method in write_methods(name):
                marks = ()
                if (role, method) in route.xfail:
                    marks = pytest.mark.xfail(strict=True, reason=route.xfail[role, method])
                yield pytest.param(name, role, method, marks=marks,
                                   id=f"{name}|{role}|{method.upper()}")


def _probe_cases():
    for key, group in GROUPS.items():
        for path, outcomes in group.probes.items():
            for role in ROLES:
                yield pytest.param(key, path, role, outcomes[role], id=f"{path}|{role}|GET")


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture
def _media_and_mail(settings, world_media):
    """Replaces tests/conftest.py's: the world's files live in the module's media folder."""
    settings.MEDIA_ROOT = world_media
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    """Built once in an outer transaction that each test's own (a savepoint) nests in, and
    rolled back after the module."""
    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=world_media, CELERY_TASK_ALWAYS_EAGER=True,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            world["sessions"] = _sessions(world["users"])
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def tally(record_property):
    """The request's route and outcome class; tests/conftest.py sums them into one line."""
    answer = {}
    record_property("permission_matrix", answer)  # filled in during the call
    return answer


def _sessions(users: dict) -> dict:
    """Each role's session, opened once with the world (a login per request would double the
    matrix's time); every test's client presents it."""
    sessions = {}
    for role, user in users.items():
        if user is not None:
            client = Client()
            if second_factor_required(user):
                log_in_verified(client, user)  # the console asks regulators for the code
            else:
                client.force_login(user)
            sessions[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return sessions


def client_as(world, role: str) -> Client:
    client = Client()
    if role in world["sessions"]:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    return client


def url_of(world, name: str) -> str:
    if name in PATHS:
        return PATHS[name]
    route = TABLE[name]
    values = [getattr(world[key], "pk", world[key]) for key in route.args]
    return reverse(name, args=values)


def outcome(client, response, hops: int = 0) -> str:
    """The class of an answer, a redirect followed (with a GET) to where it leads."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        target = response["Location"].split("?")[0]
        if target.startswith(LOGIN_PATHS):
            return LOGIN
        if target == CONSOLE_HOME and response.request["PATH_INFO"] != CONSOLE_HOME:
            return FORBIDDEN  # Wagtail refuses a console page with a redirect to its dashboard
        if hops >= 4:
            return f"redirect loop to {target}"
        return outcome(client, client.get(target), hops + 1)
    if status == 401:
        return LOGIN
    if 200 <= status < 300:
        return OK
    return str(status)


def _explain(name, role, method, expected, actual, url) -> str:
    return f"{name} as {role}: {method} {url} answered {actual!r}, declared {expected!r}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "expected"), list(_get_cases()))
def test_route_answers_each_role_as_declared(world, tally, name, role, expected):
    if name not in VIEWS:
        pytest.skip(f"{name} is not in the URL conf (test_every_declaration_names_a_route)")
    client = client_as(world, role)
    url = url_of(world, name)
    actual = outcome(client, client.get(url))
    tally.update(route=name, outcome=f"GET {actual}")
    assert actual == expected, _explain(name, role, "GET", expected, actual, url)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "method"), list(_write_cases()))
def test_write_is_refused_to_each_role_that_may_not(world, tally, name, role, method):
    """An empty body as a role that may not write: refused before any validation (a 400
    here would tell an outsider the permission check comes after the form's)."""
    client = client_as(world, role)
    url = url_of(world, name)
    response = getattr(client, method)(url, content_type="application/json") \
        if name.startswith("api:") else getattr(client, method)(url)
    actual = outcome(client, response)
    tally.update(route=name, outcome=f"{method.upper()} {actual}")
    assert actual in REFUSED, _explain(name, role, method.upper(), "refused", actual, url)


@pytest.mark.django_db
@pytest.mark.parametrize(("group", "path", "role", "expected"), list(_probe_cases()))
def test_staff_consoles_let_in_only_their_staff(world, tally, group, path, role, expected):
    client = client_as(world, role)
    actual = outcome(client, client.get(path))
    tally.update(route=group, outcome=f"GET {actual}")
    assert actual == expected, _explain(group, role, "GET", expected, actual, path)


def test_every_route_is_declared():
    missing = []
    for pattern, name, _view in ROUTES:
        if group_of(pattern, name):
            continue
        if name is None and pattern not in UNNAMED:
            missing.append(pattern)
        elif name is not None and name not in TABLE:
            missing.append(name)
    assert not missing, "\n".join(
        f"declare {route} in tests/kernel/permission_table.py" for route in missing)


def test_every_declaration_names_a_route():
    names = {name for _pattern, name, _view in ROUTES if name}
    stale = sorted(set(TABLE) - names)
    assert not stale, "\n".join(
        f"{route} is declared in tests/kernel/permission_table.py but no longer exists"
        for route in stale)


def test_the_table_uses_only_known_outcomes():
    known = {OK, LOGIN, FORBIDDEN, "404", METHOD, CONFLICT}
    odd = {(name, role, value) for name, route in TABLE.items()
           for role, value in route.get.items() if value not in known}
    assert not odd and set(ROLES) == {role for route in TABLE.values() for role in route.get}



@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_sealed_bid_is_listed_to_its_bidder_only(world, role):
    """The bids list answers everyone (200, the count), so the matrix alone cannot tell a
    leak: before opening, only the bidder finds its bid in it."""
    client = client_as(world, role)
    body = client.get(reverse("api:project_bids", args=[world["sealed"].pk])).json()
    listed = [entry["id"] for entry in body["results"]]
    assert body["sealed"] is True and body["bid_count"] == 1
    assert listed == ([world["sealed_bid"].pk] if role == "bidder" else [])
