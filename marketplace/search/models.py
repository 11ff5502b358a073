from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One object's searchable text in the database backend, as space-separated tokens
    (`marketplace.search.text.document_tokens`).

    The full-text index over it lives outside the ORM, created by this app's migrations:
    on SQLite the FTS5 table `search_fts`, kept in step by triggers on this table; on
    PostgreSQL the generated `search_vector` tsvector column with a GIN index."""

    doc_type = models.CharField(_("document type"), max_length=32)
    object_id = models.BigIntegerField(_("object id"))
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "object_id"],
                                    name="search_entry_unique_object"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}:{self.object_id}"
