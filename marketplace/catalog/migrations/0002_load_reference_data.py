from django.db import migrations

from marketplace.catalog.loaders import chinese_calendar_exceptions, load_json


def load(apps, schema_editor):
    ServiceItem = apps.get_model("catalog", "ServiceItem")
    Region = apps.get_model("catalog", "Region")
    CalendarYear = apps.get_model("catalog", "CalendarYear")
    CalendarDay = apps.get_model("catalog", "CalendarDay")
    for item in load_json("service_items.json"):
        ServiceItem.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "category": item.get("category", ""),
                "reference_days": item.get("reference_days") or 30,
                "legal_basis": item.get("legal_basis", ""),
                "fee_basis": item.get("fee_basis", ""),
            },
        )
    for region in load_json("regions.json"):
        Region.objects.update_or_create(code=region["code"], defaults={"name": region["name"]})
    for year, days in chinese_calendar_exceptions().items():
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "seed"})
        for day, is_working_day, name in days:
            CalendarDay.objects.update_or_create(
                date=day, defaults={"is_working_day": is_working_day, "name": name}
            )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
