"""Writes of the providers app: service scope with the three commitments, qualifications and
their review by regulators. One transaction each, audit entry last."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from marketplace import search
from marketplace.accounts.models import Organization
from marketplace.audit import services as audit
from marketplace.catalog.models import ServiceItem
from marketplace.errors import DomainError, StateConflict
from marketplace.notifications.services import notify_organization
from marketplace.states import Transitions
from marketplace.uploads import canonical_name, check_upload, content_type_of
from providers.models import AgencyService, Qualification, QualificationType
from providers.rules import check_agency_admin, check_regulator

MAX_PROMISED_DAYS = 3650

# --- Services and the three commitments -----------------------------------------------------


def _clean_commitments(
    *, promised_days: int, fee_standard: str, fee_max: Decimal | None, service_standard: str
) -> dict:
    """The same rules as the forms, enforced here for every caller."""
    if promised_days is None or not 1 <= int(promised_days) <= MAX_PROMISED_DAYS:
        raise DomainError(
            _("Promise a service time between 1 and %(max)s days.") % {"max": MAX_PROMISED_DAYS},
            field="promised_days",
        )
    fee_standard = (fee_standard or "").strip()
    if not fee_standard:
        raise DomainError(_("State your fee standard."), field="fee_standard")
    if fee_max is not None and fee_max < 0:
        raise DomainError(_("The maximum fee cannot be negative."), field="fee_max")
    service_standard = (service_standard or "").strip()
    if not service_standard:
        raise DomainError(_("State your service standard."), field="service_standard")
    return {
        "promised_days": int(promised_days),
        "fee_standard": fee_standard,
        "fee_max": fee_max,
        "service_standard": service_standard,
    }


def _already_offered() -> DomainError:
    return DomainError(_("You already offer this service item; edit its commitments instead."),
                       field="service_item")


@transaction.atomic
def agency_service_add(
    *,
    agency: Organization,
    service_item: ServiceItem,
    promised_days: int,
    fee_standard: str,
    service_standard: str,
    fee_max: Decimal | None = None,
    regional_alerts: bool = False,
    by,
    now: dt.datetime | None = None,
) -> AgencyService:
    """The agency starts offering `service_item` with its three public commitments."""
    now = now or timezone.now()
    check_agency_admin(user=by, agency=agency)
    if not service_item.is_active:
        raise DomainError(_("This service item is no longer offered on the platform."),
                          field="service_item")
    values = _clean_commitments(promised_days=promised_days, fee_standard=fee_standard,
                                fee_max=fee_max, service_standard=service_standard)
    if AgencyService.objects.filter(agency=agency, service_item=service_item).exists():
        raise _already_offered()
    try:
        with transaction.atomic():
            service = AgencyService.objects.create(
                agency=agency, service_item=service_item, regional_alerts=regional_alerts,
                created_at=now, updated_at=now, **values,
            )
    except IntegrityError:
        # Two admins added the same item at once; the unique constraint decided.
        raise _already_offered()
    search.index_later("agency", agency.pk)
    audit.record(action="agency_service.added", actor=by, organization=agency, obj=service,
                 data={"service_item": service_item.code, **service.commitments()}, now=now)
    return service


@transaction.atomic
def agency_service_update(
    *,
    service: AgencyService,
    promised_days: int,
    fee_standard: str,
    service_standard: str,
    fee_max: Decimal | None = None,
    regional_alerts: bool | None = None,
    by,
    now: dt.datetime | None = None,
) -> AgencyService:
    """New commitments for what the agency offers from now on.

    Bids and contracts hold their own copy (`Commitments`), so nothing promised before changes.
    `regional_alerts=None` keeps the current choice.
    """
    now = now or timezone.now()
    check_agency_admin(user=by, agency=service.agency)
    service = AgencyService.objects.select_for_update().select_related("service_item").get(
        pk=service.pk
    )
    values = _clean_commitments(promised_days=promised_days, fee_standard=fee_standard,
                                fee_max=fee_max, service_standard=service_standard)
    before = service.commitments()
    for name, value in values.items():
        setattr(service, name, value)
    if regional_alerts is not None:
        service.regional_alerts = regional_alerts
    service.updated_at = now
    service.save()
    search.index_later("agency", service.agency_id)
    audit.record(action="agency_service.updated", actor=by, organization=service.agency,
                 obj=service, now=now,
                 data={"service_item": service.service_item.code, "before": before,
                       "after": service.commitments()})
    return service


@transaction.atomic
def agency_service_remove(*, service: AgencyService, by, now: dt.datetime | None = None) -> None:
    """The agency stops offering the item; bids already made keep their own commitments."""
    now = now or timezone.now()
    agency = service.agency
    check_agency_admin(user=by, agency=agency)
    # A queryset delete keeps `service.pk` for the audit entry below.
    deleted, _rows = AgencyService.objects.filter(pk=service.pk).delete()
    if not deleted:
        raise StateConflict(_("This service was already removed."))
    search.index_later("agency", agency.pk)
    audit.record(action="agency_service.removed", actor=by, organization=agency, obj=service,
                 data={"service_item": service.service_item.code, **service.commitments()},
                 now=now)


@transaction.atomic
def agency_regional_alerts_set(*, agency: Organization, regional_alerts: bool, by,
                               now: dt.datetime | None = None) -> int:
    """One switch for every service the agency offers: be told of new matching projects in its
    own region only (True) or in every region. Returns how many services changed."""
    now = now or timezone.now()
    check_agency_admin(user=by, agency=agency)
    if regional_alerts and agency.region_id is None:
        raise DomainError(_("Your organization has no region: set it before choosing alerts "
                            "for your region only."), field="regional_alerts")
    changed = (AgencyService.objects.select_for_update().filter(agency=agency)
               .exclude(regional_alerts=regional_alerts)
               .update(regional_alerts=regional_alerts, updated_at=now))
    audit.record(action="agency.regional_alerts_set", actor=by, organization=agency, obj=agency,
                 data={"regional_alerts": regional_alerts, "services": changed}, now=now)
    return changed


# --- Qualifications -------------------------------------------------------------------------


@transaction.atomic
def qualification_declare(
    *,
    agency: Organization,
    qualification_type: QualificationType,
    number: str,
    issuer: str,
    valid_until: dt.date,
    file,
    by,
    now: dt.datetime | None = None,
) -> Qualification:
    """Declare a certificate with its scan. It counts at once (宽进严管); a regulator verifies
    or rejects it afterwards."""
    now = now or timezone.now()
    check_agency_admin(user=by, agency=agency)
    number = (number or "").strip()
    if not number:
        raise DomainError(_("Enter the certificate number."), field="number")
    issuer = (issuer or "").strip()
    if not issuer:
        raise DomainError(_("Enter who issued the certificate."), field="issuer")
    if valid_until < timezone.localdate(now):
        raise DomainError(_("This certificate has already expired; declare a valid one."),
                          field="valid_until")
    kind = check_upload(file, field="file")
    duplicate = Qualification.objects.filter(
        agency=agency, qualification_type=qualification_type, number__iexact=number,
        valid_until=valid_until,
    ).exclude(status=Qualification.Status.REJECTED)
    if duplicate.exists():
        raise DomainError(_("You have already declared this certificate."), field="number")
    # The stored name is ours (see qualification_upload_to); only the checked kind survives.
    file.name = canonical_name(kind, stem="scan")
    # If the transaction rolls back after this, the stored file is an orphan, never a leak:
    # it lives in private storage under a random name.
    qualification = Qualification.objects.create(
        agency=agency, qualification_type=qualification_type, number=number, issuer=issuer,
        valid_until=valid_until, file=file, file_content_type=content_type_of(kind),
        created_at=now,
    )
    search.index_later("agency", agency.pk)
    audit.record(action="qualification.declared", actor=by, organization=agency,
                 obj=qualification, now=now,
                 data={"type": qualification_type.code, "number": number, "issuer": issuer,
                       "valid_until": valid_until.isoformat(), "file_kind": kind})
    return qualification


# A verified certificate can still be rejected when it turns out false (宽进严管); a rejected
# one stays rejected: the agency declares a new one.
QUALIFICATION = Transitions(Qualification, {
    Qualification.Status.DECLARED: {Qualification.Status.VERIFIED, Qualification.Status.REJECTED},
    Qualification.Status.VERIFIED: {Qualification.Status.REJECTED},
    Qualification.Status.REJECTED: set(),
})


def _review(
    *, qualification: Qualification, to: str, reason: str, by, now: dt.datetime
) -> Qualification:
    check_regulator(user=by)
    qualification = (
        Qualification.objects.select_for_update(of=("self",))
        .select_related("agency", "qualification_type")
        .get(pk=qualification.pk)
    )
    current = Qualification.Status(qualification.status)
    qualification.reviewed_by = by
    qualification.reviewed_at = now
    qualification.review_reason = reason
    QUALIFICATION.move(qualification, to,
                       update_fields=["reviewed_by", "reviewed_at", "review_reason"],
                       action=f"qualification.{to}", actor=by, now=now,
                       data={"agency": qualification.agency_id,
                             "type": qualification.qualification_type.code,
                             "number": qualification.number, "from": current.value,
                             "reason": reason})
    _notify_review(qualification)
    search.index_later("agency", qualification.agency_id)
    return qualification


def _notify_review(qualification: Qualification) -> None:
    # Inbox texts are stored in the platform language, whatever the regulator's page shows.
    with translation.override(settings.LANGUAGE_CODE):
        names = {"type": str(qualification.qualification_type),
                 "number": qualification.number}
        if qualification.status == Qualification.Status.VERIFIED:
            title = _("Qualification verified: %(type)s %(number)s") % names
            body = qualification.review_reason
        else:
            title = _("Qualification rejected: %(type)s %(number)s") % names
            body = _("Reason: %(reason)s") % {"reason": qualification.review_reason}
    notify_organization(organization=qualification.agency, admins_only=True, title=title,
                        body=body, url=reverse("providers:qualifications"),
                        kind=f"qualification.{qualification.status}")


@transaction.atomic
def qualification_verify(
    *, qualification: Qualification, by, reason: str = "", now: dt.datetime | None = None
) -> Qualification:
    """A regulator confirms the certificate is genuine (regulators only; 409 unless declared)."""
    return _review(qualification=qualification, to=Qualification.Status.VERIFIED,
                   reason=(reason or "").strip(), by=by, now=now or timezone.now())


@transaction.atomic
def qualification_reject(
    *, qualification: Qualification, reason: str, by, now: dt.datetime | None = None
) -> Qualification:
    """A regulator refuses the certificate, with a reason the agency can act on."""
    reason = (reason or "").strip()
    check_regulator(user=by)
    if not reason:
        raise DomainError(_("Give the reason for the rejection."), field="reason")
    return _review(qualification=qualification, to=Qualification.Status.REJECTED,
                   reason=reason, by=by, now=now or timezone.now())
