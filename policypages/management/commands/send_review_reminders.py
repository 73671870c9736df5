from django.core.management.base import BaseCommand

from policypages.reminders import send_review_reminders


class Command(BaseCommand):
    help = "Email each policy owner the policies overdue or due for review. At most one email per policy per day."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say who would be emailed, send nothing.")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        sent, no_owner = send_review_reminders(dry_run=dry_run)
        verb = "Would email" if dry_run else "Emailed"
        for recipient, policies in sent:
            titles = "; ".join(p.title for p in policies)
            self.stdout.write(f"  {verb} {recipient}: {titles}")
        for policy in no_owner:
            self.stdout.write(
                self.style.WARNING(f"  No owner or contact email for '{policy.title}': nobody to remind.")
            )
        total = sum(len(p) for _, p in sent)
        if not sent:
            self.stdout.write("No review reminders to send today.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{verb} {len(sent)} owner(s) about {total} polic{'y' if total == 1 else 'ies'}.")
            )
