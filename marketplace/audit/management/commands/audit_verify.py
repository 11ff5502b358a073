from django.core.management.base import BaseCommand, CommandError

from marketplace.audit.services import verify_chain


class Command(BaseCommand):
    help = ("Walk every audit stream and every signed checkpoint; report OK or the first broken "
            "entry or checkpoint.")

    def handle(self, *args, **options):
        result = verify_chain()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(
                f"OK: {result.checked} entries in {result.streams} streams, "
                f"{result.checkpoints} checkpoints, chain intact"))
            return
        where = f"entry #{result.broken_entry}" if result.broken_entry else "the log"
        raise CommandError(f"BROKEN at {where}: {result.reason} "
                           f"({result.checked} entries verified before it)")
