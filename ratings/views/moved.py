"""Regulator pages that moved to the console (issue #12 §5, "One regulator interface").

The workspace once had its own credit desk, appeal and repair decisions, complaint handling,
inspection plans and case decisions, duplicating the regulator console in the Wagtail admin
(`cms/console/`, namespace `cms_console`). The console is now the one place where regulators
act. The old URLs and their names stay, because notifications already sent hold links to them:
each answers with a permanent redirect to the console page that does the same thing. A POST to
an old action URL performs nothing; it lands on the console page, where the regulator confirms
the action there (the console checks the permission; a non-regulator gets its 403 or login).
"""

from django.views.generic import RedirectView


def moved(console_name: str):
    """A view that sends any request to `cms_console:<console_name>`, with the old URL's `pk`."""
    return RedirectView.as_view(pattern_name=f"cms_console:{console_name}", permanent=True,
                                query_string=False)


# Credit desk (ratings:manage, lift, reverse_event) and decisions (appeals, repairs).
manage = moved("organization_manage")
lift = moved("blacklist_lift")
reverse_event = moved("credit_event_reverse")
decisions = moved("blacklist_requests")
appeal_decide = moved("appeal_decide")
repair_decide = moved("repair_decide")
# Complaints: accepting and answering (the complainant's list and page stay in complaints.py).
complaint_accept = moved("complaint")
complaint_decide = moved("complaint")
# Random inspections: the regulator's plans, a new plan, the draw and recording a result.
inspection_plans = moved("inspections")
inspection_new = moved("inspection_new")
inspection_draw = moved("inspection")
inspection_result = moved("inspection_result")
# Violation cases: the decision (the case pages of the parties stay in cases.py).
case_decide = moved("case_decide")
