"""Every write and state transition of bidding, one transaction each (DESIGN §3).

Other apps call these by name, e.g. ratings' blacklisting calls `bids_invalidate_for`.
"""

from bidding.services.award import finalize_due_awards, project_award, project_finalize
from bidding.services.bids import (
    agencies_with_bids_to_invalidate,
    bid_confirm,
    bid_revise,
    bid_submit,
    bid_withdraw,
    bids_invalidate_for,
)
from bidding.services.documents import project_attach, project_detach
from bidding.services.evaluation import bid_decide_justification, bid_justify
from bidding.services.objections import objection_decide, objection_file
from bidding.services.opening import open_due_projects, open_projects, project_open
from bidding.services.projects import (
    project_amend,
    project_cancel,
    project_create,
    project_publish,
    project_republish,
    project_update,
)
from bidding.services.questions import question_answer, question_ask
from bidding.services.reaward import award_withdraw, project_award_next
from bidding.services.sealing import seal_keys_rotate

__all__ = [
    "award_withdraw", "bid_confirm", "bid_decide_justification", "bid_justify", "bid_revise",
    "bid_submit",
    "bid_withdraw", "bids_invalidate_for", "agencies_with_bids_to_invalidate",
    "finalize_due_awards", "objection_decide", "objection_file", "open_due_projects",
    "open_projects", "project_amend", "project_attach", "project_award",
    "project_cancel", "project_detach",
    "project_award_next",
    "project_create", "project_finalize", "project_open", "project_publish",
    "project_republish", "project_update", "question_answer", "question_ask",
    "seal_keys_rotate",
]
