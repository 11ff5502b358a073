"""Django-level errors under `/api/` answer JSON, like every other API refusal.

Some errors never reach a DRF view's exception handler: a body over
`DATA_UPLOAD_MAX_MEMORY_SIZE` read before the view, a path no route matches, a crash, a bad
Host header. Django answers those with its `handler400/403/404/500` views (HTML). These wrap
Django's own: under `/api/` they answer `{"detail", "code"}` with the same status (413 for a
body that is too large); everywhere else the pages stay as they were.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"
TOO_LARGE = "request.too_large"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def too_large_detail() -> str:
    return _("The request body is larger than the server accepts.")


def _json(detail, code: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": str(detail), "code": code}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception=None, *args, **kwargs):
    if not is_api(request):
        return defaults.bad_request(request, exception, *args, **kwargs)
    if isinstance(exception, RequestDataTooBig):
        return _json(too_large_detail(), TOO_LARGE, 413)
    return _json(_("The request could not be understood."), "bad_request", 400)


def permission_denied(request, exception=None, *args, **kwargs):
    if not is_api(request):
        return defaults.permission_denied(request, exception, *args, **kwargs)
    return _json(_("You are not allowed to do this."), "permission_denied", 403)


def page_not_found(request, exception=None, *args, **kwargs):
    if not is_api(request):
        return defaults.page_not_found(request, exception, *args, **kwargs)
    return _json(_("Not found."), "not_found", 404)


def server_error(request, *args, **kwargs):
    if not is_api(request):
        return defaults.server_error(request, *args, **kwargs)
    return _json(_("Something went wrong on our side; the error was logged."),
                 "server_error", 500)


class APIMethodNotAllowedMiddleware:
    """A plain Django view under `/api/` (none today) answering 405 does so with an empty body:
    give it the JSON every DRF view answers with."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A DRF response (it has a renderer) already answers as the client asked.
        if (response.status_code == 405 and is_api(request)
                and not hasattr(response, "accepted_renderer")):
            allow = response.get("Allow")
            response = _json(_("Method “%(method)s” not allowed.") % {"method": request.method},
                             "method_not_allowed", 405)
            if allow:
                response["Allow"] = allow
        return response
