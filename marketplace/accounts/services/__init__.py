"""Every write of the accounts kernel, one transaction and one audit entry each:
`from marketplace.accounts import services; services.invite_staff(...)`."""

from marketplace.accounts.services.lockout import login_lockout_notify
from marketplace.accounts.services.members import (
    member_remove,
    member_role_set,
    member_signatory_set,
)
from marketplace.accounts.services.organization import (
    organization_details_update,
    organization_rename,
)
from marketplace.accounts.services.registration import (
    INVITATION_CLOSED,
    INVITATION_VALIDITY,
    REGULATOR_GROUP,
    REGULATOR_NAME,
    REGULATOR_PERMISSIONS,
    REGULATOR_USCC,
    accept_invitation,
    check_uscc_available,
    check_username_available,
    create_regulator,
    invite_staff,
    register_organization,
    regulator_group,
)
from marketplace.accounts.services.second_factor import (
    otp_enrollment_confirm,
    otp_enrollment_start,
    otp_recovery_regenerate,
    otp_remove,
)
from marketplace.accounts.services.security import (
    password_change,
    password_reset_complete,
    session_ended,
    session_seen,
    session_started,
    user_log_out_everywhere,
    user_session_end,
    user_sessions_end_others,
)
from marketplace.accounts.services.tokens import (
    api_token_issue,
    api_token_revoke,
    api_token_seen,
    api_tokens_revoke_all,
)

__all__ = [
    "INVITATION_CLOSED",
    "INVITATION_VALIDITY",
    "REGULATOR_GROUP",
    "REGULATOR_NAME",
    "REGULATOR_PERMISSIONS",
    "REGULATOR_USCC",
    "accept_invitation",
    "api_token_issue",
    "api_token_revoke",
    "api_token_seen",
    "api_tokens_revoke_all",
    "check_uscc_available",
    "check_username_available",
    "create_regulator",
    "invite_staff",
    "login_lockout_notify",
    "member_remove",
    "member_role_set",
    "member_signatory_set",
    "organization_details_update",
    "organization_rename",
    "otp_enrollment_confirm",
    "otp_enrollment_start",
    "otp_recovery_regenerate",
    "otp_remove",
    "password_change",
    "password_reset_complete",
    "register_organization",
    "regulator_group",
    "session_ended",
    "session_seen",
    "session_started",
    "user_log_out_everywhere",
    "user_session_end",
    "user_sessions_end_others",
]
