"""Who may do what, route by route (issue 13 §2): the permission matrix
(test_permission_matrix.py) requests every route of the URL conf as every role and compares the
answer with this table. A route missing here, or declared here and gone, fails the matrix.

Outcomes of a GET, by class: `ok` (2xx, or a redirect to a page the role sees), `login` (sent
to a login page, or 401 from the API), `403`, `404` (refusals; one per route), `405` (the route
has no GET), `409` (the permission check passed but the world's object is in a state the page
refuses: the role is allowed, the object is not ready). A POST with an empty body, as every
role that must not write (a refused GET, or not in `write`), must be refused the same way:
401/403/404/405 or a login, never 2xx, never a redirect to the action's result, never 400.

The objects (`args`) are keys of the world in permission_world.py: the sealed bid belongs to
the bidder, the projects and the contract to the owner, "other agency" and "other owner" own
nothing of them."""

from dataclasses import dataclass, field

from tests.kernel.permission_world import ROLES

OK, LOGIN, FORBIDDEN, NOT_FOUND, METHOD, CONFLICT = "ok", "login", "403", "404", "405", "409"
REFUSED = {LOGIN, FORBIDDEN, NOT_FOUND, METHOD}

ORGANIZATION_ROLES = ("other_agency", "bidder", "owner", "other_owner", "regulator")
EVERYONE = frozenset(ROLES)


def roles(default: str, **per_role: str) -> dict:
    return {role: per_role.get(role, default) for role in ROLES}


def only(*allowed: str, denied: str = NOT_FOUND, **per_role: str) -> dict:
    """Logged-in roles in `allowed` see it, other logged-in roles get `denied`."""
    return roles(denied, **{"anonymous": LOGIN, **dict.fromkeys(allowed, OK), **per_role})


PUBLIC = roles(OK)
AUTH_ANY = roles(OK, anonymous=LOGIN)
NO_GET = roles(METHOD)
NO_GET_LOGIN = roles(METHOD, anonymous=LOGIN)  # login required before the method is looked at
OWNER_ONLY = only("owner")
BIDDER_ONLY = only("bidder")
PARTIES = only("owner", "bidder")
REGULATOR_ONLY = only("regulator", denied=FORBIDDEN)
AGENCIES = only("other_agency", "bidder", denied=FORBIDDEN)
OWNERS = only("owner", "other_owner", denied=FORBIDDEN)
ORGANIZATIONS = only(*ORGANIZATION_ROLES, denied=FORBIDDEN)
# Our console pages (cms/console/, registered through Wagtail hooks): regulators only. Wagtail
# sends a user without console access to its login page, and refuses an editor (who has it)
# with a redirect to the dashboard (counted as 403).
STAFF_CONSOLE = roles(LOGIN, regulator=OK, editor=FORBIDDEN)

OWNER, BIDDER, REGULATOR = frozenset({"owner"}), frozenset({"bidder"}), frozenset({"regulator"})
PARTY_ROLES = OWNER | BIDDER
AGENCY_ROLES = frozenset({"bidder", "other_agency"})
NOBODY = frozenset()


@dataclass(frozen=True)
class Route:
    """One route's declaration: the GET outcome per role, who may write (None: the roles the
    GET lets in), the world's objects for its URL parameters, in order."""

    get: dict
    args: tuple = ()
    write: frozenset | None = None
    reason: str = ""
    xfail: dict = field(default_factory=dict)  # (role, method) -> reason, strict

    def writers(self) -> frozenset:
        if self.write is not None:
            return self.write
        return frozenset(role for role, outcome in self.get.items() if outcome in (OK, CONFLICT))


def r(get, *args, write=None, reason="", xfail=None, **per_role) -> Route:
    return Route({**get, **per_role}, args, write, reason, xfail or {})


@dataclass(frozen=True)
class Group:
    """Routes we do not write (Wagtail's admin, Django's admin) declared by URL prefix; the
    matrix requests the group's `probes` (its front pages: path -> outcome per role) as every
    role."""

    prefix: str
    probes: dict
    reason: str


GROUPS = {
    "staff console (Wagtail)": Group(
        "console/",
        {"/console/": roles(LOGIN, regulator=OK, editor=OK),
         **dict.fromkeys(("/console/pages/", "/console/documents/", "/console/images/"),
                         roles(LOGIN, regulator=FORBIDDEN, editor=OK))},
        "regulator and editor get in as their group permits; every other role is sent to the "
        "console's login page"),
    "Django admin": Group(
        "django-admin/",
        dict.fromkeys(("/django-admin/", "/django-admin/auth/user/"), roles(LOGIN)),
        "superusers only (marketplace.urls): every role here is sent to its login page"),
}

# Routes we declare one by one although they sit under a group's prefix: ours.
OURS_UNDER_GROUPS = ("cms_console:", "cms_console_audit:", "console_organizations:",
                     "console_calendar_days:", "console_calendar_years:")

OWNER_OR_EDITOR = OWNER | {"editor"}
NO_ORGANIZATION = "an editor has no organization: sent to the workspace, nothing written"
P = "sealed"  # the owner's published project with the bidder's sealed bid
MEMBER_ACTION = r(NO_GET_LOGIN, "colleague", write=OWNER_OR_EDITOR, reason=NO_ORGANIZATION)

TABLE = {
    # --- API: accounts ---------------------------------------------------------------------
    "api:token": r(NO_GET, write=EVERYONE, reason="logging in: anyone may try"),
    "api:tokens": r(AUTH_ANY, write=NOBODY),
    "api:token_revoke": r(NO_GET_LOGIN, "token", write=OWNER),
    "api:logout_everywhere": r(NO_GET_LOGIN, write=EVERYONE - {"anonymous"}),
    "api:password_change": r(NO_GET_LOGIN, write=EVERYONE - {"anonymous"}),
    "api:register_agency": r(NO_GET, write=EVERYONE),
    "api:register_owner": r(NO_GET, write=EVERYONE),
    "api:me": r(AUTH_ANY, write=NOBODY),
    "api:service_items": r(PUBLIC),
    "api:service_item": r(PUBLIC, "service_code", write=NOBODY),
    "api:audit_checkpoints": r(PUBLIC, write=NOBODY),
    "api:audit_signing_key": r(PUBLIC, write=NOBODY),
    "api:pki_root": r(PUBLIC, write=NOBODY),
    "api:pki_crl": r(PUBLIC, write=NOBODY),
    "api:verify_contract": r(NO_GET, write=EVERYONE, reason="anyone may check a contract PDF"),
    "contracts:verify": r(PUBLIC, write=EVERYONE, reason="anyone may check a contract PDF"),
    "csp-report": r(NO_GET, write=EVERYONE, reason="browsers report violations: anyone may"),
    "audit:checkpoints": r(PUBLIC, write=NOBODY),
    "healthz": r(PUBLIC, write=NOBODY, reason="operators' probe: alive"),
    "readyz": r(PUBLIC, write=NOBODY, reason="operators' probe: names dependencies, no data"),
    # The test client's address (127.0.0.1) is on the default allow-list; any other gets a 404
    # (tests/operations/test_metrics.py).
    "metrics": r(PUBLIC, write=NOBODY, reason="operators' scraper, allow-listed by address"),
    "cms:service_items": r(PUBLIC, write=NOBODY),
    "cms:service_item": r(PUBLIC, "service_code", write=NOBODY),
    "cms_console:service_items": r(STAFF_CONSOLE, write=NOBODY),
    "cms_console:service_item_edit": r(STAFF_CONSOLE, "service_code"),
    "cms_console:service_item_history": r(STAFF_CONSOLE, "service_code", write=NOBODY),
    "api:regions": r(PUBLIC),
    # --- API: the inbox and saved searches (issue 17 §5), each user's own --------------------
    "api:notifications": r(AUTH_ANY, write=NOBODY),
    "api:notifications_unread_count": r(AUTH_ANY, write=NOBODY),
    "api:notifications_read_all": r(NO_GET_LOGIN, write=EVERYONE - {"anonymous"}),
    "api:notification_preferences": r(AUTH_ANY),
    "api:notification_read": r(NO_GET_LOGIN, "notification", write=OWNER),
    "api:saved_searches": r(AUTH_ANY),
    "api:saved_search": r(only("owner"), "saved_search"),
    "api:project_documents": r(PUBLIC, P, write=OWNER),
    "api:project_document_download": r(PUBLIC, P, "document", write=NOBODY),
    # --- API: agencies -----------------------------------------------------------------------
    "api:agencies": r(PUBLIC),
    "api:agency": r(PUBLIC, "bidder"),
    "api:my_services": r(AGENCIES),
    "api:my_service": r(NO_GET_LOGIN, "service_code",
                        write=AGENCY_ROLES,
                        reason="/me/: the other agency offers the same item, its own"),
    "api:my_qualifications": r(AGENCIES),
    "api:qualification_verify": r(NO_GET_LOGIN, "qualification", write=REGULATOR),
    "api:qualification_reject": r(NO_GET_LOGIN, "qualification", write=REGULATOR),
    # --- API: bidding ------------------------------------------------------------------------
    "api:projects": r(PUBLIC, write=OWNER | {"other_owner"}),
    "api:project": r(PUBLIC, P, write=OWNER),
    "api:project_publish": r(NO_GET, P, write=OWNER),
    "api:project_cancel": r(NO_GET, P, write=OWNER),
    "api:project_amendments": r(PUBLIC, P, write=OWNER),
    "api:project_open": r(NO_GET, P, write=OWNER),
    "api:project_award": r(NO_GET, P, write=OWNER),
    "api:project_finalize": r(NO_GET, P, write=OWNER),
    "api:project_republish": r(NO_GET, P, write=OWNER),
    "api:project_questions": r(PUBLIC, P, write=AGENCY_ROLES),
    "api:question_answer": r(NO_GET, "question", write=OWNER),
    "api:project_bids": r(PUBLIC, P, anonymous=OK,
                           reason="sealed: each sees only its own bid (selectors.bids_for_viewer)",
                           write=AGENCY_ROLES),
    "api:bid": r(BIDDER_ONLY, "sealed_bid", anonymous=NOT_FOUND),
    "api:bid_confirm": r(NO_GET, "sealed_bid", write=BIDDER),
    "api:bid_justification": r(NO_GET, "sealed_bid", write=BIDDER),
    "api:bid_justification_decide": r(NO_GET, "sealed_bid", write=OWNER),
    "api:project_objections": r(only("owner", "bidder", "regulator", denied=FORBIDDEN),
                                 "publicity", anonymous=FORBIDDEN, write=BIDDER),
    "api:objection_decide": r(NO_GET, "objection", write=OWNER | REGULATOR),
    "api:price_index": r(PUBLIC, write=NOBODY),
    # --- API: contracts and payments -------------------------------------------------------
    "api:contracts": r(AUTH_ANY, reason="each sees the contracts of its organization"),
    "api:contract": r(PARTIES, "contract", regulator=OK, write=NOBODY),
    "api:contract_sign": r(NO_GET_LOGIN, "contract", write=PARTY_ROLES),
    "api:contract_signed_pdf": r(PARTIES, "contract", owner=CONFLICT, bidder=CONFLICT,
                                 regulator=CONFLICT, write=NOBODY,
                                 reason="the world's contract was never signed digitally"),
    "api:contract_refuse": r(NO_GET_LOGIN, "contract", write=PARTY_ROLES),
    "api:contract_deliver": r(NO_GET_LOGIN, "contract", write=BIDDER),
    "api:contract_accept": r(NO_GET_LOGIN, "contract", write=OWNER),
    "api:contract_reject": r(NO_GET_LOGIN, "contract", write=OWNER),
    "api:contract_suspend": r(NO_GET_LOGIN, "contract", write=OWNER),
    "api:contract_resume": r(NO_GET_LOGIN, "contract", write=OWNER),
    "api:contract_continue": r(NO_GET_LOGIN, "contract", write=OWNER),
    "api:contract_terminate": r(NO_GET_LOGIN, "contract", write=PARTY_ROLES | REGULATOR),
    "api:project_award_next": r(NO_GET_LOGIN, "publicity", write=OWNER),
    "api:contract_payments": r(PARTIES, "contract", regulator=OK, write=OWNER),
    "api:payment": r(PARTIES, "payment", regulator=OK, write=NOBODY),
    "api:payment_confirm": r(NO_GET_LOGIN, "payment", write=PARTY_ROLES,
                             reason="the owner records the transfer here, the agency confirms"),
    "api:payment_dispute": r(NO_GET_LOGIN, "payment", write=BIDDER),
    "api:payment_withdraw": r(NO_GET_LOGIN, "payment", write=OWNER),
    "api:payment_resolve": r(NO_GET_LOGIN, "payment", write=REGULATOR),
    "api:stripe_webhook": r(NO_GET, write=EVERYONE,
                            reason="Stripe calls it; the signature is the check"),
    "api:stripe_connect": r(NO_GET_LOGIN, write=AGENCY_ROLES),
    # --- API: credit, cases, complaints, inspections, open data -------------------------------
    "api:credit": r(PUBLIC, "bidder"),
    "api:credit_events": r(NO_GET, "bidder", write=REGULATOR),
    "api:credit_event_reverse": r(NO_GET, "credit_event", write=REGULATOR),
    "api:blacklist": r(PUBLIC, write=REGULATOR),
    "api:blacklist_lift": r(NO_GET, "entry", write=REGULATOR),
    "api:blacklist_appeal": r(NO_GET, "entry", write=BIDDER),
    "api:blacklist_repair": r(NO_GET, "entry", write=BIDDER),
    "api:appeal_decide": r(NO_GET, "appeal", write=REGULATOR),
    "api:repair_decide": r(NO_GET, "repair", write=REGULATOR),
    "api:organization_exit": r(NO_GET, "bidder", write=REGULATOR),
    "api:organization_suspend": r(NO_GET, "bidder", write=REGULATOR),
    "api:organization_reinstate": r(NO_GET, "bidder", write=REGULATOR),
    "api:organization_ratings": r(PUBLIC, "bidder"),
    "api:contract_ratings": r(PARTIES, "closed", regulator=OK, anonymous=NOT_FOUND,
                              write=PARTY_ROLES),
    "api:rating_reply": r(NO_GET, "rating", write=BIDDER),
    "api:cases": r(AUTH_ANY, write=OWNER | {"other_owner", "regulator"}),
    "api:case": r(PARTIES, "case", regulator=OK),
    "api:case_reply": r(NO_GET_LOGIN, "case", write=BIDDER),
    "api:case_decide": r(NO_GET, "case", write=REGULATOR),
    "api:case_evidence": r(PARTIES, "case", "case_evidence", regulator=OK),
    "api:complaints": r(PUBLIC, reason="decided complaints are public",
                        write=EVERYONE - {"anonymous"}),
    "api:complaint_queue": r(AUTH_ANY, reason="regulators see all, others their own"),
    "api:complaint": r(OWNER_ONLY, "complaint", regulator=OK),
    "api:complaint_accept": r(NO_GET_LOGIN, "complaint", write=REGULATOR),
    "api:complaint_decide": r(NO_GET, "complaint", write=REGULATOR),
    "api:complaint_attachment": r(OWNER_ONLY, "complaint", "complaint_file", regulator=OK),
    "api:inspections": r(PUBLIC, write=REGULATOR),
    "api:red_flags": r(REGULATOR_ONLY, write=NOBODY, reason="red flags: regulators only"),
    "api:red_flags_run": r(roles(FORBIDDEN, anonymous=LOGIN, regulator=METHOD), write=REGULATOR),
    "api:inspection": r(PUBLIC, "plan"),
    "api:inspection_draw": r(NO_GET, "plan", write=REGULATOR),
    "api:inspection_result": r(NO_GET, "target", write=REGULATOR),
    "api:open_data_ocds": r(PUBLIC),
    "api:open_data_ocds_releases": r(PUBLIC),
    "api:open_data_ocds_records": r(PUBLIC),
    "api:open_data_ocds_project_releases": r(PUBLIC, P),
    "api:open_data_ocds_project_record": r(PUBLIC, P),
    "api:open_data_credit_csv": r(PUBLIC),
    "api:open_data_credit_json": r(PUBLIC),
    "api-schema": r(PUBLIC),
    "api-docs": r(PUBLIC),
    "set_language": r(PUBLIC, write=EVERYONE, reason="Django's language switch"),
    # --- Accounts pages ----------------------------------------------------------------------
    "accounts:register_agency": r(PUBLIC),
    "accounts:register_owner": r(PUBLIC),
    "accounts:login": r(PUBLIC),
    "accounts:logout": r(NO_GET, write=EVERYONE),
    "accounts:password_change": r(AUTH_ANY),
    "accounts:password_changed": r(AUTH_ANY),
    "accounts:password_reset": r(PUBLIC),
    "accounts:password_reset_done": r(PUBLIC),
    "accounts:password_reset_confirm": r(PUBLIC, "uidb64", "reset_token"),
    "accounts:password_reset_complete": r(PUBLIC),
    "accounts:organization": r(ORGANIZATIONS, editor=OK, reason=NO_ORGANIZATION),
    "accounts:members": r(ORGANIZATIONS, editor=OK, reason=NO_ORGANIZATION),
    "accounts:member_role": MEMBER_ACTION,
    "accounts:member_signatory": MEMBER_ACTION,
    "accounts:member_remove": MEMBER_ACTION,
    "accounts:accept_invitation": r(PUBLIC, "invitation"),
    "accounts:security": r(AUTH_ANY),
    "accounts:login_code": r(PUBLIC, anonymous=LOGIN, write=EVERYONE,
                             reason="the code step of a login: only with a password just given"),
    "accounts:second_factor": r(AUTH_ANY),
    "accounts:second_factor_start": r(NO_GET_LOGIN, write=EVERYONE - {"anonymous"}),
    "accounts:second_factor_confirm": r(NO_GET_LOGIN, write=EVERYONE - {"anonymous"}),
    "accounts:second_factor_recovery": r(NO_GET_LOGIN, write=EVERYONE - {"anonymous"}),
    "accounts:second_factor_remove": r(NO_GET_LOGIN, write=EVERYONE - {"anonymous"}),
    "accounts:session_end": r(NO_GET_LOGIN, "session", write=OWNER),
    "accounts:sessions_end_others": r(NO_GET_LOGIN, write=EVERYONE - {"anonymous"}),
    "accounts:token_revoke": r(NO_GET_LOGIN, "token", write=OWNER),
    "accounts:log_out_everywhere": r(NO_GET_LOGIN, write=EVERYONE - {"anonymous"}),
    "workspace": r(AUTH_ANY),
    "notifications:inbox": r(AUTH_ANY),
    "notifications:mark_all_read": r(NO_GET_LOGIN, write=EVERYONE - {"anonymous"}),
    "notifications:preferences": r(AUTH_ANY),
    "bidding:saved_searches": r(AUTH_ANY, write=NOBODY),
    "bidding:saved_search_new": r(AUTH_ANY),
    "bidding:saved_search_edit": r(NO_GET_LOGIN, "saved_search", write=OWNER),
    "bidding:saved_search_delete": r(NO_GET_LOGIN, "saved_search", write=OWNER),
    # --- Webhooks (issue 17 §5): an organization's administrators, their own endpoints -------
    "api:webhooks": r(ORGANIZATIONS, reason="an editor has no organization to administer"),
    "api:webhook": r(OWNER_ONLY, "webhook"),
    "api:webhook_rotate_secret": r(NO_GET_LOGIN, "webhook", write=OWNER),
    "api:webhook_deliveries": r(OWNER_ONLY, "webhook", write=NOBODY),
    "api:webhook_resend": r(NO_GET_LOGIN, "webhook", "webhook_delivery", write=OWNER),
    "webhooks:endpoints": r(ORGANIZATIONS, editor=OK, reason=NO_ORGANIZATION),
    "webhooks:endpoint": r(OWNER_ONLY, "webhook"),
    "webhooks:endpoint_rotate": r(NO_GET_LOGIN, "webhook", write=OWNER),
    "webhooks:endpoint_active": r(NO_GET_LOGIN, "webhook", write=OWNER),
    "webhooks:delivery_resend": r(NO_GET_LOGIN, "webhook", "webhook_delivery", write=OWNER),
    # --- Agencies' pages -------------------------------------------------------------------
    "providers:agency_list": r(PUBLIC),
    "providers:agency_detail": r(PUBLIC, "bidder"),
    "providers:owner_detail": r(PUBLIC, "owner"),
    "providers:services": r(AGENCIES),
    "providers:service_add": r(AGENCIES),
    "providers:service_edit": r(AGENCIES, "service_code"),
    "providers:service_remove": r(AGENCIES, "service_code"),
    "providers:qualifications": r(AGENCIES),
    "providers:qualification_declare": r(AGENCIES),
    "providers:qualification_review": r(REGULATOR_ONLY),
    "providers:qualification_scan": r(BIDDER_ONLY, "qualification", regulator=OK,
                                      anonymous=NOT_FOUND),
    "providers:qualification_verify": r(NO_GET_LOGIN, "qualification", write=REGULATOR),
    "providers:qualification_reject": r(NO_GET_LOGIN, "qualification", write=REGULATOR),
    # --- Bidding pages -----------------------------------------------------------------------
    "bidding:project_list": r(PUBLIC),
    "bidding:project_detail": r(PUBLIC, P),
    "bidding:project_draw": r(roles(NOT_FOUND), P, reason="the project is not chosen by draw"),
    "bidding:price_index": r(PUBLIC, write=NOBODY),
    "bidding:price_index_item": r(PUBLIC, "service_code", write=NOBODY),
    "bidding:price_hint": r(PUBLIC, write=NOBODY,
                            reason="the owner form's hint: public figures, no project read"),
    "bidding:project_document": r(PUBLIC, P, "document"),
    "bidding:owner_projects": r(OWNERS),
    "bidding:owner_project_create": r(OWNERS),
    "bidding:owner_project": r(OWNER_ONLY, P),
    "bidding:owner_project_edit": r(OWNER_ONLY, "draft"),
    "bidding:owner_project_publish": r(OWNER_ONLY, "draft"),
    "bidding:owner_project_cancel": r(OWNER_ONLY, P),
    "bidding:owner_project_amend": r(OWNER_ONLY, P),
    "bidding:owner_project_open": r(NO_GET_LOGIN, P, write=OWNER),
    "bidding:owner_project_award": r(OWNER_ONLY, P),
    "bidding:owner_project_finalize": r(OWNER_ONLY, "publicity"),
    "bidding:owner_project_republish": r(NO_GET_LOGIN, P, write=OWNER),
    "bidding:owner_documents_add": r(NO_GET_LOGIN, "draft", write=OWNER),
    "bidding:owner_document_remove": r(NO_GET_LOGIN, P, "document", write=OWNER),
    "bidding:owner_bid_decide": r(NO_GET_LOGIN, P, "sealed_bid", write=OWNER),
    "bidding:owner_question_answer": r(NO_GET_LOGIN, P, "question", write=OWNER),
    "bidding:owner_objection_decide": r(NO_GET_LOGIN, "publicity", "objection", write=OWNER),
    "bidding:my_bids": r(AGENCIES),
    "bidding:regional_alerts": r(AGENCIES),
    "bidding:bid_submit": r(AGENCIES, P),
    "bidding:question_ask": r(AGENCIES, P),
    "bidding:objection_file": r(AGENCIES, "publicity"),
    "bidding:bid_receipt": r(BIDDER_ONLY, "sealed_bid"),
    "bidding:bid_revise": r(BIDDER_ONLY, "sealed_bid"),
    "bidding:bid_withdraw": r(BIDDER_ONLY, "sealed_bid"),
    "bidding:bid_confirm": r(BIDDER_ONLY, "sealed_bid"),
    "bidding:bid_justify": r(BIDDER_ONLY, "sealed_bid"),
    "bidding:bid_attachment": r(BIDDER_ONLY, "bid_file", anonymous=NOT_FOUND),
    "bidding:objection_attachment": r(PARTIES, "objection_file", regulator=OK, anonymous=NOT_FOUND),
    # --- Contracts and payments pages ------------------------------------------------------
    "contracts:list": r(ORGANIZATIONS, editor=NOT_FOUND),
    "contracts:detail": r(PARTIES, "contract", regulator=OK),
    "contracts:print": r(PARTIES, "contract", regulator=OK),
    "contracts:pdf": r(PARTIES, "contract", regulator=OK),
    "contracts:signed_pdf": r(PARTIES, "contract", owner=CONFLICT, bidder=CONFLICT,
                              regulator=CONFLICT, write=NOBODY,
                              reason="the world's contract was built in the database, never "
                                     "signed digitally: 409 to those who see it"),
    "contracts:sign": r(PARTIES, "contract", regulator=FORBIDDEN),
    "contracts:refuse": r(PARTIES, "contract", regulator=FORBIDDEN),
    "contracts:deliver": r(BIDDER_ONLY, "contract", owner=FORBIDDEN, regulator=FORBIDDEN),
    "contracts:accept": r(PARTIES, "contract", regulator=OK, write=OWNER,
                             reason="GET: anyone who sees the contract is sent back to it"),
    "contracts:reject": r(OWNER_ONLY, "contract", bidder=FORBIDDEN, regulator=FORBIDDEN),
    "contracts:suspend": r(OWNER_ONLY, "contract", bidder=FORBIDDEN, regulator=FORBIDDEN),
    "contracts:resume": r(NO_GET_LOGIN, "contract", write=OWNER),
    "contracts:terminate": r(PARTIES, "contract", regulator=OK),
    "contracts:continue": r(NO_GET_LOGIN, "contract", write=OWNER),
    "contracts:award_next": r(NO_GET_LOGIN, "contract", write=OWNER),
    "contracts:delivery_file": r(PARTIES, "contract", "delivery_file", regulator=OK),
    "payments:contract": r(PARTIES, "contract", regulator=OK),
    "payments:start": r(NO_GET_LOGIN, "contract", write=OWNER),
    "payments:record": r(OWNER_ONLY, "payment", bidder=FORBIDDEN, regulator=FORBIDDEN),
    "payments:confirm": r(NO_GET_LOGIN, "payment", write=BIDDER),
    "payments:withdraw": r(NO_GET_LOGIN, "payment", write=OWNER),
    "payments:dispute": r(BIDDER_ONLY, "payment", owner=FORBIDDEN, regulator=FORBIDDEN),
    "payments:resolve": r(REGULATOR_ONLY, "payment", other_agency=NOT_FOUND,
                              other_owner=NOT_FOUND, editor=NOT_FOUND),
    "payments:stripe_connect": r(AGENCIES, owner=NOT_FOUND, other_owner=NOT_FOUND,
                                      regulator=NOT_FOUND, editor=NOT_FOUND),
    "payments:stripe_connect_return": r(AGENCIES),
    # --- CMS, credit, cases, complaints, inspections pages ----------------------------------
    "cms:announcement_feed": r(PUBLIC),
    "cms:announcement_atom": r(PUBLIC),
    "cms:search": r(PUBLIC),
    "ratings:credit_overview": r(PUBLIC),
    "ratings:credit_how": r(PUBLIC),
    "ratings:credit_detail": r(PUBLIC, "bidder"),
    "ratings:blacklist": r(PUBLIC),
    "ratings:my_credit": r(ORGANIZATIONS),
    "ratings:appeal": r(BIDDER_ONLY, "entry", editor=FORBIDDEN),
    "ratings:repair": r(BIDDER_ONLY, "entry", editor=FORBIDDEN),
    "ratings:evidence": r(BIDDER_ONLY, "appeal_kind", "appeal_file", regulator=OK),
    "ratings:rate": r(PARTIES, "closed", editor=FORBIDDEN, regulator=FORBIDDEN),
    "ratings:reply": r(NO_GET_LOGIN, "rating", write=BIDDER),
    # Moved to the console (ratings/views/moved.py): a permanent redirect there, followed.
    "ratings:manage": r(STAFF_CONSOLE, "bidder"),
    "ratings:lift": r(STAFF_CONSOLE, "entry"),
    "ratings:reverse_event": r(STAFF_CONSOLE, "credit_event"),
    "ratings:decisions": r(STAFF_CONSOLE),
    "ratings:appeal_decide": r(STAFF_CONSOLE, "appeal"),
    "ratings:repair_decide": r(STAFF_CONSOLE, "repair"),
    "ratings:cases": r(ORGANIZATIONS, editor=NOT_FOUND),
    "ratings:case_open": r(OWNERS, regulator=OK, editor=NOT_FOUND),
    "ratings:case_detail": r(PARTIES, "case", regulator=OK),
    "ratings:case_reply": r(BIDDER_ONLY, "case", owner=FORBIDDEN, regulator=FORBIDDEN),
    "ratings:case_decide": r(STAFF_CONSOLE, "case"),
    "ratings:case_evidence": r(PARTIES, "case", "case_evidence", regulator=OK),
    "ratings:complaints_public": r(PUBLIC),
    "ratings:complaint_new": r(AUTH_ANY),
    # Without an account (issue 17 §4): anyone files about a published project or an
    # organization; the verification and follow pages open only with their link's token.
    "ratings:public_complaint_project": r(PUBLIC, P, write=EVERYONE,
                                          reason="anyone may complain, with or without account"),
    "ratings:public_complaint_organization": r(PUBLIC, "bidder", write=EVERYONE,
                                               reason="anyone may complain, with or without "
                                                      "account"),
    "ratings:public_complaint_verify": r(roles(NOT_FOUND), "reset_token", write=NOBODY,
                                         reason="a token nobody holds: 404 for everyone"),
    "ratings:public_complaint_resend": r(roles(METHOD), "reset_token", write=NOBODY,
                                         reason="POST only; a token nobody holds: 404"),
    "ratings:public_complaint_follow": r(roles(NOT_FOUND), "reset_token", write=NOBODY,
                                         reason="a token nobody holds: 404 for everyone"),
    "ratings:complaint_queue": r(AUTH_ANY),
    "ratings:complaint_detail": r(OWNER_ONLY, "complaint", regulator=OK),
    "ratings:complaint_accept": r(STAFF_CONSOLE, "complaint"),
    "ratings:complaint_decide": r(STAFF_CONSOLE, "complaint"),
    "ratings:complaint_attachment": r(OWNER_ONLY, "complaint", "complaint_file",
                                      regulator=OK),
    "ratings:inspections": r(PUBLIC),
    "ratings:inspection_detail": r(PUBLIC, "plan"),
    "ratings:inspection_plans": r(STAFF_CONSOLE),
    "ratings:inspection_new": r(STAFF_CONSOLE),
    "ratings:inspection_draw": r(STAFF_CONSOLE, "plan"),
    "ratings:inspection_result": r(STAFF_CONSOLE, "target"),
    "ratings:open_data": r(PUBLIC),
    # --- Wagtail's front end and documents ---------------------------------------------------
    "wagtail_serve": r(PUBLIC, reason="the site's pages; the home page is requested"),
    "wagtailcore_login": r(PUBLIC),
    "wagtailcore_authenticate_with_password": r(
        roles(NOT_FOUND), "missing", "missing",
        reason="a page restriction's password form: none exists, so 404 for all"),
    "wagtaildocs_serve": r(roles(NOT_FOUND), reason="no document exists: 404 for all"),
    "wagtaildocs_authenticate_with_password": r(roles(NOT_FOUND), "missing",
                                                reason="no restriction exists: 404 for all"),
    # --- Our console (cms/console/, through Wagtail hooks) -----------------------------------
    "cms_console:qualifications": r(STAFF_CONSOLE),
    "cms_console:qualification_review": r(STAFF_CONSOLE, "qualification"),
    "cms_console:objections": r(STAFF_CONSOLE),
    "cms_console:objection_decide": r(STAFF_CONSOLE, "objection"),
    "cms_console:audit_verify": r(STAFF_CONSOLE),
    "cms_console:organization_manage": r(STAFF_CONSOLE, "bidder"),
    "cms_console:organization_exit": r(STAFF_CONSOLE, "bidder"),
    "cms_console:organization_certificates_revoke": r(STAFF_CONSOLE, "bidder"),
    "cms_console:organization_rename": r(STAFF_CONSOLE, "bidder"),
    "cms_console:organization_suspend": r(STAFF_CONSOLE, "bidder"),
    "cms_console:organization_reinstate": r(STAFF_CONSOLE, "bidder"),
    "cms_console:blacklist": r(STAFF_CONSOLE),
    "cms_console:blacklist_add": r(STAFF_CONSOLE),
    "cms_console:blacklist_lift": r(STAFF_CONSOLE, "entry"),
    "cms_console:blacklist_requests": r(STAFF_CONSOLE),
    "cms_console:appeal_decide": r(STAFF_CONSOLE, "appeal"),
    "cms_console:repair_decide": r(STAFF_CONSOLE, "repair"),
    "cms_console:complaints": r(STAFF_CONSOLE),
    "cms_console:complaint": r(STAFF_CONSOLE, "complaint"),
    "cms_console:cases": r(STAFF_CONSOLE),
    "cms_console:red_flags": r(STAFF_CONSOLE, write=NOBODY),
    "cms_console:red_flags_run": r(roles(LOGIN, regulator=METHOD, editor=FORBIDDEN),
                                   write=REGULATOR),
    "cms_console:red_flag": r(STAFF_CONSOLE, "red_flag"),
    "cms_console:case_decide": r(STAFF_CONSOLE, "case"),
    "cms_console:inspections": r(STAFF_CONSOLE),
    "cms_console:inspection_new": r(STAFF_CONSOLE),
    "cms_console:inspection": r(STAFF_CONSOLE, "plan"),
    "cms_console:inspection_draw": r(STAFF_CONSOLE, "plan", regulator=METHOD, write=REGULATOR),
    "cms_console:inspection_result": r(STAFF_CONSOLE, "target"),
    "cms_console:credit_events": r(STAFF_CONSOLE),
    "cms_console:credit_event_add": r(STAFF_CONSOLE),
    "cms_console:credit_event_reverse": r(STAFF_CONSOLE, "credit_event"),
    "cms_console:templates": r(STAFF_CONSOLE),
    "cms_console:template_add": r(STAFF_CONSOLE),
    "cms_console:template_detail": r(STAFF_CONSOLE, "template"),
    "cms_console:template_activate": r(STAFF_CONSOLE, "template", regulator=METHOD,
                                        write=REGULATOR),
    "console_organizations:index": r(STAFF_CONSOLE),
    "console_organizations:index_results": r(STAFF_CONSOLE),
    "console_organizations:add": r(STAFF_CONSOLE, regulator=FORBIDDEN,
                                   reason="read-only viewset"),
    "console_organizations:edit": r(STAFF_CONSOLE, "bidder", regulator=FORBIDDEN),
    "console_organizations:delete": r(STAFF_CONSOLE, "bidder", regulator=FORBIDDEN),
    "console_organizations:history": r(STAFF_CONSOLE, "bidder", regulator=FORBIDDEN),
    "console_organizations:history_results": r(STAFF_CONSOLE, "bidder", regulator=FORBIDDEN),
    "console_organizations:usage": r(STAFF_CONSOLE, "bidder", regulator=FORBIDDEN),
    "console_organizations:inspect": r(STAFF_CONSOLE, "bidder"),
    "cms_console_audit:index": r(STAFF_CONSOLE),
    "cms_console_audit:index_results": r(STAFF_CONSOLE),
    "cms_console_audit:add": r(STAFF_CONSOLE, regulator=FORBIDDEN, reason="read-only viewset"),
    "cms_console_audit:edit": r(STAFF_CONSOLE, "audit_entry", regulator=FORBIDDEN),
    "cms_console_audit:delete": r(STAFF_CONSOLE, "audit_entry", regulator=FORBIDDEN),
    "cms_console_audit:history": r(STAFF_CONSOLE, "audit_entry", regulator=FORBIDDEN),
    "cms_console_audit:history_results": r(STAFF_CONSOLE, "audit_entry", regulator=FORBIDDEN),
    "cms_console_audit:usage": r(STAFF_CONSOLE, "audit_entry", regulator=FORBIDDEN),
    "cms_console_audit:inspect": r(STAFF_CONSOLE, "audit_entry"),
    **{f"console_calendar_{kind}:{view}": r(STAFF_CONSOLE, *args)
       for kind, obj in (("days", "calendar_day"), ("years", "calendar_year"))
       for view, args in (("index", ()), ("index_results", ()), ("add", ()), ("edit", (obj,)),
                          ("delete", (obj,)), ("history", (obj,)),
                          ("history_results", (obj,)), ("usage", (obj,)))},
}

# Routes whose pattern `reverse` cannot fill from the world (regular expressions).
PATHS = {"wagtail_serve": "/", "wagtaildocs_serve": "/documents/999999/missing.pdf"}

# Routes without a name, declared by their pattern.
UNNAMED = {
    "console/test404/": "staff console (Wagtail)",  # Wagtail's own, in its group
    "^media/(?P<path>.*)$": "public: uploaded files, served by the development server only",
}
