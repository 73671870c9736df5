from django.core.management.base import BaseCommand

from digests.services import send_leaders_digest


class Command(BaseCommand):
    help = "Email this week's policies digest to senior leaders and HR (once a week each; safe to run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        sent = send_leaders_digest(dry_run=dry_run)
        for user, text in sent:
            self.stdout.write(f"{'Would send' if dry_run else 'Sent'} to {user.email}")
            if dry_run:
                self.stdout.write(text)
        if not sent:
            self.stdout.write("Nothing to send: everyone has this week's digest, or there is nothing to report.")
