"""The workspace's "next step" guide: what a new organization should do first, in order.

The kernel cannot know the apps above it, so each app registers the steps it owns in its
`AppConfig.ready()` (providers: services, qualifications; bidding: find projects or post one).
The workspace shows the list until every step is done, with the first open step highlighted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from marketplace.accounts.models import Organization


@dataclass(frozen=True)
class Step:
    order: int
    label: str
    url: str
    done: bool
    hint: str = ""
    current: bool = False  # the first step not yet done: the one the page highlights


StepSource = Callable[[Organization], list[Step]]
_sources: list[StepSource] = []


def register(source: StepSource) -> StepSource:
    if source not in _sources:
        _sources.append(source)
    return source


def steps_for(organization: Organization | None) -> list[Step]:
    """Every registered step for the organization, in order; [] once all are done."""
    if organization is None:
        return []
    steps = sorted((step for source in _sources for step in source(organization)),
                   key=lambda step: step.order)
    first_open = next((step for step in steps if not step.done), None)
    if first_open is None:
        return []
    return [replace(step, current=True) if step is first_open else step for step in steps]
