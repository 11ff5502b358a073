"""The bid path's floor (issue 14 §1): `POST /api/v1/bench/floor/` does the least a bid
submission must do through the same stack (every middleware, token authentication, DRF parsing,
one transaction, one insert, a 201), so that `make bench` can say how far above it the real
`POST projects/{id}/bids/` is. Routed only when `MARKETPLACE_BENCH_FLOOR` is on and
`DJANGO_DEBUG` too (marketplace/api_urls.py): the bench sets it, production never."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.operations.models import BenchFloorRow


@extend_schema(exclude=True)
class BenchFloor(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request):
        with transaction.atomic():
            row = BenchFloorRow.objects.create(
                payload=str(request.data.get("proposal", ""))[:200])
        return Response({"id": row.pk}, status=status.HTTP_201_CREATED)
