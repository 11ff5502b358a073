"""The workspace's "next step" guide: what a new organization should do first, in order.

The kernel cannot know the apps above it, so each app registers the steps it owns for the
WORKSPACE_STEPS hook in its `AppConfig.ready()` (providers: services, qualifications; bidding:
find projects or post one).
The workspace shows the list until every step is done, with the first open step highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from marketplace import hooks
from marketplace.accounts.models import Organization


@dataclass(frozen=True)
class Step:
    order: int
    label: str
    url: str
    done: bool
    hint: str = ""
    current: bool = False  # the first step not yet done: the one the page highlights


# (organization) -> [Step, …], registered by providers and bidding.
WORKSPACE_STEPS = "workspace_steps"
hooks.declare(WORKSPACE_STEPS, required_by="bidding")


def steps_for(organization: Organization | None) -> list[Step]:
    """Every registered step for the organization, in order; [] once all are done."""
    if organization is None:
        return []
    steps = sorted((step for source in hooks.all_of(WORKSPACE_STEPS)
                    for step in source(organization)),
                   key=lambda step: step.order)
    first_open = next((step for step in steps if not step.done), None)
    if first_open is None:
        return []
    return [replace(step, current=True) if step is first_open else step for step in steps]
