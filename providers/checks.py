"""Start-up checks: the profile's hooks are wired by the apps above providers.

`providers` may not import `ratings` or `bidding` (DESIGN §3); they plug their readers into
`providers.selectors` from their AppConfig.ready(). A hook left unwired would silently show
"no awards" or "no ratings" on every profile, so `manage.py check` (and runserver, migrate,
every management command) refuses to start instead.
"""

from django.apps import apps
from django.core import checks

# hook → (check id, the app that must provide it, the call it must make in its ready())
HOOKS = {
    "recent_awards": ("providers.E001", "bidding", "providers.selectors.provide_recent_awards"),
    "rating_summary": ("providers.E002", "ratings",
                       "providers.selectors.provide_rating_summary"),
}


@checks.register()
def profile_hooks_are_provided(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from providers import selectors

    errors = []
    for hook in selectors.sources_missing():
        check_id, app, call = HOOKS[hook]
        if not apps.is_installed(app):
            continue
        errors.append(checks.Error(
            f"The agency profile's `{hook}` hook is not provided although `{app}` is "
            "installed: profiles would show nothing for it.",
            hint=f"Call {call}(...) from {app}'s AppConfig.ready().",
            id=check_id))
    return errors
