"""The default contract template (version 1, in use). Regulators add later versions in the
admin; contracts keep the text they were drawn up with."""

# ruff: noqa: E501 (the template text keeps its paragraphs on one line each)
from django.db import migrations

TITLE = "中介服务合同（示范文本）"
BODY = """\
中介服务合同

项目名称：{{ project.title }}（项目编号：{{ project.id }}）
服务事项：{{ service_item.name }}（{{ service_item.code }}）

甲方（项目业主）：{{ owner.name }}
统一社会信用代码：{{ owner.uscc }}
联系人：{{ owner.contact_name|default:"—" }}　联系电话：{{ owner.phone|default:"—" }}　电子邮箱：{{ owner.email|default:"—" }}

乙方（中介机构）：{{ agency.name }}
统一社会信用代码：{{ agency.uscc }}
联系人：{{ agency.contact_name|default:"—" }}　联系电话：{{ agency.phone|default:"—" }}　电子邮箱：{{ agency.email|default:"—" }}

根据《中华人民共和国民法典》及网上中介服务超市的交易规则，甲方通过{{ project.method }}方式选定乙方为本项目的中介服务机构，中选结果已于{{ award.finalized_at }}公示期满确定。双方经平等协商，订立本合同。

第一条　服务内容与范围
乙方为甲方提供“{{ service_item.name }}”中介服务，服务范围以甲方发布的项目需求为准：
{{ project.description }}

第二条　合同价款
本合同价款为人民币{{ price }}元（含税），即乙方中选报价。除经双方书面协商一致外，合同价款不作调整。

第三条　服务时限
乙方承诺自本合同双方网签生效之日起{{ promised_days }}个日历日内交付服务成果。服务时限按平台服务计时计算：甲方因自身原因暂停服务的期间不计入服务时限。

第四条　乙方的服务承诺（“三承诺”，以投标时的承诺为准）
（一）服务时间：{{ commitments.promised_days }}日；
（二）收费标准：{{ commitments.fee_standard }}{% if commitments.fee_max %}（最高收费{{ commitments.fee_max }}元）{% endif %}；
（三）服务标准：{{ commitments.service_standard }}。
乙方未履行上述承诺的，依照平台信用管理规则记录信用事件。

第五条　付款方式
甲方在服务成果经验收合格后十五个工作日内，通过平台支付合同价款（线下银行转账或平台在线支付）。乙方收到款项后在平台确认收款。

第六条　交付与验收
乙方通过平台提交服务成果。甲方应在收到成果后及时验收；验收不合格的，应在平台说明理由，乙方应修改后重新提交。甲方验收合格之日为服务完成之日。

第七条　合同的解除
一方严重违约致使合同目的不能实现的，另一方可通过平台解除合同，并说明理由及过错方；监管部门依法也可终止合同。

第八条　违约责任
乙方逾期交付的，平台按服务计时记录逾期天数并计入乙方信用记录；任何一方违约给对方造成损失的，应依法承担赔偿责任。

第九条　争议解决
因本合同发生的争议，双方应协商解决；协商不成的，可向平台监管部门申请调解，或向甲方所在地有管辖权的人民法院提起诉讼。

第十条　其他
本合同文本由平台根据中选结果生成，文本一经生成即予冻结并计算SHA-256摘要；双方网签时对同一摘要进行电子签名，自双方均完成网签之日起生效。

乙方投标回执：{{ bid_receipt }}
合同生成日期：{{ drawn_up_on }}
"""


def seed(apps, schema_editor):
    ContractTemplate = apps.get_model("contracts", "ContractTemplate")
    if not ContractTemplate.objects.filter(version=1).exists():
        ContractTemplate.objects.create(version=1, title=TITLE, body=BODY,
                                        is_active=not ContractTemplate.objects.filter(
                                            is_active=True).exists())


def unseed(apps, schema_editor):
    apps.get_model("contracts", "ContractTemplate").objects.filter(version=1, body=BODY).delete()


class Migration(migrations.Migration):

    dependencies = [("contracts", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
