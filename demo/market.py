"""The demo market of `seed_demo`: services on offer, projects in every state, bids, contracts,
a payment and ratings, all made through the services (so every audit entry, receipt, draw and
announcement is real). The projects and their walk through the states are in
`demo.projects`; this module has the agencies' offers, the clock and the steps.

Everything happens in the past, on the real calendar: each project's history is laid out
forward from a start (publishing, the minimum bidding period, the publicity period in working
days, the signing window, the rating window, all from settings), and the start is the latest
working day from which the history ends when the demo needs it to (an award still in
publicity, a contract still inside its signing window…). Services get those times as `now=`.

Idempotent: an offer, a certificate or a project that exists (same agency and item, same
number, same owner and title) is left alone.
"""

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.accounts.models import Membership, Organization
from marketplace.catalog.models import ServiceItem
from marketplace.periods import WorkingCalendar
from providers import services as providers
from providers.models import AgencyService, Qualification, QualificationType

logger = logging.getLogger(__name__)

# A tiny but well-formed PDF: the scan of a declared certificate, a deliverable.
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

# How long before its first project the market opened: when the agencies declared their offers.
OFFERS_BEFORE_FIRST_PROJECT = dt.timedelta(days=20)
# How far back a history may start at most; a longer one (periods set very long) is skipped.
MAX_WORKING_DAYS_BACK = 400


class TimelineTooLong(Exception):
    """The configured periods do not let this history end in time."""


# --- the clock -------------------------------------------------------------------------------

class DemoClock:
    """The seed's "now" and the working-day calendar, to lay histories out in the past."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        self.now = (now or timezone.now()).replace(second=0, microsecond=0)
        self.today = timezone.localdate(self.now)
        self.calendar = WorkingCalendar()

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def working_day_back(self, n: int) -> dt.date:
        """The n-th working day before today (n ≥ 1)."""
        day, remaining = self.today, n
        while remaining:
            day -= dt.timedelta(days=1)
            if self.calendar.is_working_day(day):
                remaining -= 1
        return day

    def fit(self, plan: Callable[[dt.datetime], dict], *, last: str, ago: dt.timedelta,
            hour: int = 9) -> dict:
        """The times `plan(start)` for the latest working-day start (at `hour`) whose step
        `last` is at least `ago` before now."""
        not_after = self.now - ago
        for n in range(1, MAX_WORKING_DAYS_BACK):
            times = plan(self.at(self.working_day_back(n), hour))
            if times[last] <= not_after:
                return times
        raise TimelineTooLong(last)


def minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


# --- who acts --------------------------------------------------------------------------------

def admin_of(organization: Organization):
    """The organization's first administrator (the demo login)."""
    membership = (Membership.objects.filter(organization=organization,
                                            role=Membership.Role.ADMIN)
                  .select_related("user").order_by("id").first())
    if membership is None:
        raise LookupError(f"{organization} has no administrator")
    return membership.user


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, TINY_PDF, content_type="application/pdf")


# --- the agencies' offers --------------------------------------------------------------------

# (service item code, promised days, fee standard, maximum fee or None, service standard)
OFFERS = {
    "agency1": [
        ("EIA-R", 60, "按《建设项目环境影响评价收费标准》下浮20%收取", Decimal("300000"),
         "执行《建设项目环境影响评价技术导则 总纲》（HJ 2.1），报告书一次通过专家技术评审"),
        ("EIA-T", 30, "按国家指导价下浮25%收取，含专家评审费", Decimal("150000"),
         "执行HJ 2.1及行业导则，报告表编制规范、结论明确，协助取得审批意见"),
        ("SOIL", 30, "按水利部水土保持方案编制收费指导价下浮15%收取", Decimal("120000"),
         "执行《生产建设项目水土保持技术标准》（GB 50433），方案通过水行政主管部门审查"),
    ],
    "agency2": [
        ("SAFE-PRE", 25, "按重庆市安全评价收费指导标准下浮10%收取", Decimal("100000"),
         "执行《安全预评价导则》（AQ 8002），报告内容完整，隐患辨识全面"),
        ("OCC-PRE", 25, "按项目投资规模分档收费，最高不超过8万元", Decimal("80000"),
         "执行《建设项目职业病危害预评价技术导则》（GBZ/T 196）"),
        ("EIA-T", 28, "按国家指导价下浮20%收取", Decimal("150000"),
         "执行HJ 2.1及行业导则，提供现场踏勘和公众参与全程服务"),
    ],
    "agency3": [
        ("MAP-TOPO", 15, "按《测绘生产成本费用定额》下浮10%收取", Decimal("200000"),
         "执行《1:500 1:1000 1:2000地形图航空摄影测量内业规范》，成果经质检合格"),
        ("MAP-HOUSE", 10, "按建筑面积每平方米1.2元收取", Decimal("150000"),
         "执行《房产测量规范》（GB/T 17986），成果通过不动产登记机构审核"),
        ("MAP-PLAN", 10, "按实际工作量计费，单项不超过5万元", Decimal("50000"),
         "执行《城市测量规范》（CJJ/T 8），放线、验线及时到场"),
    ],
    "agency4": [
        ("COST", 45, "按重庆市工程造价咨询服务收费标准下浮15%收取", Decimal("500000"),
         "执行《建设工程造价咨询规范》（GB/T 51095），全过程造价控制，偏差率不超过3%"),
        ("AUDIT-FIN", 30, "按审定金额分档累进计费", Decimal("200000"),
         "执行《基本建设项目竣工财务决算管理暂行办法》，审计报告依法合规"),
    ],
    "agency5": [
        ("SOIL", 25, "按水利部指导价下浮20%收取，含监测方案", Decimal("120000"),
         "执行GB 50433，方案编制与水土保持监测一体化服务"),
        ("EIA-T", 30, "按国家指导价下浮15%收取", Decimal("150000"),
         "执行HJ 2.1，报告表一次通过技术审查，否则免费修改至通过"),
        ("MAP-TOPO", 20, "按《测绘生产成本费用定额》下浮15%收取", Decimal("200000"),
         "执行《工程测量标准》（GB 50026），外业数据采集与内业成图同步质检"),
    ],
    "agency6": [
        ("TEST-QUAL", 15, "按重庆市建设工程质量检测收费标准执行", Decimal("300000"),
         "执行《建设工程质量检测管理办法》，检测数据真实、可追溯"),
        # A monopoly item (demo.catalogue): the department's time limit binds its contracts.
        ("TEST-EQUIP", 12, "执行政府定价《重庆市特种设备检验收费标准》", Decimal("80000"),
         "执行《特种设备安全法》及安全技术规范，检验合格后出具监督检验证书"),
        ("MAP-TOPO", 18, "按测绘定额下浮12%收取", Decimal("200000"),
         "执行GB 50026，提供地形图及断面成果"),
    ],
}

# (qualification type code, certificate number, issuer, valid for how many days)
CERTIFICATES = {
    "agency1": [("EIA", "渝环评证字第2024-0117号", "重庆市生态环境局", 900)],
    "agency2": [("SAFETY", "APJ-（渝）-2023-0452", "重庆市应急管理局", 700)],
    "agency3": [("SURVEY-A", "甲测资字50100321", "自然资源部", 1200)],
    "agency4": [("COST", "渝价咨甲字（2022）第0089号", "重庆市住房和城乡建设委员会", 800)],
    "agency5": [("SOIL-WATER", "水保方案（渝）字第0236号", "中国水土保持学会", 600)],
    "agency6": [("CMA", "220012345678", "重庆市市场监督管理局", 1000),
                ("CQ-TEST", "渝建检字第B0157号", "重庆市住房和城乡建设委员会", 1000)],
}


def offers_opened_at(clock: DemoClock) -> dt.datetime:
    """When the agencies declared their offers: before the oldest demo history starts."""
    from demo.price_history import history_start
    from demo.projects import oldest_start

    return minute(min(oldest_start(clock), history_start(clock)) - OFFERS_BEFORE_FIRST_PROJECT)


def seed_agency_offers(market, clock: DemoClock | None = None) -> None:
    """Each demo agency offers its service items with the three commitments and declares its
    certificates (with a scan), as its administrator would on the agency pages."""
    clock = clock or DemoClock()
    when = None
    for username, offers in OFFERS.items():
        agency = market.organizations.get(username)
        if agency is None:
            continue
        by = admin_of(agency)
        for code, days, fee_standard, fee_max, service_standard in offers:
            item = ServiceItem.objects.get(code=code)
            if AgencyService.objects.filter(agency=agency, service_item=item).exists():
                continue
            when = when or offers_opened_at(clock)
            providers.agency_service_add(
                agency=agency, service_item=item, promised_days=days,
                fee_standard=fee_standard, fee_max=fee_max, service_standard=service_standard,
                regional_alerts=code.startswith("MAP"), by=by, now=when)
        for code, number, issuer, valid_days in CERTIFICATES.get(username, ()):
            if Qualification.objects.filter(agency=agency, number=number).exists():
                continue
            when = when or offers_opened_at(clock)
            providers.qualification_declare(
                agency=agency, qualification_type=QualificationType.objects.get(code=code),
                number=number, issuer=issuer,
                valid_until=clock.today + dt.timedelta(days=valid_days),
                file=pdf(f"{code}.pdf"), by=by, now=when + dt.timedelta(minutes=30))


# --- after-commit effects, now ---------------------------------------------------------------

@contextmanager
def _quiet_console_mail():
    """Demo e-mails go to example.cn addresses: with the console backend they would flood
    `make run`'s output, so they are written to EMAIL_FILE_PATH instead."""
    if settings.EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend":
        yield
        return
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend"):
        yield


def run_pending_tasks(*, rounds: int = 20) -> int:
    """Run every pending outbox message here and now (announcements, notices, index updates),
    as the eager mode does, so the demo shows them before any worker is up. Messages claimed
    here are skipped when the transaction's after-commit sends run."""
    from celery import current_app

    from marketplace.outbox.services import flush

    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    trace = logging.getLogger("celery.app.trace")  # one INFO line per task: hundreds here
    level = trace.level
    trace.setLevel(logging.WARNING)
    done = 0
    try:
        with _quiet_console_mail():
            for _round in range(rounds):  # a task may enqueue others (a notice's e-mail)
                sent = flush(limit=10_000)
                done += sent
                if not sent:
                    break
    finally:
        current_app.conf.task_always_eager = eager
        trace.setLevel(level)
    return done


# --- the steps of seed_demo ------------------------------------------------------------------

def seed_market_offers(market) -> None:
    seed_agency_offers(market)


def seed_market_projects(market) -> None:
    """Projects in every state, then their announcements and notices at once."""
    from demo.price_history import seed_price_history
    from demo.projects import seed_projects

    clock = DemoClock()
    seed_projects(market, clock)
    seed_price_history(market, clock)  # a year of awards for the price index (issue 15 §3)
    run_pending_tasks()

