"""Create the demo certificate authority (root and issuing CA) in PKI_CA_DIR, outside the
repository, its keys encrypted with PKI_CA_PASSPHRASE."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from marketplace.pki import demo
from marketplace.pki.authority import configured_authority
from marketplace.pki.selectors import root_fingerprint


class Command(BaseCommand):
    help = "Create the demo CA's root and issuing certificates (PKI_CA_DIR)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="", help="Directory (default: PKI_CA_DIR).")
        parser.add_argument("--force", action="store_true",
                            help="Replace an existing CA (every certificate it issued stops "
                                 "verifying against the new root).")

    def handle(self, *args, **options):
        directory = Path(options["dir"] or settings.PKI_CA_DIR)
        try:
            demo.init_ca(directory, settings.PKI_CA_PASSPHRASE, force=options["force"])
        except (FileExistsError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        configured_authority.cache_clear()
        self.stdout.write(f"CA created in {directory}")
        if directory == Path(settings.PKI_CA_DIR):
            self.stdout.write(f"Root SHA-256 fingerprint: {root_fingerprint()}")
