"""Site content for the demo (`seed_demo`): home page blocks, notices, help pages, in Chinese
with English translations. Idempotent: pages are found by slug and left alone if present."""

import datetime as dt

from django.db import transaction
from wagtail.models import Locale, Page

from cms.announcements import announcement_index
from cms.models import HelpPage, HomePage, NoticeIndexPage, NoticePage

HOME_BLOCKS = [
    ("market_figures", {"heading": ""}),
    ("latest_announcements", {"heading": "", "count": 6}),
    ("closing_projects", {"heading": "", "count": 6}),
    ("new_agencies", {"heading": "", "count": 6}),
]

NOTICES = [
    {
        "slug": "platform-launch",
        "date": dt.date(2026, 1, 5),
        "title": "关于网上中介服务超市正式上线运行的通知",
        "summary": "中介机构零门槛入驻，项目业主自主选取，服务合同网签，全程监督。",
        "body": "<p>为深化“放管服”改革，推进“全渝通办”，网上中介服务超市即日起正式上线运行。"
                "中介机构注册即可入驻，无需审批；项目业主通过服务竞价自主选取中介机构，"
                "任何单位和个人不得指定。</p><p>请各有关单位及时注册并熟悉平台操作。</p>",
        "en_title": "The online intermediary services marketplace goes live",
        "en_summary": "Agencies join with zero threshold, owners choose freely, contracts are "
                      "signed online, and the whole process is supervised.",
        "en_body": "<p>As part of the reform, the online intermediary services marketplace is "
                   "open from today. Agencies join by registering, with no approval step; "
                   "owners select agencies through service bidding, and nobody may designate "
                   "an agency for them.</p>",
    },
    {
        "slug": "three-commitments",
        "date": dt.date(2026, 2, 16),
        "title": "关于中介机构落实服务时间、收费标准、服务标准“三承诺”的通知",
        "summary": "入驻中介机构须就每项服务公开承诺服务时间、收费标准和服务标准。",
        "body": "<p>入驻中介机构应在平台上就所提供的每项中介服务公开承诺服务时间、"
                "收费标准和服务标准，并严格履行。未履行承诺的，将记入信用记录。</p>",
        "table": [["承诺事项", "说明"], ["服务时间", "自合同双方签署之日起计算的工作日数"],
                  ["收费标准", "收费依据及最高金额"], ["服务标准", "执行的技术规范和成果要求"]],
        "en_title": "The three public commitments of agencies",
        "en_summary": "For every service, agencies commit publicly to a service time, a fee "
                      "standard and a service standard.",
        "en_body": "<p>For every service offered, an agency publishes its service time, fee "
                   "standard and service standard, and is held to them; breaches are recorded "
                   "in its credit history.</p>",
    },
    {
        "slug": "credit-rules",
        "date": dt.date(2026, 3, 9),
        "title": "中介服务信用评价和黑名单管理办法（试行）",
        "summary": "双向评价、信用等级、黑名单和信用修复的规则。",
        "body": "<p>项目业主和中介机构在服务完成后相互评价，"
                "评价结果形成信用分和信用等级并向社会公开。严重失信的中介机构列入黑名单，黑名单期间不得参与竞价。</p>",
    },
]

HELP_ROOT = {
    "slug": "help", "title": "帮助中心", "summary": "注册、竞价和信用的操作指南。",
    "en_title": "Help", "en_summary": "Guides to registering, bidding and credit.",
}
GUIDES = [
    {
        "slug": "how-to-register",
        "title": "如何注册",
        "summary": "中介机构和项目业主几分钟即可完成注册。",
        "body": "<p>点击“登录 · 注册”，选择中介机构或项目业主，填写单位名称、统一社会信用代码、"
                "联系人和登录信息即可。注册后单位立即可以使用，无需等待审批；"
                "监管部门在事后核验资质。</p>",
        "en_title": "How to register",
        "en_summary": "Agencies and owners register in minutes.",
        "en_body": "<p>Choose “Log in · Register”, then agency or owner, and enter your "
                   "organization's name, unified social credit code, a contact person and your "
                   "login. Your organization can act at once; regulators verify qualifications "
                   "afterwards.</p>",
    },
    {
        "slug": "how-to-bid",
        "title": "如何参与竞价",
        "summary": "找到匹配的项目，提问，报价，开标后查看结果。",
        "body": "<p>在“项目”中查找与本机构服务事项匹配的项目，可在截止前提问（答疑公开）。"
                "报价在开标前密封，除本机构外任何人不可见；提交后可获得回执，用于开标时核对。"
                "截止前可修改或撤回报价。</p>",
        "en_title": "How to bid",
        "en_summary": "Find a matching project, ask questions, bid, and follow the results.",
        "en_body": "<p>Find projects that match your services under “Projects” and ask "
                   "questions before the deadline (answers are public). Bids stay sealed until "
                   "opening; your receipt lets you check that what was opened is what you "
                   "sent. You may revise or withdraw until the deadline.</p>",
    },
    {
        "slug": "how-credit-works",
        "title": "信用如何计算",
        "summary": "双向评价和信用事件形成信用分与信用等级。",
        "body": "<p>信用分由服务评价和信用事件共同决定，等级分为 A、B、C、D。"
                "列入黑名单的中介机构不得参与竞价；期满后可申请信用修复。</p>",
        "en_title": "How credit works",
        "en_summary": "Two-way ratings and credit events make the credit score and grade.",
        "en_body": "<p>The credit score comes from ratings and credit events; grades are A, B, "
                   "C and D. A blacklisted agency cannot bid; after the minimum period it may "
                   "apply for credit repair.</p>",
    },
]


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def _child(parent: Page, slug: str):
    return parent.get_children().filter(slug=slug).specific().first()


def _body(text: str, table=None) -> list:
    blocks = [("paragraph", text)]
    if table:
        blocks.append(("table", {"caption": "", "table": {"data": table,
                                                          "first_row_is_table_header": True,
                                                          "first_col_is_header": False}}))
    return blocks


def _translate(page: Page, locale: Locale, **fields) -> Page:
    """The page's translation in `locale`, made (and published) if missing."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.specific.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    return _publish(copy)


@transaction.atomic
def seed_site() -> dict:
    default = Locale.get_default()
    english, _created = Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.filter(locale=default).order_by("path").first()
    if not home.body:
        home.body = HOME_BLOCKS
        _publish(home)
    _translate(home, english, title="Marketplace", body=HOME_BLOCKS,
               intro="<p>Chongqing's online intermediary services marketplace: agencies join "
                     "with zero threshold, owners choose freely, contracts are signed online, "
                     "and two-way ratings feed public credit.</p>")
    announcements = announcement_index()
    _translate(announcements, english, title="Announcements",
               intro="<p>Announcements the marketplace publishes by itself as projects move: "
                     "procurement, Q&amp;A, bid opening, award publicity, results, "
                     "terminations, the blacklist and inspections.</p>")

    index = _child(home, "notices")
    if index is None:
        index = NoticeIndexPage(title="通知公告", slug="notices", show_in_menus=True,
                                intro="<p>政策文件、平台规则和工作通知。</p>")
        home.add_child(instance=index)
        _publish(index)
    _translate(index, english, title="Notices",
               intro="<p>Policies, platform rules and notices.</p>")
    for notice in NOTICES:
        page = _child(index, notice["slug"])
        if page is None:
            page = NoticePage(title=notice["title"], slug=notice["slug"], date=notice["date"],
                              summary=notice["summary"],
                              body=_body(notice["body"], notice.get("table")))
            index.add_child(instance=page)
            _publish(page)
        if "en_title" in notice:
            _translate(page, english, title=notice["en_title"], summary=notice["en_summary"],
                       body=_body(notice["en_body"]))

    help_root = _child(home, HELP_ROOT["slug"])
    if help_root is None:
        help_root = HelpPage(title=HELP_ROOT["title"], slug=HELP_ROOT["slug"],
                             summary=HELP_ROOT["summary"], show_in_menus=True)
        home.add_child(instance=help_root)
        _publish(help_root)
    _translate(help_root, english, title=HELP_ROOT["en_title"], summary=HELP_ROOT["en_summary"])
    for guide in GUIDES:
        page = _child(help_root, guide["slug"])
        if page is None:
            page = HelpPage(title=guide["title"], slug=guide["slug"], summary=guide["summary"],
                            body=_body(guide["body"]))
            help_root.add_child(instance=page)
            _publish(page)
        _translate(page, english, title=guide["en_title"], summary=guide["en_summary"],
                   body=_body(guide["en_body"]))
    return {"home": home, "notices": index, "help": help_root}
