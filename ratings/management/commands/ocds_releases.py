"""`manage.py ocds_releases`: write the OCDS releases of the changes made before releases were
stored (or whose release is missing), then count them per tag; `--validate` checks every stored
release and every record against the vendored OCDS 1.1.5 schemas (with the bids extension)."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from ratings.models import OCDSRelease
from ratings.opendata import ocds_packages, ocds_schema
from ratings.services.ocds import releases_backfill


class Command(BaseCommand):
    help = "Backfill the OCDS releases from the audit log; count them per tag; --validate."

    def add_arguments(self, parser):
        parser.add_argument("--validate", action="store_true",
                            help="Validate every release and record against the schemas.")

    def handle(self, *args, validate=False, **options):
        written = releases_backfill()
        self.stdout.write(f"{written} releases backfilled")
        tags = Counter(tag for row in OCDSRelease.objects.values_list("tag", flat=True)
                       for tag in row)
        kinds = Counter(OCDSRelease.objects.values_list("kind", flat=True))
        self.stdout.write(f"{OCDSRelease.objects.count()} releases, "
                          f"{OCDSRelease.objects.values('project').distinct().count()} projects")
        for name, count in sorted(kinds.items()):
            self.stdout.write(f"kind {name}: {count}")
        for name, count in sorted(tags.items()):
            self.stdout.write(f"tag {name}: {count}")
        if validate:
            self._validate()

    def _validate(self):
        problems = []
        for release in OCDSRelease.objects.iterator():
            problems += [f"{release.release_id} {e}"
                         for e in ocds_schema.validation_errors(release.data, "release")]
        project_ids = OCDSRelease.objects.values_list("project_id", flat=True).distinct()
        for project_id in project_ids.iterator():
            releases = list(OCDSRelease.objects.filter(project_id=project_id)
                            .order_by("date", "pk"))
            package = {"uri": "https://example.invalid/", "version": "1.1",
                       "publisher": {"name": "validation"},
                       "publishedDate": releases[-1].data["date"],
                       "records": [ocds_packages.record(
                           releases, releases_url="https://example.invalid/releases/")]}
            problems += [f"record of project {project_id} {e}" for e in
                         ocds_schema.validation_errors(package, "record-package")]
        for problem in problems[:50]:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} schema errors")
        self.stdout.write("every release and record is valid")
