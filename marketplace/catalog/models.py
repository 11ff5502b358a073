from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS


class ServiceItem(models.Model):
    """A technical intermediary service needed for an approval (服务事项)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    category_en = models.CharField(_("English category"), max_length=100, blank=True)
    legal_basis = models.TextField(_("legal basis"), max_length=TEXT_LIMITS["basis"], blank=True)
    # A platform default; the owner can set another time limit on a project.
    reference_days = models.PositiveIntegerField(_("reference time limit (days)"), default=30)
    fee_basis = models.TextField(_("fee basis"), max_length=TEXT_LIMITS["basis"], blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def display_category(self) -> str:
        if (get_language() or "").startswith("en") and self.category_en:
            return self.category_en
        return self.category


class Region(models.Model):
    """An administrative division (GB/T 2260): Chongqing's districts and counties and 市级."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class CalendarYear(models.Model):
    """A year whose statutory holidays and adjusted working days have been entered."""

    class Source(models.TextChoices):
        SEED = "seed", _("chinesecalendar package")
        REGULATOR = "regulator", _("entered by a regulator")

    year = models.PositiveIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=16, choices=Source, default=Source.SEED)
    published_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to Monday-Friday: a holiday on a weekday, or a working weekend day (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_working_day else '休'} {self.name}"
