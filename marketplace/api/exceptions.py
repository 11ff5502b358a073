"""One mapping from domain errors to HTTP for the whole API (API.md "Status codes").

Every refusal carries a stable machine-readable `code` beside the translated `detail` (or
beside the field errors): a domain error its own (`bid.deadline_passed`), DRF's own refusals
theirs (`not_authenticated`, `permission_denied`, `throttled`, …), validation errors `invalid`.
An extension of API.md: `detail`, the field errors and the status codes are unchanged.
"""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from marketplace.api.django_errors import TOO_LARGE, too_large_detail
from marketplace.errors import DomainError

INVALID = "invalid"


def domain_error_response(exc: DomainError) -> Response:
    if exc.field and exc.status_code == status.HTTP_400_BAD_REQUEST:
        return Response({exc.field: [str(exc.message)], "code": exc.code},
                        status=exc.status_code)
    return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status_code)


def _leaf_codes(codes):
    if isinstance(codes, dict):
        for value in codes.values():
            yield from _leaf_codes(value)
    elif isinstance(codes, list | tuple):
        for value in codes:
            yield from _leaf_codes(value)
    elif codes is not None:
        yield str(codes)


def _drf_code(exc) -> str:
    """DRF's own code; for field errors `invalid`, unless every error carries one of our
    dotted codes (`date.out_of_range`, `text.too_long`): then that one."""
    get_codes = getattr(exc, "get_codes", None)
    codes = get_codes() if get_codes else None
    if isinstance(codes, str):
        return codes
    ours = set(_leaf_codes(codes))
    if len(ours) == 1 and "." in next(iter(ours)):
        return ours.pop()
    return getattr(exc, "default_code", INVALID)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": too_large_detail(), "code": TOO_LARGE},
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {field: [str(m) for m in errs[0].messages] if len(errs) == 1 else
                    [str(m) for e in errs for m in e.messages]
                    for field, errs in exc.error_dict.items()}
        else:
            data = {"detail": " ".join(str(m) for m in exc.messages)}
        return Response({**data, "code": INVALID}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        response.data["code"] = _drf_code(exc)
    return response
