"""The demo projects of `seed_demo` and their walk through the states, through the services.

Each `DemoProject` names the state it ends in (`target`); `walk` takes it there with the times
of its history (`plan`), fitted into the past by `DemoClock.fit` so that what must still be
running is (bids still open, an award in publicity, a contract inside its signing window).
"""

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bidding import services as bidding
from bidding.client import ClientInfo
from bidding.models import Project
from bidding.services.projects import min_bidding_end
from contracts import services as contracts
from contracts.models import Contract
from contracts.payments import services as payments
from demo.market import (
    DemoClock,
    TimelineTooLong,
    admin_of,
    minute,
    pdf,
)
from marketplace.catalog.models import Region, ServiceItem
from marketplace.periods import add_period, setting_period
from providers.models import QualificationType

logger = logging.getLogger(__name__)

Method = Project.Method
AMOUNT, RATE = Project.QuoteFormat.AMOUNT, Project.QuoteFormat.DISCOUNT_RATE
H, D = dt.timedelta(hours=1), dt.timedelta(days=1)


@dataclass(frozen=True)
class DemoBid:
    agency: str
    offer: str  # the price, or the discount rate for a discount-rate project
    days: int
    ip: str = ""  # where it was submitted from (bidding.client); "" for none recorded
    proposal: str = ("详见技术方案：项目组由高级工程师任负责人，"
                     "配备专业技术人员，按承诺时间交付成果。")


@dataclass(frozen=True)
class DemoProject:
    owner: str
    title: str
    item: str
    region: str
    description: str
    method: str
    budget: str
    target: str  # bidding | evaluating | publicity | awarded | active | completed | failed | …
    bids: tuple[DemoBid, ...] = ()
    quote_format: str = AMOUNT
    discount: tuple[str, str] | None = None
    weights: dict | None = None
    min_bidders: int = 3
    qualifications: tuple[str, ...] = ()
    question: tuple[str, str, str] | None = None  # asking agency, question, owner's answer
    choose: str = ""  # direct selection: the agency the owner picks
    cancel_reason: str = ""
    published_days_back: int = 1  # bidding projects: published that many working days ago


# Which step of its history must be over, and how long ago, for a project to be in `target`.
TARGETS = {
    "evaluating": ("open", 2 * H),
    "failed": ("open", 20 * D),
    "publicity": ("award", 2 * H),
    "awarded": ("finalize", 3 * H),
    "active": ("agency_sign", 12 * D),
    "completed": ("agency_rating", 6 * D),
    "cancelled": ("cancel", 9 * D),
}

PROJECTS = [
    DemoProject(
        owner="owner1", target="bidding", published_days_back=2,
        title="渝北区龙兴镇污水处理厂扩建工程环境影响评价（报告表）", item="EIA-T",
        region="500112", method=Method.LOWEST_PRICE, budget="128000",
        description="龙兴镇污水处理厂现状规模1万吨/日，拟扩建至2万吨/日，新增生化池、深度处理"
                    "车间及配套管网约3.2公里。委托编制建设项目环境影响报告表，并协助取得渝北区"
                    "生态环境局审批意见。",
        bids=(DemoBid("agency1", "96350.00", 25), DemoBid("agency5", "103870.00", 28)),
        question=("agency2", "本项目是否需要开展地下水环境现状监测？监测费用是否包含在最高限价内？",
                  "需要。按HJ 610要求布设不少于3个地下水监测点位，监测费用包含在最高限价内，"
                  "请在报价中统筹考虑。")),
    DemoProject(
        owner="owner3", target="bidding", published_days_back=1,
        title="沙坪坝区人民医院新院区1:500地形图测绘", item="MAP-TOPO", region="500106",
        method=Method.COMPREHENSIVE, budget="186000", quote_format=RATE,
        discount=("5", "20"), weights={"price": 50, "credit": 20, "commitment": 30},
        description="新院区选址位于沙坪坝区西永组团，测区面积约0.62平方公里，地形起伏较大。需完成"
                    "1:500数字地形图测绘，提交DWG、PDF成果及技术总结报告，成果须经第三方质检合格。",
        bids=(DemoBid("agency3", "13.75", 12), DemoBid("agency6", "11.40", 15)),
        question=("agency5", "测区范围内是否包含地下管线探测？成果采用何种坐标系？",
                  "不包含地下管线探测，另行委托。成果采用CGCS2000坐标系和1985国家高程基准。")),
    DemoProject(
        owner="owner2", target="evaluating", title="两江渝兴·悦江府二期项目水土保持方案编制",
        item="SOIL", region="500105", method=Method.DIRECT, budget="85000", min_bidders=1,
        description="悦江府二期用地面积约5.8公顷，总建筑面积约16万平方米，涉及土石方开挖约12万立方"
                    "米。委托编制水土保持方案报告书并取得两江新区水行政主管部门批复。",
        bids=(DemoBid("agency1", "72600.00", 25), DemoBid("agency5", "68400.00", 22))),
    DemoProject(
        owner="owner1", target="publicity", title="渝北区空港大道南延伸段道路工程1:500地形图测绘",
        item="MAP-TOPO", region="500112", method=Method.LOWEST_PRICE, budget="158000",
        quote_format=RATE, discount=("8", "25"),
        description="空港大道南延伸段全长约4.6公里，测绘范围为道路红线外扩50米，需完成1:500带状地形"
                    "图、纵横断面测量及控制测量，为初步设计提供基础资料。",
        bids=(DemoBid("agency3", "16.50", 14), DemoBid("agency5", "18.20", 18),
              DemoBid("agency6", "12.00", 16))),
    DemoProject(
        owner="owner3", target="awarded",
        title="沙坪坝区人民医院医技综合楼建设项目环境影响评价（报告表）", item="EIA-T",
        region="500106", method=Method.RANDOM, budget="98000",
        description="医技综合楼地上12层、地下2层，总建筑面积约3.6万平方米（辐射环评另行委托）。委托"
                    "编制建设项目环境影响报告表，并承担技术评审期间的修改完善工作。",
        bids=(DemoBid("agency1", "82500.00", 25), DemoBid("agency2", "79800.00", 26),
              DemoBid("agency5", "85600.00", 28))),
    DemoProject(
        owner="owner2", target="active", title="两江渝兴·悦江府二期项目全过程工程造价咨询",
        item="COST", region="500105", method=Method.DIRECT, budget="420000", min_bidders=1,
        qualifications=("COST",), choose="agency4",
        description="悦江府二期总投资约6.8亿元。服务内容包括施工图预算编制、招标控制价编制、施工"
                    "阶段造价控制及结算审核，执行《建设工程造价咨询规范》（GB/T 51095）。",
        bids=(DemoBid("agency4", "386000.00", 45),)),
    # A monopoly item (issue 17 §3): a government department selects the agency directly; the
    # contract carries the time limit the competent department published.
    DemoProject(
        owner="owner1", target="awarded", title="渝北区龙塔街道保障性住房项目电梯监督检验",
        item="TEST-EQUIP", region="500112", method=Method.DIRECT, budget="48000",
        min_bidders=1, choose="agency6",
        description="保障性住房项目共安装乘客电梯14台。委托依法核准的特种设备检验机构开展安装监督"
                    "检验，出具监督检验证书，满足电梯投入使用登记要求。",
        bids=(DemoBid("agency6", "45600.00", 12),)),
    DemoProject(
        owner="owner1", target="completed", title="渝北区悦来片区市政道路工程水土保持方案编制",
        item="SOIL", region="500112", method=Method.LOWEST_PRICE, budget="76000",
        min_bidders=2,
        description="悦来片区新建市政道路3条，总长约2.8公里，扰动地表面积约9.4公顷。委托编制水土保"
                    "持方案报告书，取得渝北区水利局批复后交付。",
        bids=(DemoBid("agency1", "63800.00", 24), DemoBid("agency5", "59600.00", 22))),
    DemoProject(
        owner="owner3", target="failed", title="沙坪坝区人民医院医技综合楼安全预评价",
        item="SAFE-PRE", region="500106", method=Method.LOWEST_PRICE, budget="65000",
        description="对医技综合楼建设项目开展安全预评价，辨识危险有害因素，提出安全对策措施，"
                    "编制安全预评价报告并通过专家评审。",
        bids=(DemoBid("agency2", "58200.00", 20),)),
    DemoProject(
        owner="owner2", target="cancelled", title="两江渝兴·悦江府一期房产测绘（预测绘）",
        item="MAP-HOUSE", region="500105", method=Method.COMPREHENSIVE, budget="52000",
        description="悦江府一期7栋住宅及地下车库，总建筑面积约9.1万平方米，需完成房产预测绘并出具"
                    "面积预测报告，满足商品房预售许可要求。",
        cancel_reason="因项目规划方案调整，本次采购终止；方案调整完成后将重新发布。"),
]

OWNER_RATING = ({"quality": 5, "timeliness": 5, "attitude": 5, "fee_compliance": 4,
                 "conduct": 5}, "方案编制规范，按期取得批复，项目负责人沟通及时、响应迅速。")
AGENCY_RATING = ({"cooperation": 5, "clarity": 4, "payment": 5},
                 "业主配合积极，基础资料提供及时，验收后按合同约定付款。")


# --- the history of one project --------------------------------------------------------------

def plan(clock: DemoClock, spec: DemoProject, publish: dt.datetime) -> dict:
    """Every moment of the project's history when published at `publish`, from the periods in
    settings and the working-day calendar."""
    deadline = max(clock.at(add_period(publish, "5wd").date(), 9, 30), min_bidding_end(publish))
    if spec.target == "bidding":  # still open in the coming days
        deadline = max(deadline, clock.at(add_period(clock.now, "2wd").date(), 9, 30))
    t = {"create": publish - 40 * dt.timedelta(minutes=1), "publish": publish,
         "bids": [publish + H + i * dt.timedelta(minutes=50) for i in range(len(spec.bids))],
         "ask": publish + 2 * H + dt.timedelta(minutes=15), "answer": publish + 4.5 * H,
         "cancel": publish + D + 6 * H, "deadline": deadline,
         "open": deadline + dt.timedelta(minutes=5)}
    t["award"] = t["open"] + 2 * H
    t["finalize"] = add_period(t["award"], setting_period("MARKETPLACE_PUBLICITY_PERIOD")) \
        + dt.timedelta(minutes=10)
    window = add_period(t["finalize"], setting_period("MARKETPLACE_SIGNING_PERIOD")) \
        - t["finalize"]
    t["owner_sign"] = t["finalize"] + min(D, window * 0.3)
    t["agency_sign"] = t["owner_sign"] + min(3 * H, window * 0.2)
    days = min((b.days for b in spec.bids), default=1)
    t["deliver"] = minute(t["agency_sign"] + dt.timedelta(days=days * 0.6))
    t["accept"] = t["deliver"] + 2 * D
    t["pay"] = t["accept"] + D
    t["confirm"] = t["pay"] + 5 * H
    rating = add_period(t["accept"], setting_period("MARKETPLACE_RATING_PERIOD")) - t["accept"]
    t["owner_rating"] = minute(t["accept"] + rating * 0.2)
    t["agency_rating"] = minute(t["accept"] + rating * 0.3)
    return t


def schedule(clock: DemoClock, spec: DemoProject) -> dict:
    if spec.target == "bidding":
        return plan(clock, spec, clock.at(clock.working_day_back(spec.published_days_back), 9))
    last, ago = TARGETS[spec.target]
    return clock.fit(lambda start: plan(clock, spec, start), last=last, ago=ago)


def all_projects() -> list[DemoProject]:
    """The projects above and those that make the red-flag indicators fire."""
    from demo.redflag_projects import RED_FLAG_PROJECTS

    return PROJECTS + RED_FLAG_PROJECTS


def oldest_start(clock: DemoClock) -> dt.datetime:
    starts = []
    for spec in all_projects():
        try:
            starts.append(schedule(clock, spec)["create"])
        except TimelineTooLong:
            continue
    return min(starts, default=clock.now - 30 * D)


def walk(spec: DemoProject, t: dict, organizations: dict) -> Project:
    """Take the project through the services to `spec.target`, at the times `t`."""
    owner = organizations[spec.owner]
    by = admin_of(owner)
    project = bidding.project_create(
        owner=owner, by=by, title=spec.title, service_item=ServiceItem.objects.get(code=spec.item),
        description=spec.description, region=Region.objects.get(code=spec.region),
        budget_cap=Decimal(spec.budget), selection_method=spec.method,
        bid_deadline=t["deadline"], min_bidders=spec.min_bidders, weights=spec.weights,
        required_qualifications=list(QualificationType.objects.filter(
            code__in=spec.qualifications)),
        quote_format=spec.quote_format,
        discount_rate_min=Decimal(spec.discount[0]) if spec.discount else None,
        discount_rate_max=Decimal(spec.discount[1]) if spec.discount else None,
        # A department pays from a budget line (issue 17 §2); the number is the demo's own.
        budget_reference=f"渝财建〔2026〕{100 + len(spec.title)}号" if owner.is_government_owner
        else "",
        now=t["create"])
    bidding.project_publish(project=project, by=by, now=t["publish"])
    if spec.target == "cancelled":
        return bidding.project_cancel(project=project, by=by, reason=spec.cancel_reason,
                                      now=t["cancel"])
    bids = {}
    for demo_bid, at in zip(spec.bids, t["bids"], strict=True):
        offer = Decimal(demo_bid.offer)
        bids[demo_bid.agency] = bidding.bid_submit(
            project=project, by=admin_of(organizations[demo_bid.agency]),
            price=None if spec.quote_format == RATE else offer,
            discount_rate=offer if spec.quote_format == RATE else None,
            promised_days=demo_bid.days, proposal=demo_bid.proposal, now=at,
            client=ClientInfo(ip=demo_bid.ip, agent_hash="") if demo_bid.ip else None)
    if spec.question:
        asker, text, answer = spec.question
        question = bidding.question_ask(project=project, by=admin_of(organizations[asker]),
                                        text=text, now=t["ask"])
        bidding.question_answer(question=question, by=by, text=answer, now=t["answer"])
    if spec.target == "bidding":
        return project
    project = bidding.project_open(project=project, now=t["open"])  # the platform, at the deadline
    if spec.target in ("evaluating", "failed"):
        return project
    chosen = bids[spec.choose] if spec.choose else None
    bidding.project_award(project=project, by=by, bid=chosen, now=t["award"])
    if spec.target == "publicity":
        return project
    project = bidding.project_finalize(project=project, now=t["finalize"])  # the beat task
    if spec.target == "awarded":
        return project
    _sign_and_perform(spec, project, t)
    return project


def _sign_and_perform(spec: DemoProject, project: Project, t: dict) -> None:
    from demo.management.commands.seed_demo import DEMO_PASSWORD
    from ratings import services as ratings

    contract = Contract.objects.filter(project=project).order_by("-pk").first()
    owner_admin, agency_admin = admin_of(contract.owner), admin_of(contract.agency)
    for user, at in ((owner_admin, t["owner_sign"]), (agency_admin, t["agency_sign"])):
        contract = contracts.contract_sign(contract=contract, by=user, password=DEMO_PASSWORD,
                                           text_hash=contract.text_sha256,
                                           user_agent="seed_demo", now=at)
    if spec.target == "active":
        return
    contracts.contract_deliver(contract=contract, by=agency_admin,
                               note="交付水土保持方案报告书（报批稿）及水行政主管部门批复文件。",
                               files=[pdf("水土保持方案报告书.pdf")], now=t["deliver"])
    contract = contracts.contract_accept(contract=contract, by=owner_admin, now=t["accept"])
    payment = payments.payment_start(contract=contract, method="offline", by=owner_admin,
                                     now=t["pay"])
    payment = payments.payment_mark_sent(
        payment=payment, by=owner_admin, amount=contract.price,
        date=timezone.localdate(t["pay"]),
        reference=f"CQRCB{timezone.localdate(t['pay']):%Y%m%d}{contract.pk:05d}",
        now=t["pay"] + dt.timedelta(minutes=10))
    payments.payment_confirm_received(payment=payment, by=agency_admin, now=t["confirm"])
    for user, (scores, comment), at in ((owner_admin, OWNER_RATING, t["owner_rating"]),
                                        (agency_admin, AGENCY_RATING, t["agency_rating"])):
        ratings.rating_submit(contract=contract, scores=scores, comment=comment, by=user, now=at)


def seed_projects(market, clock: DemoClock) -> list[Project]:
    """Every demo project not there yet, each in its own savepoint: one whose history does not
    fit the configured periods is left out with a warning rather than half-made."""
    made = []
    for spec in all_projects():
        owner = market.organizations.get(spec.owner)
        needed = {spec.owner, *(b.agency for b in spec.bids)}
        if owner is None or not needed <= set(market.organizations):
            continue
        if Project.objects.filter(owner=owner, title=spec.title).exists():
            continue
        try:
            times = schedule(clock, spec)
            with transaction.atomic():
                made.append(walk(spec, times, market.organizations))
        except TimelineTooLong:
            logger.warning("Demo project %r left out: the configured periods are too long "
                           "for its history to end in time.", spec.title)
    return made
