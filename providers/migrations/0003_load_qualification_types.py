"""The certificate types agencies declare and projects require (资质类型).

Codes are stable (projects store requirements by them); names can be edited in the admin.
"""

from django.db import migrations

QUALIFICATION_TYPES = [
    ("EIA", "环境影响评价", "Environmental impact assessment"),
    ("SURVEY-A", "测绘资质甲级", "Surveying and mapping qualification, grade A"),
    ("SURVEY-B", "测绘资质乙级", "Surveying and mapping qualification, grade B"),
    ("COST", "工程造价咨询", "Construction cost consulting"),
    ("GEO-ENG", "工程勘察", "Engineering geotechnical survey"),
    ("ENG-DESIGN", "工程设计", "Engineering design"),
    ("SAFETY", "安全评价", "Safety assessment"),
    ("OCC-HEALTH", "职业卫生技术服务", "Occupational health technical services"),
    ("CMA", "检验检测机构资质认定（CMA）", "Inspection and testing body accreditation (CMA)"),
    ("CQ-TEST", "建设工程质量检测", "Construction quality testing"),
    ("LIGHTNING", "防雷装置检测", "Lightning protection testing"),
    ("FIRE-TECH", "消防技术服务", "Fire protection technical services"),
    ("LAND-PLAN", "土地规划", "Land use planning"),
    ("URBAN-PLAN", "城乡规划编制", "Urban and rural planning"),
    ("SOIL-WATER", "水土保持", "Soil and water conservation"),
    ("WATER-RES", "水资源论证", "Water resources demonstration"),
    ("GEO-HAZARD", "地质灾害危险性评估", "Geological hazard risk assessment"),
    ("SUPERVISION", "工程监理", "Construction supervision"),
    ("ASSET-APPR", "资产评估", "Asset appraisal"),
    ("LAND-APPR", "土地估价", "Land valuation"),
    ("RE-APPR", "房地产估价", "Real estate appraisal"),
    ("ACCOUNTING", "会计师事务所执业证书", "Accounting firm practising certificate"),
    ("LAW-FIRM", "律师事务所执业许可证", "Law firm practising licence"),
]


def load(apps, schema_editor):
    QualificationType = apps.get_model("providers", "QualificationType")
    for code, name, name_en in QUALIFICATION_TYPES:
        QualificationType.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en}
        )


class Migration(migrations.Migration):
    dependencies = [("providers", "0002_private_scans")]

    # Not removed on reverse: qualifications and project requirements may point at them.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
