"""What can be searched: each app registers a document type in its AppConfig.ready()."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class SearchDocument:
    """The searchable text of one object: `title` weighs more than `body`."""

    pk: int
    title: str
    body: str


@dataclass(frozen=True)
class DocumentType:
    name: str  # "agency", "project"
    model: type[models.Model]
    # The objects to index, with whatever select/prefetch `to_document` needs.
    queryset: Callable[[], models.QuerySet]
    to_document: Callable[[models.Model], SearchDocument]

    def documents(self, objects: Iterable[models.Model]) -> list[SearchDocument]:
        return [self.to_document(obj) for obj in objects]


_registry: dict[str, DocumentType] = {}


def register(document_type: DocumentType) -> None:
    _registry[document_type.name] = document_type


def get(name: str) -> DocumentType:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"No search document type {name!r} is registered") from None


def all_types() -> list[DocumentType]:
    return list(_registry.values())
