import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS


def default_credit_score() -> Decimal:
    return Decimal(str(settings.MARKETPLACE_DEFAULT_CREDIT_SCORE)).quantize(Decimal("0.01"))


# What the organization says about itself on its public profile (简介); long enough for a few
# paragraphs, short enough to read on a phone.
INTRODUCTION_MAX_LENGTH = 2000


class Organization(models.Model):
    """An agency, a project owner or a regulator, identified by its USCC."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Intermediary agency")
        OWNER = "owner", _("Project owner")
        REGULATOR = "regulator", _("Regulator")

    class OwnerKind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        GOVERNMENT = "government", _("Government department")
        INSTITUTION = "institution", _("Public institution")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        EXITED = "exited", _("Exited from the market")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    owner_kind = models.CharField(_("owner kind"), max_length=16, choices=OwnerKind, blank=True)
    name = models.CharField(_("name"), max_length=200)
    # Unique among organizations in the market; an exited organization keeps its record (and
    # history) while the same USCC may register afresh once the exit period is over.
    uscc = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    region = models.ForeignKey(
        "catalog.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    introduction = models.TextField(_("introduction"), max_length=INTRODUCTION_MAX_LENGTH,
                                    blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    # Credit standing, checked by the apps below `ratings` and written only by `ratings` services.
    credit_score = models.DecimalField(
        _("credit score"), max_digits=5, decimal_places=2, default=default_credit_score
    )
    credit_grade = models.CharField(_("credit grade"), max_length=1, default="B")
    blacklisted_until = models.DateTimeField(_("blacklisted until"), null=True, blank=True)
    # After a market exit the USCC may not register again until this moment.
    exit_until = models.DateTimeField(_("excluded until"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="owner", owner_kind__in=["enterprise", "government",
                                                                  "institution"])
                | (~models.Q(kind="owner") & models.Q(owner_kind="")),
                name="organization_owner_kind_matches_kind",
            ),
            models.UniqueConstraint(fields=["uscc"], condition=~models.Q(status="exited"),
                                    name="organization_uscc_unique_in_market"),
        ]
        indexes = [
            models.Index(fields=["kind", "status"]),
            # The agency directory's two orders (providers.filters.AgencyFilter): a page is
            # read in index order, not by sorting every agency by name (issue 14 §1).
            models.Index(fields=["kind", "status", "name", "id"],
                         name="organization_directory_name"),
            models.Index(fields=["kind", "status", "-credit_score", "name", "id"],
                         name="organization_directory_score"),
            # The home page's newest agencies (cms.selectors.new_agencies), read newest first.
            models.Index(fields=["kind", "status", "-created_at", "-id"],
                         name="organization_newest"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_agency(self) -> bool:
        return self.kind == self.Kind.AGENCY

    @property
    def is_owner(self) -> bool:
        return self.kind == self.Kind.OWNER

    @property
    def is_regulator(self) -> bool:
        return self.kind == self.Kind.REGULATOR

    @property
    def is_government_owner(self) -> bool:
        return self.is_owner and self.owner_kind == self.OwnerKind.GOVERNMENT

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED

    @property
    def is_exited(self) -> bool:
        return self.status == self.Status.EXITED

    def is_blacklisted(self, now=None) -> bool:
        now = now or timezone.now()
        return self.blacklisted_until is not None and self.blacklisted_until > now


class Membership(models.Model):
    """A user's place in exactly one organization."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        STAFF = "staff", _("Staff")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.STAFF)
    # Administrators always sign for their organization; staff only when granted this right
    # (marketplace.accounts.rules.may_sign_contracts).
    can_sign_contracts = models.BooleanField(_("may sign contracts"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An organization admin's invitation for a colleague to join as staff."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role, default=Membership.Role.STAFF
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.expires_at > now


class OrganizationNameChange(models.Model):
    """A regulator's change of an organization's name (曾用名 on the public profile). Appended,
    never edited: the history of names is public credit information."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="name_changes"
    )
    old_name = models.CharField(_("former name"), max_length=200)
    new_name = models.CharField(_("new name"), max_length=200)
    reason = models.TextField(_("reason"), max_length=TEXT_LIMITS["reason"])
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("organization name change")
        verbose_name_plural = _("organization name changes")

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"


class UserSession(models.Model):
    """A login of a user on a device, so that the user can see and end it. The Django session
    (by `session_key`) is the truth; a row whose session has ended or expired is stale and is
    neither shown nor kept beyond the user's next login."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("logged in at"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at", "-pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user} @ {self.ip_address or '?'}"


class ApiToken(models.Model):
    """A key a program uses to act for its user through the API (`Authorization: Token …`).

    Only the key's SHA-256 is stored: the key itself is shown once, when it is issued, and a
    copy of this table logs nobody in. Its first characters (`prefix`) tell a user's keys apart.
    A token lives `API_TOKEN_TTL_DAYS` after its last use (`last_used_at`, refreshed at most once
    a minute); a revoked token keeps its row, so a client is told why it was refused."""

    class Revocation(models.TextChoices):
        BY_USER = "user", _("Revoked by its user")
        PASSWORD_CHANGED = "password_changed", _("The password was changed")
        LOGGED_OUT_EVERYWHERE = "logged_out_everywhere", _("Logged out everywhere")
        MEMBER_REMOVED = "member_removed", _("Removed from the organization")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("token"), max_length=8)
    user_agent = models.CharField(_("program"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_because = models.CharField(max_length=32, choices=Revocation, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def expires_at(self):
        """Sliding: every use (recorded at most once a minute) starts the period again."""
        return self.last_used_at + timedelta(days=settings.API_TOKEN_TTL_DAYS)

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
