from django.core.management.base import BaseCommand

from policypages.read_reminders import send_read_reminders


class Command(BaseCommand):
    help = "Email every member of staff who owes a policy a digest of what they owe. At most one per person per week."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say who would be emailed, send nothing.")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        sent, skipped = send_read_reminders(dry_run=dry_run)
        verb = "Would email" if dry_run else "Emailed"
        for user, statuses in sent:
            titles = "; ".join(s.requirement.policy.title for s in statuses)
            self.stdout.write(f"  {verb} {user.email}: {titles}")
        if skipped:
            self.stdout.write(f"  Skipped {len(skipped)} people already reminded in the last 7 days.")
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(sent)} people." if sent else "Nobody to remind."))
