from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS


class FeePricing(models.TextChoices):
    """How an item's fee is set (价格法: 政府定价 / 政府指导价 / 市场调节价)."""

    GOVERNMENT = "government_priced", _("Government-priced")
    GUIDED = "government_guided", _("Government-guided price")
    MARKET = "market_regulated", _("Market-regulated price")


class ServiceItem(models.Model):
    """A technical intermediary service needed for an approval (服务事项)."""

    FeePricing = FeePricing

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    category_en = models.CharField(_("English category"), max_length=100, blank=True)
    # The seven published terms of the catalogue (中介服务事项清单): legal basis, time limit,
    # workflow, application conditions, fee standard (pricing and standard), competent
    # department, monopoly. Changed only through `services.service_item_update`, which keeps
    # their history in ServiceItemRevision.
    legal_basis = models.TextField(_("legal basis"), max_length=TEXT_LIMITS["basis"], blank=True)
    # The published time limit; projects default to it (the owner may set another).
    time_limit_days = models.PositiveIntegerField(_("time limit (days)"), default=30)
    # Ordered steps, one short string each (the console edits them one per line).
    workflow = models.JSONField(_("workflow"), default=list, blank=True)
    application_conditions = models.TextField(
        _("application conditions"), max_length=TEXT_LIMITS["basis"], blank=True)
    fee_pricing = models.CharField(_("fee pricing"), max_length=24, choices=FeePricing,
                                   default=FeePricing.MARKET)
    fee_standard = models.TextField(_("fee standard"), max_length=TEXT_LIMITS["basis"],
                                    blank=True)
    competent_department = models.CharField(_("competent department"),
                                            max_length=TEXT_LIMITS["line"], blank=True)
    is_monopoly = models.BooleanField(_("monopoly item"), default=False)
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


class ServiceItemRevision(models.Model):
    """The published terms of an item from `valid_from` until the next revision: the first one
    is the terms the item had when the catalogue started keeping history."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("service item"),
                             on_delete=models.CASCADE, related_name="revisions")
    terms = models.JSONField(_("terms"))
    valid_from = models.DateTimeField(_("valid from"), db_index=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("edited by"),
                                  on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    reason = models.TextField(_("reason"), max_length=TEXT_LIMITS["reason"], blank=True)

    class Meta:
        ordering = ["item", "valid_from", "id"]
        verbose_name = _("service item revision")
        verbose_name_plural = _("service item revisions")

    def __str__(self) -> str:
        return f"{self.item.code} {self.valid_from:%Y-%m-%d %H:%M}"


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
