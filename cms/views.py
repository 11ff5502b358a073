"""Public site search over the Wagtail pages (notices, help, announcements)."""

import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from wagtail.models import Page

from cms.forms import SiteSearchForm

CJK = re.compile(r"[\u3400-\u9fff]")


def _one_per_translation(pages: list) -> list:
    """A page and its translations share one URL: keep one, in the active language if found
    (each shown in the active language where translated)."""
    kept: dict = {}
    for page in pages:
        key = page.translation_key
        if key not in kept:
            kept[key] = page.localized
    return list(kept.values())


def search(request):
    form = SiteSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = Page.objects.none()
    if query:
        pages = Page.objects.live().public().filter(depth__gt=2)
        results = [page.specific for page in pages.search(query)[:200]]
        if not results and CJK.search(query):
            # Wagtail's database backend does not segment Chinese: fall back to a substring
            # match on the titles and descriptions.
            results = list(pages.filter(Q(title__icontains=query)
                                        | Q(search_description__icontains=query))
                           .order_by("-first_published_at").specific()[:200])
    page_obj = Paginator(_one_per_translation(results), 20).get_page(request.GET.get("page"))
    return render(request, "cms/search.html", {
        "form": form, "query": query, "page_obj": page_obj,
        "querystring": urlencode({"q": query}) if query else "",
    })
