"""Shared pieces of the console's supervision pages: the permissions each area needs, and the
generic listing and action pages the credit, complaint and inspection views render."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from marketplace.accounts.second_factor import check_reauthenticated
from marketplace.actors import require_regulator
from marketplace.formatting.moments import local_minute
from marketplace.web import refusal_as_message, refusal_on

EXIT = "ratings.add_marketexit"
BLACKLIST = "ratings.change_blacklistentry"
COMPLAINTS = "ratings.change_complaint"
CASES = "ratings.change_violationcase"
INSPECTIONS = "ratings.change_inspectionplan"
CREDIT = "ratings.add_creditevent"


def denied(perm):
    """Wagtail admin views answer 403 to a signed-in user without the right permission."""
    return permission_required(perm, raise_exception=True)


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


def form_action(request, form, call, *, success, done, show_form=True, template=None,
                context=None, **page):
    """A console action with a form. On a valid POST, `call(cleaned_data)` runs the service;
    if it succeeds, `success` (a message, or a function of the data) is shown and the browser
    goes to `done` (a URL, or a function of what the service returned). Otherwise the page is
    shown again, with the service's refusal on the form: `template` with `context`, or the
    generic action page built from `page`."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The console's action page is where every refusal is told, whatever its status.
        with refusal_on(form, statuses=None) as attempt:
            result = call(data)
        if attempt.succeeded:
            messages.success(request, success(data) if callable(success) else success)
            return redirect(done(result) if callable(done) else done)
    if template is not None:
        return render(request, template, {**(context or {}), "form": form})
    return action_page(request, form=form if show_form else None, **page)


def reauthenticated(request, call):
    """A sanction's `call`, run only after the regulator re-authenticated with the form's
    password and code (one shared rule, right before the service's own transaction). Someone
    who is not a regulator hears that first, as the service would say it."""
    def checked(data):
        require_regulator(request.user)
        check_reauthenticated(request.user, data.get("password"), data.get("otp_code"))
        return call(data)
    return checked


def post_action(request, call, *, success: str, done: str):
    """A console action without a form (a button): the service's refusal becomes a message."""
    with refusal_as_message(request) as attempt:
        call()
    if attempt.succeeded:
        messages.success(request, success)
    return redirect(done)


def when(value) -> str:
    return local_minute(value)
