"""Issue the policy versions governors approved for a go-live time that has now come. Schedule it every few
minutes, beside Wagtail's publish_scheduled."""

from django.core.management.base import BaseCommand

from policypages.versioning import issue_due_versions


class Command(BaseCommand):
    help = "Issue every policy version approved for a go-live time that has come."

    def handle(self, *args, **options):
        issued = issue_due_versions()
        for version in issued:
            self.stdout.write(f"Issued {version}")
        if not issued:
            self.stdout.write("No approved version is due to go live.")
