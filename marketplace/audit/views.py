from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from marketplace.audit import checkpoints
from marketplace.audit.models import AuditCheckpoint


@require_GET
def checkpoint_list(request):
    page = Paginator(AuditCheckpoint.objects.order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(request, "audit/checkpoints.html", {
        "page": page, "key_id": checkpoints.key_id(),
        "public_key": checkpoints.public_key_b64(),
    })
