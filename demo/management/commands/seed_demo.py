"""`manage.py seed_demo [--once]`: a small, realistic demo market, made through the services.

Idempotent: what exists already (same USCC, same user name) is left alone. With `--once` the
command does nothing at all when the demo regulator account exists, which is the last thing a
complete run creates (`make run` calls it that way on every start).

Later apps add their own steps to `STEPS` (services with commitments, projects, bids…): each
step receives the `DemoMarket` built so far and must be idempotent too.
"""

from base64 import b32decode
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import uscc as stdnum_uscc

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organization
from marketplace.audit.checkpoints import create_checkpoint
from marketplace.catalog.models import Region

DEMO_PASSWORD = "demo-pass-2026"
REGULATOR_USERNAME = "regulator"
# The demo regulator's authenticator app key (two-step verification is mandatory for
# regulators): add it to an authenticator app by hand (time-based, 6 digits, 30 s). Demo data
# only, printed by the command and in the README; never a real account's key.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def demo_uscc(prefix: str, division: str, serial: int) -> str:
    """A valid, recognisably fake code: registering authority and kind, division, MA5UD…"""
    base = f"{prefix}{division}MA5UD{serial:04d}"
    return base + stdnum_uscc.calc_check_digit(base)


@dataclass(frozen=True)
class DemoOrganization:
    username: str
    kind: str
    name: str
    region: str
    contact_name: str
    phone: str
    uscc: str
    owner_kind: str = ""

    @property
    def email(self) -> str:
        return f"{self.username}@demo.example.cn"


OWNER = Organization.Kind.OWNER
AGENCY = Organization.Kind.AGENCY

ORGANIZATIONS = [
    # Owners: one of each kind. USCC prefixes: 11 government body, 91 company, 12 institution.
    DemoOrganization("owner1", OWNER, "重庆市渝北区住房和城乡建设委员会", "500112", "王建国",
                     "023-67801001", demo_uscc("11", "500112", 1),
                     Organization.OwnerKind.GOVERNMENT),
    DemoOrganization("owner2", OWNER, "重庆两江渝兴置业有限公司", "500105", "李晓梅",
                     "023-67802002", demo_uscc("91", "500105", 2),
                     Organization.OwnerKind.ENTERPRISE),
    DemoOrganization("owner3", OWNER, "重庆市沙坪坝区人民医院", "500106", "陈静",
                     "023-65303003", demo_uscc("12", "500106", 3),
                     Organization.OwnerKind.INSTITUTION),
    # Agencies in several districts, covering assessment, surveying, cost and testing work.
    DemoOrganization("agency1", AGENCY, "重庆绿源环境影响评价有限公司", "500103", "张伟",
                     "023-63101101", demo_uscc("91", "500103", 101)),
    DemoOrganization("agency2", AGENCY, "重庆安诚安全技术咨询有限公司", "500106", "刘洋",
                     "023-65302102", demo_uscc("91", "500106", 102)),
    DemoOrganization("agency3", AGENCY, "重庆中测地理信息工程有限公司", "500112", "赵磊",
                     "023-67803103", demo_uscc("91", "500112", 103)),
    DemoOrganization("agency4", AGENCY, "重庆正衡工程造价咨询有限公司", "500107", "孙丽",
                     "023-68704104", demo_uscc("91", "500107", 104)),
    DemoOrganization("agency5", AGENCY, "重庆三峡水土保持技术服务有限公司", "500101", "周强",
                     "023-58105105", demo_uscc("91", "500101", 105)),
    DemoOrganization("agency6", AGENCY, "重庆建科检测鉴定有限公司", "500108", "吴敏",
                     "023-62806106", demo_uscc("91", "500108", 106)),
]


@dataclass
class DemoMarket:
    organizations: dict[str, Organization] = field(default_factory=dict)  # by admin user name
    created: list[str] = field(default_factory=list)  # user names made by this run


def seed_organizations(market: DemoMarket) -> None:
    User = get_user_model()
    for demo in ORGANIZATIONS:
        existing = Organization.objects.filter(uscc=demo.uscc).first()
        if existing is None and not User.objects.filter(username=demo.username).exists():
            existing, _user = accounts.register_organization(
                kind=demo.kind,
                owner_kind=demo.owner_kind,
                name=demo.name,
                uscc=demo.uscc,
                region=Region.objects.get(code=demo.region),
                contact_name=demo.contact_name,
                phone=demo.phone,
                email=demo.email,
                username=demo.username,
                password=DEMO_PASSWORD,
            )
            market.created.append(demo.username)
        if existing is not None:
            market.organizations[demo.username] = existing


def seed_regulator(market: DemoMarket) -> None:
    """Last: the regulator account is the marker `--once` looks for."""
    User = get_user_model()
    user = User.objects.filter(username=REGULATOR_USERNAME).first()
    if user is None:
        user = accounts.create_regulator(username=REGULATOR_USERNAME, password=DEMO_PASSWORD,
                                         email=f"{REGULATOR_USERNAME}@demo.example.cn")
        market.created.append(REGULATOR_USERNAME)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True,
                                  key=b32decode(DEMO_TOTP_SECRET).hex())
    membership = getattr(user, "membership", None)
    if membership is not None:
        market.organizations[REGULATOR_USERNAME] = membership.organization


def seed_site_content(market: DemoMarket) -> None:
    """The Wagtail site: home page blocks, notices and help pages, zh with en translations."""
    from demo.site import seed_site

    seed_site()


def seed_catalogue(market: DemoMarket) -> None:
    """The service items' published terms (demo.catalogue)."""
    from demo.catalogue import seed_catalogue_terms

    seed_catalogue_terms()


def seed_market(market: DemoMarket) -> None:
    """Services on offer, projects in every state, contracts, a payment, ratings
    (demo.market), with their announcements and notices."""
    from demo.market import seed_market_offers, seed_market_projects

    seed_market_offers(market)
    seed_market_projects(market)


# seed_regulator stays last: it is the marker `--once` looks for.
def seed_red_flags(market: DemoMarket) -> None:
    """The red flags of the demo market, computed once as the nightly task would."""
    from ratings.models import RedFlagRun
    from ratings.services.redflags import red_flags_run

    if not RedFlagRun.objects.exists():
        red_flags_run()


STEPS: list[Callable[[DemoMarket], None]] = [seed_organizations, seed_site_content,
                                             seed_catalogue, seed_market, seed_red_flags,
                                             seed_regulator]


def is_seeded() -> bool:
    return get_user_model().objects.filter(username=REGULATOR_USERNAME).exists()


def existing_market() -> DemoMarket:
    market = DemoMarket()
    by_uscc = {demo.uscc: demo.username for demo in ORGANIZATIONS}
    for organization in Organization.objects.filter(uscc__in=by_uscc):
        market.organizations[by_uscc[organization.uscc]] = organization
    regulator = Organization.objects.filter(
        memberships__user__username=REGULATOR_USERNAME).first()
    if regulator is not None:
        market.organizations[REGULATOR_USERNAME] = regulator
    return market


class Command(BaseCommand):
    help = "Create a small demo market (owners, agencies, a regulator) with fixed demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="Do nothing if the demo has been seeded before.")

    def handle(self, *args, once: bool, **options):
        if once and is_seeded():
            self.stdout.write("Demo data already present; nothing to do.")
            self._print_logins(existing_market())
            return
        market = DemoMarket()
        with transaction.atomic():
            for step in STEPS:
                step(market)
        create_checkpoint()  # the public checkpoints page starts with one (as the beat would)
        self.stdout.write(self.style.SUCCESS(
            f"Demo market ready: {len(market.created)} account(s) created, "
            f"{len(market.organizations)} demo organization(s) in place."
        ))
        self._print_logins(market)

    def _print_logins(self, market: DemoMarket) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"{'user name':<12}{'kind':<24}organization")
        for username in [REGULATOR_USERNAME, *(d.username for d in ORGANIZATIONS)]:
            organization = market.organizations.get(username)
            if organization is None:
                continue
            kind = organization.kind
            if organization.owner_kind:
                kind = f"{kind}/{organization.owner_kind}"
            self.stdout.write(f"{username:<12}{kind:<24}{organization.name}")
        self.stdout.write(f"\n{REGULATOR_USERNAME} uses two-step verification: add the key "
                          f"{DEMO_TOTP_SECRET} to an authenticator app (time-based) and enter "
                          "its code after the password.")
