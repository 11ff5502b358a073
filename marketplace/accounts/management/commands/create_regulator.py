import getpass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from marketplace.accounts import services
from marketplace.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create a regulator account (an admin of the regulator organization, which is created "
        "when missing). Run again with the same user name to reset its password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", help="Asked for when omitted.")
        parser.add_argument("--email", default="")
        parser.add_argument("--organization-name", default=services.REGULATOR_NAME,
                            help="Name of the regulator organization, if it must be created.")

    def handle(self, *args, **options):
        # The operator reads the site's language, whatever a previous caller left active.
        with translation.override(settings.LANGUAGE_CODE):
            self._create(**options)

    def _create(self, *, username, password, email, organization_name, **options):
        if not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            validate_password(password, user=get_user_model()(username=username, email=email))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        try:
            user = services.create_regulator(username=username, password=password, email=email,
                                             organization_name=organization_name)
        except DomainError as exc:
            raise CommandError(str(exc.message))
        organization = user.membership.organization
        self.stdout.write(self.style.SUCCESS(
            f"Regulator account {user.get_username()} ready in {organization.name} "
            f"({organization.uscc})."
        ))
