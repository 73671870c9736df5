from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sitesetup.demo import DEMO_DOMAIN, current_totp_code


class Command(BaseCommand):
    help = "Print the current two-step verification code of a demo account (demo school only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        email = options["email"].strip().lower()
        # The same rule as load_demo: the development settings `make run` uses, with or without DEBUG.
        allowed = settings.DEBUG or getattr(settings, "DEMO_CONTENT_ALLOWED", False)
        if not allowed or not email.endswith("@" + DEMO_DOMAIN):
            raise CommandError(f"Only for the demo school's accounts (@{DEMO_DOMAIN}) on a development site.")
        self.stdout.write(current_totp_code(email))
