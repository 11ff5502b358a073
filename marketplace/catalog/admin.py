"""The reference data in the Django admin, where regulators enter each year's holidays (until the
console has pages of its own)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.models import CalendarDay, CalendarYear, Region, ServiceItem


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "category", "reference_days", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "published_at", "exception_days"]
    readonly_fields = ["published_at"]
    fieldsets = [
        (None, {
            "fields": ["year", "source", "published_at"],
            "description": _(
                "Enter the year's holidays on weekdays and its adjusted working days on "
                "weekends as calendar days, then add the year here to mark its calendar as "
                "complete. Working days of a year missing here are counted Monday to Friday."
            ),
        }),
    ]

    @admin.display(description=_("holidays and adjusted working days"))
    def exception_days(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year).count()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("source", CalendarYear.Source.REGULATOR)
        return initial
