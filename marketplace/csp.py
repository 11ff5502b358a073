"""Content-Security-Policy: the per-path parts of the policy and the violation report endpoint.

The policy itself is `CONTENT_SECURITY_POLICY` in settings (django-csp). Scripts come from our
own origin only, never inline, on every page; docs/decisions.md "Content-Security-Policy".
"""

import json
import logging

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("marketplace.csp")

# A report is a few hundred bytes; anything far larger is not one and is not read.
MAX_REPORT_BYTES = 16 * 1024
# The fields of a report worth a log line (report-uri's and the Reporting API's spellings).
_FIELDS = (
    ("document-uri", "documentURL"),
    ("effective-directive", "effectiveDirective"),
    ("violated-directive", None),
    ("blocked-uri", "blockedURL"),
    ("source-file", "sourceFile"),
    ("line-number", "lineNumber"),
    ("disposition", "disposition"),
)


class PathPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the directives `CSP_PATH_REPLACES` gives a path prefix in
    place of the settings' (a view's own `csp_replace` decorator still wins)."""

    def process_response(self, request, response):
        # Wagtail's preview renders the page in a second middleware pass on a dummy request
        # (Page.make_preview_request) for the page's own URL; the real request's pass sets the
        # console's policy, which lets the editor frame the preview.
        if getattr(request, "is_dummy", False):
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.replace is not None:
            return parts
        for prefix, replace in getattr(settings, "CSP_PATH_REPLACES", ()):
            if request.path_info.startswith(prefix):
                parts.replace = replace
                break
        return parts


def _reports(payload) -> list[dict]:
    """The violation bodies in a report-uri document ({"csp-report": {...}}) or a Reporting API
    batch ([{"type": "csp-violation", "body": {...}}, ...]); nothing for anything else."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [item["body"] for item in payload[:20]
                if isinstance(item, dict) and isinstance(item.get("body"), dict)]
    return []


def _summary(report: dict) -> str:
    parts = []
    for name, other in _FIELDS:
        value = report.get(name, report.get(other) if other else None)
        if value not in (None, ""):
            parts.append(f"{name}={str(value)[:300]}")
    return " ".join(parts)


@csrf_exempt
@require_POST
def report(request):
    """Where browsers send the policy's violations: one warning log line each. Always 204, so
    neither junk nor a flood of reports costs more than a log line; nothing is stored."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REPORT_BYTES:
        logger.warning("CSP report of %d bytes ignored (over %d)", length, MAX_REPORT_BYTES)
        return HttpResponse(status=204)
    try:
        payload = json.loads(request.read(MAX_REPORT_BYTES).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, OSError):
        logger.info("CSP report endpoint got something that is not a JSON report")
        return HttpResponse(status=204)
    for body in _reports(payload):
        logger.warning("CSP violation: %s", _summary(body))
    return HttpResponse(status=204)
