"""Contract templates: regulators add versions and choose the one in use."""

from django.db import transaction
from django.db.models import Max
from django.template import TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import ContractTemplate
from contracts.text import ENGINE
from marketplace.audit import services as audit
from marketplace.errors import DomainError


def check_template_body(body: str) -> None:
    try:
        ENGINE.from_string(body or "")
    except TemplateSyntaxError as exc:
        raise DomainError(_("The template text is not valid: %(error)s") % {"error": exc},
                          field="body") from exc


@transaction.atomic
def template_add(*, title: str, body: str, by) -> ContractTemplate:
    """A new version (never in use until activated); drawn-up contracts keep their text."""
    check_template_body(body)
    ContractTemplate.objects.select_for_update().filter(is_active=True).first()
    version = (ContractTemplate.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    template = ContractTemplate.objects.create(version=version, title=title, body=body,
                                               created_at=timezone.now())
    audit.record(action="contract_template.added", actor=by, obj=template,
                 data={"version": version})
    return template


@transaction.atomic
def template_activate(*, template: ContractTemplate, by) -> ContractTemplate:
    """Put `template` in use for contracts drawn up from now on."""
    check_template_body(template.body)
    ContractTemplate.objects.select_for_update().filter(is_active=True).exclude(
        pk=template.pk).update(is_active=False)
    ContractTemplate.objects.filter(pk=template.pk).update(is_active=True)
    template.is_active = True
    audit.record(action="contract_template.activated", actor=by, obj=template,
                 data={"version": template.version})
    return template
