"""Extension points between apps, in the shape of Wagtail's hooks, checked at start-up.

Apps depend downward (DESIGN §3), so a lower app that needs something only a higher app knows
(the agency profile's awards, which bidding knows; the workspace's blacklist notice, which
ratings knows) **declares** a hook; the higher app **registers** its function from its
`AppConfig.ready()`. A declared hook that must be provided and is not, or a registration under
a name nobody declared, fails `manage.py check` (and so runserver, migrate and every command):
an unwired hook can no longer show "no awards" on every profile for years.

    # providers/selectors.py (the lower app)
    hooks.declare(RECENT_AWARDS, single=True, required_by="bidding")
    # bidding/apps.py (the higher app)
    hooks.register(RECENT_AWARDS, agency_recent_awards)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.core import checks


@dataclass(frozen=True)
class Declaration:
    name: str
    single: bool  # exactly one function (a reader); otherwise any number (contributions)
    required_by: str  # the app label that must provide it when installed ("" if optional)


_declared: dict[str, Declaration] = {}
_registered: dict[str, list[Callable]] = {}


def declare(name: str, *, single: bool = False, required_by: str = "") -> None:
    _declared[name] = Declaration(name, single, required_by)
    _registered.setdefault(name, [])


def register(name: str, function: Callable) -> Callable:
    """Add `function` to the hook (once; a single hook keeps only the latest)."""
    functions = _registered.setdefault(name, [])
    declaration = _declared.get(name)
    if declaration is not None and declaration.single:
        functions[:] = [function]
    elif function not in functions:
        functions.append(function)
    return function


def all_of(name: str) -> list[Callable]:
    return list(_registered.get(name, []))


def one(name: str) -> Callable | None:
    functions = _registered.get(name, [])
    return functions[0] if functions else None


@contextmanager
def replaced(name: str, *functions: Callable) -> Iterator[None]:
    """For tests: the hook answers with `functions` (none: unprovided) inside the block."""
    saved = list(_registered.get(name, []))
    _registered[name] = list(functions)
    try:
        yield
    finally:
        _registered[name] = saved


@checks.register()
def hooks_are_wired(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    for name, declaration in sorted(_declared.items()):
        provider = declaration.required_by
        if provider and apps.is_installed(provider) and not _registered.get(name):
            errors.append(checks.Error(
                f"The hook `{name}` is not provided although `{provider}` is installed.",
                hint=f"Call marketplace.hooks.register({name!r}, …) from {provider}'s "
                     "AppConfig.ready().", id="marketplace.E001"))
    for name in sorted(set(_registered) - set(_declared)):
        errors.append(checks.Error(
            f"Something registered for the hook `{name}`, which no app declares.",
            hint="A typo in the hook's name, or the declaring module is not imported.",
            id="marketplace.E002"))
    return errors
