from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Site

from schools.models import School
from sitesetup.setup import add_school


class Command(BaseCommand):
    help = "Add a school to a trust: its own site (at HOSTNAME), with the pages every school has."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The school's full name, e.g. 'Elm Primary School'.")
        parser.add_argument("hostname", help="Where its site is reached, e.g. elm.oaktrust.org.uk.")
        parser.add_argument("--short-name", default="")
        parser.add_argument("--urn", default="", help="Its six-digit URN (Get Information about Schools).")

    def handle(self, *args, name, hostname, short_name, urn, **options):
        if School.objects.filter(name=name).exists():
            raise CommandError(f"There is already a school called {name}.")
        if Site.objects.filter(hostname=hostname).exists():
            raise CommandError(f"A site already answers at {hostname}.")
        try:
            with transaction.atomic():
                _tree, report = add_school(name, hostname, short_name=short_name, urn=urn)
        except ValidationError as error:
            problems = [message for messages in error.message_dict.values() for message in messages]
            raise CommandError("; ".join(problems)) from None
        for line in report:
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"{name} is ready at http://{hostname}/"))
