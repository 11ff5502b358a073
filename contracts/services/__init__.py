"""Every write and state transition of contracts, one transaction each (DESIGN §3)."""

from contracts.services.drawing import active_template, contract_draw_up
from contracts.services.execution import (
    contract_accept,
    contract_deliver,
    contract_reject,
    contract_resume,
    contract_suspend,
    contract_terminate,
)
from contracts.services.sanctions import (
    agencies_with_contracts_to_sanction,
    contract_continue_after_sanction,
    contracts_sanction_agency,
    sanction_counts,
)
from contracts.services.signing import (
    contract_award_next,
    contract_lapse,
    contract_refuse,
    contract_sign,
    lapse_due_contracts,
)
from contracts.services.templates import template_activate, template_add
from contracts.services.time_limits import contract_check_time_limit, watch_time_limits

__all__ = [
    "active_template", "contract_accept", "contract_award_next", "contract_check_time_limit",
    "agencies_with_contracts_to_sanction", "contract_continue_after_sanction",
    "contract_deliver", "contracts_sanction_agency", "sanction_counts",
    "contract_draw_up", "contract_lapse", "contract_refuse", "contract_reject", "contract_resume",
    "contract_sign", "contract_suspend", "contract_terminate", "lapse_due_contracts",
    "template_activate", "template_add", "watch_time_limits",
]
