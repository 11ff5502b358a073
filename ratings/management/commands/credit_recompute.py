"""`manage.py credit_recompute`: everybody's score and grade, set-based (the nightly task)."""

import time

from django.core.management.base import BaseCommand

from ratings.services import credit_recompute_all
from ratings.services.incidents import record_missing_incidents


class Command(BaseCommand):
    help = "Recompute every organization's credit score and grade from the ledger."

    def handle(self, *args, **options):
        started = time.perf_counter()
        caught_up = record_missing_incidents()
        changed = credit_recompute_all()
        self.stdout.write(f"{changed} organizations changed, {caught_up} incidents caught up, "
                          f"{time.perf_counter() - started:.2f}s")
