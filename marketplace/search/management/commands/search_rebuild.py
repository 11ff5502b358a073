"""Rebuild the search index from the database: `manage.py search_rebuild [--type agency]`."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from marketplace.search import registry, services
from marketplace.search.backends import get_backend
from marketplace.search.backends.elastic import SearchEngineUnavailable


class Command(BaseCommand):
    help = "Rebuild the search index of every registered document type (or one) from the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--type", dest="doc_types", action="append", metavar="TYPE",
            help="Only this document type (repeatable), e.g. --type agency",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, doc_types=None, no_progress=False, verbosity=1, **options):
        known = {document_type.name: document_type for document_type in registry.all_types()}
        if not known:
            self.stdout.write("No search document types are registered; nothing to rebuild.")
            return
        unknown = sorted(set(doc_types or []) - set(known))
        if unknown:
            raise CommandError(
                f"Unknown document type(s): {', '.join(unknown)}. "
                f"Registered: {', '.join(sorted(known))}"
            )
        backend = get_backend()
        for name in doc_types or sorted(known):
            total = known[name].queryset().count()
            with tqdm(total=total, desc=name, unit="obj",
                      disable=no_progress or verbosity == 0, file=sys.stderr) as bar:
                try:
                    count = services.rebuild(doc_type=name, progress=bar.update)
                except SearchEngineUnavailable as exc:
                    raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS(
                f"{name}: {count} indexed ({type(backend).__name__})"
            ))
