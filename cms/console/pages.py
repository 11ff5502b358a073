"""Shared pieces of the console's supervision pages: the permissions each area needs, and the
generic listing and action pages the credit, complaint and inspection views render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import DomainError
from marketplace.web import add_domain_error

EXIT = "ratings.add_marketexit"
BLACKLIST = "ratings.change_blacklistentry"
COMPLAINTS = "ratings.change_complaint"
CASES = "ratings.change_violationcase"
INSPECTIONS = "ratings.change_inspectionplan"
CREDIT = "ratings.add_creditevent"


def cell(text, url: str = "") -> dict:
    return {"text": text, "url": url}


def paginate(request, queryset):
    return Paginator(queryset, 25).get_page(request.GET.get("p"))


def listing(request, *, title, icon, headers, rows, page_obj=None, filters=(), current="",
             buttons=(), intro=""):
    return render(request, "cms/console/listing.html", {
        "page_title": title, "header_icon": icon, "headers": headers, "rows": rows,
        "page_obj": page_obj, "filters": filters, "current": current, "buttons": buttons,
        "intro": intro,
    })


def action_page(request, *, title, icon, form, back, facts=(), submit=None, danger=False,
            extra_template=None, **extra):
    return render(request, "cms/console/action.html", {
        "page_title": title, "header_icon": icon, "form": form, "back": back,
        "facts": facts, "submit": submit or _("Confirm"), "danger": danger,
        "extra_template": extra_template, **extra,
    })


def run_service(request, form, call, success: str) -> bool:
    """Call the service; on a domain error put its message on the form (shown on the page)."""
    try:
        call()
    except DomainError as error:
        add_domain_error(form, error)
        return False
    messages.success(request, success)
    return True


def when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
