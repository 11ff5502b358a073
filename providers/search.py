"""The "agency" search document (registered in ProvidersConfig.ready()).

Title: the agency's name. Body: what someone looking for an agency types: service items (Chinese
and English names, categories), the fee and service standards, the region, the qualification
types, the USCC, the agency's introduction and its former names (曾用名). The index is a
projection: services and qualification services reindex the agency after commit (so do a change
of its details or name), and `search_rebuild` rebuilds everything from `agency_queryset`.
"""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from marketplace import search
from marketplace.accounts.models import Organization
from providers import selectors
from providers.models import Qualification


def agency_queryset() -> QuerySet[Organization]:
    """Indexed agencies: the listed ones, with what `agency_document` reads, in four queries
    (the agencies, their services, qualifications and former names)."""
    # Expired qualifications stay in the body until the agency is reindexed; harmless, as the
    # directory filters on the database and search only narrows the candidates.
    qualifications = (
        Qualification.objects.filter(valid_until__gte=timezone.localdate())
        .exclude(status=Qualification.Status.REJECTED)
        .select_related("qualification_type")
    )
    return (
        selectors.listed_agencies()
        .select_related("region")
        .prefetch_related(
            selectors.services_prefetch(),
            Prefetch("qualifications", queryset=qualifications, to_attr="indexed_qualifications"),
            "name_changes",
        )
    )


def agency_document(agency: Organization) -> search.SearchDocument:
    parts: list[str] = [agency.uscc, *(change.old_name for change in agency.name_changes.all())]
    if agency.region_id:
        parts.append(agency.region.name)
    for service in agency.services.all():
        item = service.service_item
        parts += [item.name, item.name_en, item.category, service.fee_standard,
                  service.service_standard]
    for qualification in getattr(agency, "indexed_qualifications", []):
        kind = qualification.qualification_type
        parts += [kind.name, kind.name_en]
    if agency.introduction:
        parts.append(agency.introduction)
    body = "\n".join(dict.fromkeys(part for part in parts if part))  # unique, in order
    return search.SearchDocument(pk=agency.pk, title=agency.name, body=body)


AGENCY = search.DocumentType(
    name="agency",
    model=Organization,
    queryset=agency_queryset,
    to_document=agency_document,
)


def register() -> None:
    search.register(AGENCY)
