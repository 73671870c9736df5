from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guidance.importer import GuidanceImportError, import_answers
from guidance.models import guidance_indexes


class Command(BaseCommand):
    help = (
        "Import guidance answers from a CSV file with the header question,answer,audience and optional "
        "short_answer,topics,also_asked,policy_refs (lists separated by ';', references like social-media:5). "
        "A row with the same question updates the existing answer. If any row is rejected, nothing is imported "
        "unless --skip-invalid is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the valid rows even if some are rejected."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        staff_index, public_index = guidance_indexes()
        if staff_index is None or public_index is None:
            raise CommandError("The guidance pages do not exist yet: run `manage.py setup_site` first.")
        try:
            report = import_answers(
                path.read_bytes(),
                staff_index=staff_index,
                public_index=public_index,
                skip_invalid=options["skip_invalid"],
            )
        except GuidanceImportError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        for number, question, reason in report.rejected:
            self.stdout.write(self.style.WARNING(f"  Rejected row {number} ({question or 'no question'}): {reason}"))
        if not report.applied:
            raise CommandError(
                f"{len(report.rejected)} row(s) rejected, so nothing was imported. Fix them, or use --skip-invalid."
            )
        for question in report.created:
            self.stdout.write(f"  Created: {question}")
        for question in report.updated:
            self.stdout.write(f"  Updated: {question}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} created, {len(report.updated)} updated, {len(report.rejected)} rejected."
            )
        )
