"""What the public announcement page adds for its viewer: a QR code of its own address and the
countdown for everyone, and for an agency whether it may bid and what it can do now."""

from functools import lru_cache

import segno
from django.utils import timezone

from bidding import rules, selectors
from bidding.models import Project
from bidding.services import eligibility
from marketplace.accounts.models import Organization
from marketplace.errors import refusal_of

Status = Project.Status


@lru_cache(maxsize=1024)
def qr_svg(url: str) -> str:
    """An inline SVG QR code of `url`, drawn here (no outside service); a page's URL never
    changes, so each is drawn once per process."""
    return segno.make(url, error="m").svg_inline(scale=3, title=url)


def objection_open(project: Project, agency: Organization, award, now) -> bool:
    """Whether `agency` may still object to the proposed award (the objection rule)."""
    return refusal_of(rules.check_objection_open, project=project, agency=agency, award=award,
                      now=now) is None


def announcement_extras(request, project: Project, organization: Organization | None) -> dict:
    """What the announcement adds to the public page: its QR code and countdown for everyone,
    and for an agency whether it can bid and what it can do now."""
    url = request.build_absolute_uri(project.get_absolute_url())
    now = timezone.now()
    extras = {"page_url": url, "qr_svg": qr_svg(url), "server_now": now,
              "bidding_open": rules.is_open_for_bids(project, now)}
    if organization is None or not organization.is_agency or project.status == Status.DRAFT:
        return extras
    own = [b for b in selectors.bids_for_viewer(project, organization)
           if selectors.bid_access(b, organization, project) == selectors.OWN]
    live = next((b for b in own if b.is_live), None)
    problem = eligibility.agency_problem(project=project, agency=organization, now=now)
    award = selectors.standing_award(project)
    extras["agency_panel"] = {
        "problem": str(problem.message) if problem is not None else "",
        "live_bid": live,
        "latest_bid": own[-1] if own else None,
        "can_justify": live is not None and live.awaits_justification_decision
        and not live.justification,
        "can_object": objection_open(project, organization, award, now),
    }
    return extras
