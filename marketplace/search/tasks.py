from celery import shared_task

from marketplace.search import services


@shared_task(name="search.index")
def index(*, doc_type: str, pks: list[int]) -> None:
    services.index_objects(doc_type=doc_type, pks=pks)


@shared_task(name="search.remove")
def remove(*, doc_type: str, pks: list[int]) -> None:
    services.remove_objects(doc_type=doc_type, pks=pks)
