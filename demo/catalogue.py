# ruff: noqa: E501  (a table of Chinese texts: one term per line reads better than wrapped)
"""The demo's published terms of the 40 service items (中介服务事项清单): legal basis, time limit
(the reference file's days), workflow, application conditions, fee standard, competent
department and monopoly, written like a municipal catalogue. Demo data, not reference data:
the reference file keeps code, names, category and days only."""

from marketplace.catalog.models import FeePricing, ServiceItem
from marketplace.catalog.terms import snapshot

MARKET, GUIDED, GOVERNMENT = FeePricing.MARKET, FeePricing.GUIDED, FeePricing.GOVERNMENT

# Per category: competent department, legal basis, the step where the result is examined,
# application conditions (the agency's), fee pricing and standard.
CATEGORY_TERMS = {
    "环境评价": ("重庆市生态环境局", "《中华人民共和国环境影响评价法》第十六条、第十九条；《建设项目环境保护管理条例》",
             "报生态环境主管部门审批", "具有环境影响评价相关专业技术能力，编制主持人为环境影响评价工程师，并在全国环境影响评价信用平台登记。",
             MARKET, "实行市场调节价，参考《建设项目环境影响咨询收费标准》（计价格〔2002〕125号）协商确定。"),
    "能源": ("重庆市发展和改革委员会", "《中华人民共和国节约能源法》第十五条；《固定资产投资项目节能审查办法》",
           "报节能审查机关审查", "具有节能评估相应技术能力和专业技术人员。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "安全": ("重庆市应急管理局", "《中华人民共和国安全生产法》第三十二条；《安全评价检测检验机构管理办法》",
           "报应急管理部门备案或审查", "取得安全评价机构资质，在资质业务范围内开展评价。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "卫生": ("重庆市卫生健康委员会", "《中华人民共和国职业病防治法》第十七条",
           "报卫生健康主管部门备案", "取得职业卫生技术服务机构资质。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "水利": ("重庆市水利局", "《中华人民共和国水土保持法》第二十五条；《中华人民共和国防洪法》第二十七条；《取水许可和水资源费征收管理条例》",
           "报水行政主管部门审批", "具有相应水利技术服务能力和专业技术人员。",
           MARKET, "实行市场调节价，参考原国家计委、水利部有关收费标准协商确定。"),
    "国土": ("重庆市规划和自然资源局", "《地质灾害防治条例》第二十一条；《中华人民共和国矿产资源法》第三十三条",
           "报自然资源主管部门审查", "取得地质灾害危险性评估单位资质（或具备相应技术能力）。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "林业": ("重庆市林业局", "《中华人民共和国森林法》第三十七条；《建设项目使用林地审核审批管理办法》",
           "报林业主管部门审核", "具有林业调查规划设计相应技术能力。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "地震": ("重庆市地震局", "《中华人民共和国防震减灾法》第三十四条、第三十五条",
           "报地震工作主管部门审定抗震设防要求", "具有地震安全性评价相应技术能力和专业技术人员。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "文物": ("重庆市文物局", "《中华人民共和国文物保护法》第二十九条",
           "报文物主管部门审批", "具有文物保护工程勘察设计相应资质或技术能力。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "交通": ("重庆市交通运输委员会", "《重庆市城乡规划条例》；《建设项目交通影响评价技术标准》（CJJ/T 141）",
           "报规划和交通主管部门审查", "具有交通规划咨询相应技术能力。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "综合": ("重庆市发展和改革委员会", "《重大行政决策程序暂行条例》；《重庆市社会稳定风险评估办法》",
           "报决策机关审查", "具有相应咨询服务能力和专业人员。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "咨询": ("重庆市发展和改革委员会", "《企业投资项目核准和备案管理条例》；《政府投资条例》第九条",
           "报投资主管部门审批或核准", "在全国投资项目在线审批监管平台备案的工程咨询单位。",
           MARKET, "实行市场调节价，参考《建设项目前期工作咨询收费暂行规定》协商确定。"),
    "勘察设计": ("重庆市住房和城乡建设委员会", "《建设工程勘察设计管理条例》第八条；《建设工程质量管理条例》",
             "报住房城乡建设主管部门审查", "取得相应工程勘察或工程设计资质，在资质等级许可范围内承接业务。",
             MARKET, "实行市场调节价，参考《工程勘察设计收费标准》（2002年修订本）协商确定。"),
    "规划": ("重庆市规划和自然资源局", "《中华人民共和国城乡规划法》第四十条",
           "报规划主管部门审查", "取得城乡规划编制单位资质。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "造价": ("重庆市住房和城乡建设委员会", "《建设工程造价咨询规范》（GB/T 51095）；《建筑工程施工发包与承包计价管理办法》",
           "成果报委托人审定", "具有工程造价咨询能力，项目负责人为注册造价工程师。",
           MARKET, "实行市场调节价，参考《重庆市建设工程造价咨询服务收费指导意见》协商确定。"),
    "监理": ("重庆市住房和城乡建设委员会", "《建设工程质量管理条例》第十二条；《建设工程监理规范》（GB/T 50319）",
           "监理工作总结报建设单位", "取得工程监理资质，总监理工程师为注册监理工程师。",
           MARKET, "实行市场调节价，参考《建设工程监理与相关服务收费管理规定》协商确定。"),
    "招标": ("重庆市公共资源交易监督管理局", "《中华人民共和国招标投标法》第十三条；《中华人民共和国招标投标法实施条例》",
           "招标结果在公共资源交易平台公示", "在公共资源交易平台登记的招标代理机构。",
           MARKET, "实行市场调节价，参考《招标代理服务收费管理暂行办法》协商确定。"),
    "测绘": ("重庆市规划和自然资源局", "《中华人民共和国测绘法》第二十七条",
           "成果报自然资源主管部门备案", "取得相应等级测绘资质。",
           GUIDED, "实行政府指导价，执行《测绘生产成本费用定额》，可下浮。"),
    "检测": ("重庆市市场监督管理局", "《检验检测机构资质认定管理办法》；《建设工程质量检测管理办法》",
           "出具检测报告", "取得检验检测机构资质认定（CMA），在认定范围内出具报告。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "评估": ("重庆市财政局", "《中华人民共和国资产评估法》第十五条",
           "出具评估报告", "依法备案的评估机构，评估报告由两名以上评估师签署。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "审计": ("重庆市审计局", "《中华人民共和国审计法》；《中华人民共和国注册会计师法》第十四条",
           "出具审计报告", "取得会计师事务所执业证书。",
           MARKET, "实行市场调节价，由委托双方协商确定。"),
    "法律": ("重庆市司法局", "《中华人民共和国律师法》第二十八条",
           "出具法律意见", "依法设立的律师事务所。",
           MARKET, "实行市场调节价，参考《重庆市律师服务收费指导标准》协商确定。"),
}

# Items that differ from their category's terms.
ITEM_TERMS = {
    "TEST-LIGHT": {"competent_department": "重庆市气象局",
                   "legal_basis": "《气象灾害防御条例》第二十三条；《防雷减灾管理办法》"},
    "TEST-FIRE": {"competent_department": "重庆市消防救援总队",
                  "legal_basis": "《中华人民共和国消防法》第十六条、第三十四条"},
    "TEST-EQUIP": {"competent_department": "重庆市市场监督管理局",
                   "legal_basis": "《中华人民共和国特种设备安全法》第五十条；《特种设备安全监察条例》",
                   "application_conditions": "经国务院特种设备安全监督管理部门核准的检验机构。",
                   "fee_pricing": GOVERNMENT,
                   "fee_standard": "实行政府定价，执行《重庆市特种设备检验收费标准》。",
                   "is_monopoly": True},
    "DRAWING-REV": {"fee_pricing": GOVERNMENT, "is_monopoly": True,
                    "fee_standard": "由审批部门通过政府购买服务委托，建设单位不付费。",
                    "application_conditions": "经住房城乡建设主管部门认定的施工图审查机构。"},
    "MAP-HOUSE": {"legal_basis": "《房产测绘管理办法》第五条；《中华人民共和国测绘法》"},
    "APPR-LAND": {"competent_department": "重庆市规划和自然资源局",
                  "legal_basis": "《中华人民共和国城市房地产管理法》第三十四条；《中华人民共和国资产评估法》"},
    "APPR-RE": {"competent_department": "重庆市住房和城乡建设委员会",
                "legal_basis": "《中华人民共和国城市房地产管理法》第三十四条；《房地产估价机构管理办法》"},
    "ARCHIVE": {"competent_department": "重庆市城市建设档案馆",
                "legal_basis": "《中华人民共和国档案法》；《城市建设档案管理规定》",
                "application_conditions": "具有建设工程档案整理相应技术能力。"},
}


def workflow(examination: str) -> list[str]:
    return ["项目业主在中介超市发布服务需求", "中介机构报名并提交报价",
            "业主按公告的选取方式确定中介机构", "双方在线签订服务合同",
            "中介机构在承诺时限内完成服务并提交成果", examination, "业主验收并在线评价"]


def published_terms(item: ServiceItem) -> dict:
    department, basis, examination, conditions, pricing, fee = CATEGORY_TERMS[item.category]
    terms = {"legal_basis": basis, "time_limit_days": item.time_limit_days,
             "workflow": workflow(examination), "application_conditions": conditions,
             "fee_pricing": pricing, "fee_standard": fee, "competent_department": department,
             "is_monopoly": False}
    terms.update(ITEM_TERMS.get(item.code, {}))
    return terms


def seed_catalogue_terms() -> None:
    """The catalogue as first published: each item's terms and its first revision (the terms
    in force since the catalogue started; later changes go through the console)."""
    for item in ServiceItem.objects.all():
        if item.category not in CATEGORY_TERMS:
            continue
        for name, value in published_terms(item).items():
            setattr(item, name, value)
        item.save()
        first = item.revisions.order_by("valid_from", "id").first()
        if first is not None and first.edited_by_id is None:
            first.terms = snapshot(item)
            first.save(update_fields=["terms"])
