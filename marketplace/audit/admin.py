from django.contrib import admin

from marketplace.audit.models import AuditEntry
from marketplace.audit.selectors import visible_entries
from marketplace.readonly_admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "stream", "created_at", "action", "actor_name", "organization",
                    "object_repr"]
    list_filter = ["action"]
    search_fields = ["action", "object_repr", "actor_name"]

    def get_queryset(self, request):
        # Superusers too: nobody reads who bid before the opening (audit.selectors).
        return visible_entries(super().get_queryset(request))
