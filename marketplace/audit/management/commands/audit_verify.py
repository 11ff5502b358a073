from django.core.management.base import BaseCommand, CommandError

from marketplace.audit.services import verify_chain


class Command(BaseCommand):
    help = "Walk the audit hash chain and report OK or the first broken entry."

    def handle(self, *args, **options):
        result = verify_chain()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: {result.checked} entries, chain intact"))
            return
        raise CommandError(
            f"BROKEN at entry #{result.broken_seq}: {result.reason} "
            f"({result.checked} entries verified before it)"
        )
