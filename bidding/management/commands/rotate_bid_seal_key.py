from django.core.management.base import BaseCommand, CommandError

from bidding.services.sealing import seal_keys_rotate
from marketplace.errors import DomainError


class Command(BaseCommand):
    help = ("Rewrap every project's bid data key under the current key-encryption key "
            "(BID_SEAL_KEK_ID); sealed data is unchanged. Audited. Keep the old KEK in "
            "BID_SEAL_KEKS until this has run.")

    def handle(self, *args, **options):
        try:
            result = seal_keys_rotate()
        except DomainError as exc:
            raise CommandError(f"Nothing rotated: {exc.message}")
        self.stdout.write(self.style.SUCCESS(
            f"OK: {result['rewrapped']} data key(s) rewrapped under {result['kek_id']!r}, "
            f"{result['already_current']} already under it."))
