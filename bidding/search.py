"""The "project" search document: published projects only (drafts stay private)."""

from marketplace import search


def _queryset():
    from bidding.models import Project

    return (Project.objects.exclude(status=Project.Status.DRAFT)
            .select_related("service_item", "region", "owner"))


def _to_document(project) -> search.SearchDocument:
    body = "\n".join(part for part in (
        project.description,
        project.service_item.name,
        project.service_item.name_en,
        project.region.name,
        project.owner.name,
    ) if part)
    return search.SearchDocument(pk=project.pk, title=project.title, body=body)


def register_document_type() -> None:
    from bidding.models import Project

    search.register(search.DocumentType(name="project", model=Project, queryset=_queryset,
                                        to_document=_to_document))
