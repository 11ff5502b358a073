"""Registration, staff invitations and regulator accounts."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Invitation, Membership, Organization
from marketplace.accounts.validators import normalize_uscc
from marketplace.actors import require_admin_of
from marketplace.audit import services as audit
from marketplace.errors import DomainError, StateConflict
from marketplace.notifications.services import send_plain_email

User = get_user_model()

INVITATION_VALIDITY = dt.timedelta(days=7)
INVITATION_CLOSED = _("This invitation is no longer valid. Ask your administrator for a new one.")


def _field_error(field: str, error: ValidationError) -> DomainError:
    return DomainError(" ".join(str(m) for m in error.messages), field=field)


def check_uscc_available(uscc: str, *, now=None) -> str:
    """Validated, normalized USCC that no organization holds yet (and not under exit ban)."""
    now = now or timezone.now()
    try:
        uscc = normalize_uscc(uscc)
    except ValidationError as exc:
        raise _field_error("uscc", exc)
    holders = Organization.objects.filter(uscc=uscc)
    banned = (holders.filter(status=Organization.Status.EXITED, exit_until__gt=now)
              .order_by("-exit_until").first())
    if banned is not None:
        raise DomainError(
            _("This organization was removed from the market and cannot register again "
              "before %(date)s.") % {"date": timezone.localtime(banned.exit_until).date()},
            field="uscc", code="org.exit_period",
        )
    # After the exit period the USCC registers as a new organization; the exited record keeps
    # its history. The partial unique constraint decides a race between two registrations.
    if holders.exclude(status=Organization.Status.EXITED).exists():
        raise DomainError(
            _("An organization with this unified social credit code is already registered."),
            field="uscc", code="org.uscc_registered",
        )
    return uscc


def check_username_available(username: str) -> None:
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This user name is taken; please choose another."), field="username",
                          code="account.username_taken")


@transaction.atomic
def register_organization(
    *,
    kind: str,
    name: str,
    uscc: str,
    region,
    contact_name: str,
    phone: str,
    email: str,
    username: str,
    password: str,
    owner_kind: str = "",
    now=None,
) -> tuple[Organization, "User"]:
    """Zero threshold: the organization and its admin exist and can act as soon as this returns."""
    now = now or timezone.now()
    if kind not in (Organization.Kind.AGENCY, Organization.Kind.OWNER):
        raise DomainError(_("Only agencies and project owners can register."), field="kind")
    if kind == Organization.Kind.OWNER and owner_kind not in Organization.OwnerKind.values:
        raise DomainError(_("Choose the kind of project owner."), field="owner_kind")
    if kind != Organization.Kind.OWNER:
        owner_kind = ""
    uscc = check_uscc_available(uscc, now=now)
    check_username_available(username)
    candidate = User(username=username, email=email, first_name=contact_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise _field_error("password", exc)
    try:
        with transaction.atomic():
            organization = Organization.objects.create(
                kind=kind,
                owner_kind=owner_kind,
                name=name.strip(),
                uscc=uscc,
                region=region,
                contact_name=contact_name.strip(),
                phone=phone.strip(),
                email=email.strip(),
                created_at=now,
            )
            user = User.objects.create_user(
                username=username, email=email, password=password, first_name=contact_name
            )
    except IntegrityError:
        # Two registrations raced past the checks above; the unique constraints decided.
        raise DomainError(
            _("An organization with this unified social credit code is already registered."),
            field="uscc", code="org.uscc_registered",
        )
    Membership.objects.create(user=user, organization=organization, role=Membership.Role.ADMIN)
    audit.record(
        action="organization.registered",
        actor=user,
        organization=organization,
        obj=organization,
        data={"kind": kind, "owner_kind": owner_kind, "uscc": uscc, "name": organization.name},
        now=now,
    )
    return organization, user


@transaction.atomic
def invite_staff(*, organization: Organization, email: str, by, now=None) -> Invitation:
    now = now or timezone.now()
    require_admin_of(by, organization)
    if User.objects.filter(email__iexact=email, membership__organization=organization).exists():
        raise DomainError(_("This person is already a member of your organization."),
                          field="email")
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        invited_by=by,
        created_at=now,
        expires_at=now + INVITATION_VALIDITY,
    )
    audit.record(action="organization.staff_invited", actor=by, organization=organization,
                 obj=invitation, data={"email": email}, now=now)
    link = reverse("accounts:accept_invitation", args=[invitation.token])
    send_plain_email(
        to=email,
        subject=_("You are invited to join %(organization)s") % {"organization": organization},
        body=_("%(inviter)s invites you to join %(organization)s on the intermediary services "
               "marketplace. Accept within 7 days:") % {"inviter": by.get_username(),
                                                         "organization": organization},
        url=link,
    )
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, username: str, password: str, now=None):
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or not invitation.is_open(now):
        raise StateConflict(INVITATION_CLOSED)
    check_username_available(username)
    candidate = User(username=username, email=invitation.email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise _field_error("password", exc)
    user = User.objects.create_user(username=username, email=invitation.email, password=password)
    Membership.objects.create(user=user, organization=invitation.organization, role=invitation.role)
    if invitation.organization.is_regulator:
        # Regulators act in the console (inspectors record their results there): every staff
        # member of the regulator joins its group, as create_regulator's accounts do.
        user.groups.add(regulator_group())
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(action="organization.staff_joined", actor=user,
                 organization=invitation.organization, obj=invitation,
                 data={"username": username, "role": invitation.role}, now=now)
    return user


REGULATOR_NAME = "重庆市中介服务监管部门"
# A syntactically valid placeholder code for the platform's own regulator organization.
REGULATOR_USCC = "11500000MB1234567X"
# Regulators keep the reference data: the holiday calendar above all (periods.py), which has to
# be entered for every new year. Until the console has its own pages, that is the Django admin.
REGULATOR_GROUP = "Regulators"
REGULATOR_PERMISSIONS = {
    "calendaryear": ("add", "change", "delete", "view"),
    "calendarday": ("add", "change", "delete", "view"),
    "serviceitem": ("view",),
    "region": ("view",),
}


def regulator_group() -> Group:
    group, _created = Group.objects.get_or_create(name=REGULATOR_GROUP)
    codenames = [f"{action}_{model}" for model, actions in REGULATOR_PERMISSIONS.items()
                 for action in actions]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="catalog",
                                                     codename__in=codenames))
    return group


@transaction.atomic
def create_regulator(*, username: str, password: str, email: str = "",
                     organization_name: str = REGULATOR_NAME) -> "User":
    """The regulator organization (created once) and an admin account in it.

    Running it again for the same user name resets that user's password; a user who belongs to
    an agency or owner is refused rather than moved.
    """
    organization = Organization.objects.filter(kind=Organization.Kind.REGULATOR).first()
    if organization is None:
        from stdnum.cn import uscc as stdnum_uscc

        base = REGULATOR_USCC[:17]
        organization = Organization.objects.create(
            kind=Organization.Kind.REGULATOR,
            name=organization_name,
            uscc=base + stdnum_uscc.calc_check_digit(base),
        )
    user = User.objects.filter(username=username).select_related("membership").first()
    if user is None:
        user = User.objects.create_user(username=username, email=email, password=password)
    else:
        membership = getattr(user, "membership", None)
        if membership is not None and membership.organization_id != organization.pk:
            raise DomainError(_("This user belongs to another organization."), field="username")
        user.set_password(password)
        user.save(update_fields=["password"])
    # Staff status opens the Django admin, where the group's permissions are all they can do.
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(regulator_group())
    Membership.objects.update_or_create(
        user=user, defaults={"organization": organization, "role": Membership.Role.ADMIN}
    )
    audit.record(action="regulator.account_created", organization=organization, obj=user,
                 data={"username": username})
    return user
