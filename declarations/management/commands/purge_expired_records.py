from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from declarations.models import Record
from declarations.services import purge


class Command(BaseCommand):
    help = (
        "Delete confidential records whose retention period has passed (counted from when they were filed or "
        "closed), with their follow-ups and evidence files. Open records are never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be deleted; delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        finished = Record.objects.filter(status__in=Record.FINISHED, status_changed_at__isnull=False)
        expired = [r for r in finished.prefetch_related("evidence") if r.expires_at() <= now]
        for record in expired:
            files = [e.file.name for e in record.evidence.all()]
            self.stdout.write(
                f"{'Would delete' if dry_run else 'Deleting'} {record} "
                f"({record.get_status_display().lower()} {record.status_changed_at:%d %b %Y}, {len(files)} file(s))"
            )
            if dry_run:
                continue
            with transaction.atomic():
                purge(record)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{len(expired)} record(s) {verb}.")
