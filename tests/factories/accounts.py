import factory
from django.contrib.auth import get_user_model
from stdnum.cn import uscc as stdnum_uscc

from marketplace.accounts.models import Membership, Organization
from marketplace.catalog.models import Region

PASSWORD = "Zhongjie-test-2026"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(n: int) -> str:
    """A valid, distinct unified social credit code for the n-th test organization."""
    body = ""
    for _ in range(9):
        n, r = divmod(n, 31)
        body = _USCC_ALPHABET[r] + body
    base = "91500000" + body  # registration dept 9, kind 1, Chongqing division code
    return base + stdnum_uscc.calc_check_digit(base)


def region(code: str = "500103") -> Region:
    return Region.objects.get(code=code)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.AGENCY
    name = factory.Sequence(lambda n: f"重庆测试咨询有限公司{n}")
    uscc = factory.Sequence(lambda n: make_uscc(n + 1000))
    region = factory.LazyFunction(region)
    contact_name = "张三"
    phone = "023-12345678"
    email = factory.Sequence(lambda n: f"org{n}@example.cn")


class AgencyFactory(OrganizationFactory):
    kind = Organization.Kind.AGENCY


class OwnerFactory(OrganizationFactory):
    kind = Organization.Kind.OWNER
    owner_kind = Organization.OwnerKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"重庆测试建设集团{n}")


class GovernmentOwnerFactory(OwnerFactory):
    owner_kind = Organization.OwnerKind.GOVERNMENT
    name = factory.Sequence(lambda n: f"重庆市测试局{n}")


class RegulatorFactory(OrganizationFactory):
    kind = Organization.Kind.REGULATOR
    name = factory.Sequence(lambda n: f"重庆市监管部门{n}")
    region = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(AgencyFactory)
    role = Membership.Role.ADMIN


def member_of(organization: Organization, *, role: str = Membership.Role.ADMIN, **user_kwargs):
    """A user who belongs to `organization` with `role`."""
    return MembershipFactory(organization=organization, role=role,
                             user=UserFactory(**user_kwargs)).user


def in_regulators_group(user):
    """`user` joins the "Regulators" group, as the product's regulator accounts do."""
    from marketplace.accounts.services import regulator_group

    user.groups.add(regulator_group())
    return user


# --- Second factor (docs/decisions.md "Second factor (issue 13 §2)") ------------------------
# RFC 6238's test key (ASCII "12345678901234567890", hex): any fixed key would do.
TOTP_KEY = "3132333435363738393031323334353637383930"


def give_authenticator(user, *, key: str = TOTP_KEY):
    """`user` has a confirmed authenticator app (TOTP device) with a known key."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", key=key,
                                               confirmed=True)


def totp_code(device, *, steps: int = 0) -> str:
    """The code the app shows now (or `steps` periods later), computed as django-otp does."""
    from django_otp.oath import totp

    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps)
    return f"{code:0{device.digits}d}"


def fresh_code(user) -> str:
    """A current code the device will accept even if this test used one within the same 30
    seconds (a code is accepted once: the device forgets the last one, as if time passed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = give_authenticator(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)
    device.refresh_from_db()
    return totp_code(device)


def reauthentication(user, *, password: str = PASSWORD) -> dict:
    """The password and code a sanction or a signature asks for, as form fields."""
    return {"password": password, "otp_code": fresh_code(user)}


def log_in_verified(client, user):
    """`client.force_login(user)` for a user who must pass the second factor (a regulator, a
    superuser): the user gets an authenticator and the session counts as verified by it, as
    after the login's code step. The one way tests log such users in."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = give_authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
