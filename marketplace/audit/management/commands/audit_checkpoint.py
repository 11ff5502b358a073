from django.core.management.base import BaseCommand

from marketplace.audit.checkpoints import create_checkpoint


class Command(BaseCommand):
    help = "Anchor every audit stream's head in a new signed checkpoint (the beat does it too)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="write a checkpoint even if no head moved since the last")

    def handle(self, *args, force=False, **options):
        checkpoint = create_checkpoint(force=force)
        if checkpoint is None:
            self.stdout.write("No stream moved since the last checkpoint; nothing written.")
            return
        self.stdout.write(self.style.SUCCESS(
            f"Checkpoint #{checkpoint.pk}: root {checkpoint.root}, {checkpoint.streams} streams, "
            f"{checkpoint.entries} entries"))
