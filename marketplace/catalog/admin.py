"""The reference data in the Django admin, for superusers. The holiday calendar and the
service items' published terms are read-only here: regulators change them in the console, where
each change is audited with its reason (marketplace.catalog.services)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.models import (
    CalendarDay,
    CalendarYear,
    Region,
    ServiceItem,
    ServiceItemRevision,
)
from marketplace.readonly_admin import ReadOnlyAdmin


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyAdmin):
    # Read-only: regulators change the published terms in the console, with their history.
    list_display = ["code", "name", "name_en", "category", "time_limit_days", "fee_pricing",
                    "is_monopoly", "is_active"]
    list_filter = ["category", "fee_pricing", "is_monopoly", "is_active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(ServiceItemRevision)
class ServiceItemRevisionAdmin(ReadOnlyAdmin):
    list_display = ["item", "valid_from", "edited_by", "reason"]
    list_filter = ["item"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "source", "published_at", "exception_days"]
    @admin.display(description=_("holidays and adjusted working days"))
    def exception_days(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year).count()
