from django.core.management.base import BaseCommand

from sitesetup.setup import setup_site


class Command(BaseCommand):
    help = "Create the empty site (home, staff hub, parents, policies), the groups and the approval workflow. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-name",
            default="Our school",
            help="The school's name, used only when the home page is first created.",
        )

    def handle(self, *args, **options):
        _, report = setup_site(options["site_name"])
        for line in report:
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("Site set up." if report else "Site already set up; nothing to change."))
