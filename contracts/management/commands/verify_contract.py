"""Verify a signed contract PDF offline, with the platform's root certificate only (no
database, no network): `manage.py verify_contract FILE.pdf --root root.pem [--crl file.crl]`.
Exit status 0 when every signature is valid, 1 otherwise."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contracts.pades.verification import NotAPdf, load_certificates, verify_document


class Command(BaseCommand):
    help = "Verify the digital signatures of a contract PDF against the platform's root."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="The signed contract PDF.")
        parser.add_argument("--root", required=True,
                            help="The platform's root certificate (PEM or DER), from "
                                 "/api/v1/pki/root.pem.")
        parser.add_argument("--crl", action="append", default=None,
                            help="A revocation list (DER) from /api/v1/pki/crl.der; without "
                                 "one, revocations are not checked.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, **options):
        try:
            data = Path(options["file"]).read_bytes()
            roots = load_certificates(Path(options["root"]).read_bytes())
            crls = [Path(p).read_bytes() for p in options["crl"]] if options["crl"] else None
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            report = verify_document(data, roots=roots, crls=crls)
        except NotAPdf as exc:
            raise CommandError(str(exc)) from exc
        rows = [{"field": s.field, "organization": s.organization, "uscc": s.uscc,
                 "serial": s.serial, "signed_at": s.signed_at.isoformat() if s.signed_at
                 else None, "intact": s.intact, "trusted": s.trusted, "valid": s.valid,
                 "problems": [str(p) for p in s.problems]} for s in report.signatures]
        if options["json"]:
            self.stdout.write(json.dumps({"signatures": rows, "text_sha256": report.text_sha256},
                                         ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"{len(rows)} signature(s); contract text SHA-256: "
                              f"{report.text_sha256 or '-'}")
            for row in rows:
                verdict = "VALID" if row["valid"] else "NOT VALID"
                self.stdout.write(
                    f"- {row['field']}: {verdict} · {row['organization']} (USCC {row['uscc']}) "
                    f"· signed {row['signed_at']} · intact={row['intact']} "
                    f"trusted={row['trusted']} · serial {row['serial']}")
                for problem in row["problems"]:
                    self.stdout.write(f"    {problem}")
            checked = "yes" if crls is not None else "no (no --crl)"
            self.stdout.write(f"Revocation checked: {checked}")
        if not rows or not all(row["valid"] for row in rows):
            raise SystemExit(1)
