"""Demo projects that give the regulator's red-flag page something to show (issue 15 §1):
ordinary lowest-price tenders whose runner-up is about 6% above the winner, one tender where
two losing agencies bid exactly the same price from the same IP address (R028 and CN01, shared
identity), and one whose winner undercuts the runner-up by nearly a third (R058). With the
demo's other projects, the fences also single out the publicity-stage survey whose runner-up
is only 2% above the winner (R024). Every demo project is opened within a week of
publication, so R003 (short submission period) fires on each; the failed single-bid tender
fires R018. Walked through the services like every demo project."""

from demo.projects import AMOUNT, DemoBid, DemoProject, Method

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
]
