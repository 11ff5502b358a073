"""Demo projects that give the regulator's red-flag page something to show (issue 15 §1):
ordinary lowest-price tenders whose runner-up is about 6% above the winner, one tender where
two losing agencies bid exactly the same price from the same IP address (R028 and CN01, shared
identity), and one whose winner undercuts the runner-up by nearly a third (R058). With the
demo's other projects, the fences also single out the publicity-stage survey whose runner-up
is only 2% above the winner (R024). Every demo project is opened within a week of
publication, so R003 (short submission period) fires on each; the failed single-bid tender
fires R018. Walked through the services like every demo project.

`PATTERN_PROJECTS` make the collusion and favouritism patterns fire (ratings/redflags/
patterns.py): 安诚 (agency2) and 三峡 (agency5) bid together on six more environmental impact
reports and take turns winning (CN02, bid rotation); 三峡 (agency5) comes second 1–2% above 建科
(agency6) on three topographic surveys (CN03, cover bidding); 两江渝兴 (owner2) selects agencies
directly for two more projects: three of its six awarded projects, with the cost consultancy
(CN05). With the price
history, 中测 (agency3) winning most of the hospital's surveys raises CN04 (owner
favouritism)."""

from demo.projects import AMOUNT, DemoBid, DemoProject, Method

ROTATION_SITES = ("空港工业园A区厂房", "龙兴镇燃气调压站", "悦来会展城配套仓储", "木耳镇加油站迁建",
                  "两路街道农贸市场改造", "仙桃数据谷冷站")
# Rotation: the two agencies take turns as the lowest bidder, the other a few percent above
# (三峡 four times: with the earlier tenders they both bid on, the wins come out even).
ROTATION = [
    DemoProject(
        owner="owner1", target="awarded", title=f"{site}项目环境影响评价（报告表）", item="EIA-T",
        region="500112", method=Method.LOWEST_PRICE, budget="70000", min_bidders=2,
        description=f"{site}项目位于渝北区，委托编制建设项目环境影响报告表并协助取得审批意见。",
        bids=(DemoBid(first, f"{58000 + 600 * n}.00", days),
              DemoBid(second, f"{61500 + 600 * n}.00", other_days)))
    for n, site in enumerate(ROTATION_SITES)
    for first, days, second, other_days in [("agency2", 26, "agency5", 28) if n in (0, 3)
                                            else ("agency5", 28, "agency2", 26)]
]
COVER_SITES = ("沙坪坝区井口片区排水管网", "沙坪坝区陈家桥还建房", "沙坪坝区西永综合保税区道路")
# Cover bidding: the same runner-up, 1–2% above the same winner, each time.
COVER = [
    DemoProject(
        owner="owner1", target="awarded", title=f"{site}工程1:500地形图测绘", item="MAP-TOPO",
        region="500106", method=Method.LOWEST_PRICE, budget="130000", min_bidders=2,
        description=f"{site}工程测区约0.25平方公里，需完成1:500数字地形图测绘及图根控制测量。",
        bids=(DemoBid("agency6", f"{price}.00", 18),
              DemoBid("agency5", f"{round(price * (1 + gap))}.00", 20)))
    for site, price, gap in zip(COVER_SITES, (96000, 102000, 99000), (0.015, 0.012, 0.02),
                                strict=True)
]
# Direct selection by an enterprise owner, again and again.
DIRECT = [
    DemoProject(
        owner="owner2", target="awarded", title="两江渝兴·悦江府三期项目环境影响评价（报告表）",
        item="EIA-T", region="500105", method=Method.DIRECT, budget="90000", min_bidders=1,
        choose="agency1",
        description="悦江府三期总建筑面积约14万平方米。委托编制建设项目环境影响报告表并取得审批"
                    "意见。",
        bids=(DemoBid("agency1", "86000.00", 28),)),
    DemoProject(
        owner="owner2", target="awarded", title="两江渝兴·悦江府三期房产测绘（预测绘）",
        item="MAP-HOUSE", region="500105", method=Method.DIRECT, budget="60000", min_bidders=1,
        choose="agency3",
        description="悦江府三期6栋住宅及地下车库，需完成房产预测绘并出具面积预测报告。",
        bids=(DemoBid("agency3", "57600.00", 10),)),
]
PATTERN_PROJECTS = ROTATION + COVER + DIRECT

RED_FLAG_PROJECTS = [
    DemoProject(
        owner="owner2", target="awarded", title="两江渝兴·云栖湾项目环境影响评价（报告表）",
        item="EIA-T", region="500105", method=Method.LOWEST_PRICE, budget="120000",
        quote_format=AMOUNT, min_bidders=2,
        description="云栖湾项目用地约7.2公顷，建设住宅及配套商业。委托编制建设项目环境影响报告表，"
                    "并协助取得审批意见。",
        bids=(DemoBid("agency2", "92000.00", 26), DemoBid("agency1", "97520.00", 28),
              DemoBid("agency5", "99800.00", 30))),
    DemoProject(
        owner="owner1", target="awarded", title="渝北区木耳镇农村公路提档升级工程水土保持方案编制",
        item="SOIL", region="500112", method=Method.LOWEST_PRICE, budget="90000", min_bidders=2,
        description="木耳镇农村公路提档升级约11公里，扰动地表面积约6.5公顷。委托编制水土保持方案"
                    "报告表并取得渝北区水利局批复。",
        bids=(DemoBid("agency5", "68000.00", 22), DemoBid("agency1", "72216.00", 25))),
    DemoProject(
        owner="owner3", target="awarded", title="沙坪坝区人民医院新院区控制测量及地形图修测",
        item="MAP-TOPO", region="500106", method=Method.LOWEST_PRICE, budget="150000",
        min_bidders=2,
        description="新院区周边道路改线后，需补测一级导线控制点并修测1:500地形图约0.3平方公里。",
        bids=(DemoBid("agency3", "110000.00", 14), DemoBid("agency6", "117040.00", 16),
              DemoBid("agency5", "119500.00", 18))),
    DemoProject(
        owner="owner1", target="awarded",
        title="渝北区两路街道老旧小区改造项目环境影响评价（报告表）", item="EIA-T",
        region="500112", method=Method.LOWEST_PRICE, budget="110000", min_bidders=2,
        description="两路街道12个老旧小区改造，含管网更新、加装电梯及环境整治。委托编制建设项目"
                    "环境影响报告表。",
        bids=(DemoBid("agency1", "88000.00", 28, ip="203.0.113.25"),
              DemoBid("agency5", "88000.00", 30, ip="203.0.113.25"),
              DemoBid("agency2", "85000.00", 27))),
    DemoProject(
        owner="owner3", target="awarded",
        title="沙坪坝区人民医院污水处理站改造工程环境影响评价（报告表）", item="EIA-T",
        region="500106", method=Method.LOWEST_PRICE, budget="100000", min_bidders=2,
        description="医院污水处理站处理规模由300吨/日提升至600吨/日，新增消毒及污泥处理设施。"
                    "委托编制建设项目环境影响报告表。",
        bids=(DemoBid("agency1", "75000.00", 26), DemoBid("agency2", "79725.00", 27))),
    DemoProject(
        owner="owner2", target="awarded", title="两江渝兴·云栖湾项目1:500地形图测绘",
        item="MAP-TOPO", region="500105", method=Method.LOWEST_PRICE, budget="140000",
        min_bidders=2,
        description="云栖湾项目测区面积约0.4平方公里，需完成1:500数字地形图测绘及控制测量。",
        bids=(DemoBid("agency6", "100000.00", 16), DemoBid("agency3", "106600.00", 14),
              DemoBid("agency5", "112000.00", 18))),
    DemoProject(
        owner="owner2", target="awarded", title="两江渝兴·悦江府三期项目水土保持方案编制",
        item="SOIL", region="500105", method=Method.LOWEST_PRICE, budget="95000", min_bidders=2,
        description="悦江府三期用地面积约4.9公顷，土石方开挖约9万立方米。委托编制水土保持方案"
                    "报告书并取得两江新区水行政主管部门批复。",
        bids=(DemoBid("agency1", "52000.00", 24), DemoBid("agency5", "75400.00", 25))),
] + PATTERN_PROJECTS
