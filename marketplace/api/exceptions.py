"""One mapping from domain errors to HTTP for the whole API (API.md "Status codes")."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from marketplace.errors import DomainError


def domain_error_response(exc: DomainError) -> Response:
    if exc.field and exc.status_code == status.HTTP_400_BAD_REQUEST:
        return Response({exc.field: [str(exc.message)]}, status=exc.status_code)
    return Response({"detail": str(exc.message)}, status=exc.status_code)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {field: [str(m) for m in errs[0].messages] if len(errs) == 1 else
                    [str(m) for e in errs for m in e.messages]
                    for field, errs in exc.error_dict.items()}
        else:
            data = {"detail": " ".join(str(m) for m in exc.messages)}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
