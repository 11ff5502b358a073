"""The open data page (/open-data/): what each dataset holds, where to download it, its
licence. The datasets themselves are served by the API (ratings.api.opendata)."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from ratings.opendata import credit, ocds


def open_data(request):
    return render(request, "ratings/opendata/index.html", {
        "ocds_url": reverse("api:open_data_ocds"),
        "ocds_releases_url": reverse("api:open_data_ocds_releases"),
        "ocds_records_url": reverse("api:open_data_ocds_records"),
        "csv_url": reverse("api:open_data_credit_csv"),
        "json_url": reverse("api:open_data_credit_json"),
        "columns": credit.COLUMNS,
        "license_url": ocds.LICENSE,
        "ocid_prefix": settings.OCDS_OCID_PREFIX,
        "org_scheme": settings.MARKETPLACE_OCDS_ORG_SCHEME,
    })
