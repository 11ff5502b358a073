"""Drawing up the contract when an award becomes final (receiver of `award_finalized`)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contracts.models import Contract, ContractTemplate
from contracts.services.common import notify_later, now_or
from contracts.text import context_for, render_text, text_sha256
from marketplace.audit import services as audit
from marketplace.catalog.selectors import terms_at
from marketplace.errors import StateConflict
from marketplace.periods import add_period, setting_period


def monopoly_terms(project) -> dict:
    """A monopoly item's time limit and competent department as published when the project
    was (the catalogue keeps the history): the contract's time-limited service, whatever the
    selection method. Empty for any other item."""
    terms = terms_at(project.service_item, project.published_at or project.created_at)
    if not terms.is_monopoly:
        return {}
    return {"time_limit_days": terms.time_limit_days,
            "competent_department": terms.competent_department}


def active_template() -> ContractTemplate:
    template = ContractTemplate.objects.filter(is_active=True).first()
    if template is None:
        raise StateConflict(_("No contract template is in use; a regulator must activate one."))
    return template


@transaction.atomic
def contract_draw_up(*, award, by=None, now: dt.datetime | None = None) -> Contract:
    """The contract of a final award, drawn up once: called again (a replayed signal, two
    workers) it returns the contract already drawn up. Called inside the finalize
    transaction, which holds the project's row lock."""
    now = now_or(now)
    existing = Contract.objects.filter(award=award).first()
    if existing is not None:
        return existing
    bid = award.bid
    project = award.project
    template = active_template()
    limit = monopoly_terms(project)
    text = render_text(template.body, context_for(project=project, bid=bid, award=award,
                                                  now=now))
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                project=project, award=award, bid=bid, owner=project.owner, agency=bid.agency,
                template=template, template_version=template.version, price=bid.price,
                promised_days=bid.promised_days, text=text, text_sha256=text_sha256(text),
                created_at=now, **limit,
                signing_deadline=add_period(now, setting_period("MARKETPLACE_SIGNING_PERIOD")))
    except IntegrityError:
        # Another transaction drew it up first: the one-to-one on the award decided.
        return Contract.objects.get(award=award)
    notify_later("drawn_up", contract_id=contract.pk)
    audit.record(action="contract.drawn_up", actor=by, organization=project.owner, obj=contract,
                 data={"project": project.pk, "award": award.pk, "bid": bid.pk,
                       "agency": bid.agency_id, "template_version": template.version,
                       "text_sha256": contract.text_sha256,
                       "signing_deadline": contract.signing_deadline,
                       **limit}, now=now)
    return contract


def on_award_finalized(sender, *, award, now=None, by=None, **kwargs) -> None:
    contract_draw_up(award=award, by=by, now=now)
