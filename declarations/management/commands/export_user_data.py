import json
import zipfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from declarations.models import Record


class Command(BaseCommand):
    help = (
        "Everything the site holds about one person, for a subject access request: their account, policy "
        "read receipts, confidential records with follow-ups, and their evidence files, in one zip."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", help="The zip to write (default: sar-<email>-<date>.zip here).")

    def handle(self, email, output=None, **options):
        try:
            user = get_user_model().objects.get(email__iexact=email)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No account with the email {email}.") from None
        path = Path(output or f"sar-{user.email}-{timezone.localdate():%Y-%m-%d}.zip")
        data = {
            "exported_at": timezone.now(),
            "account": {
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "job_title": user.job_title,
                "school": user.school.name if user.school_id else "",
                "other_schools": sorted(user.other_schools.values_list("name", flat=True)),
                "start_date": user.start_date,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "is_active": user.is_active,
                "groups": sorted(user.groups.values_list("name", flat=True)),
            },
            "read_receipts": [
                {"policy": r.version.policy.title, "version": r.version.label, "confirmed_at": r.confirmed_at}
                for r in user.read_receipts.select_related("version__policy").order_by("confirmed_at")
            ],
            "records_submitted": [],
            "records_reviewed": sorted(
                Record.objects.filter(status_changed_by=user).values_list("reference", flat=True)
            ),
            "not_included": (
                "Records other people submitted that mention this person by name are not found automatically; "
                "search the inbox for their name. Search logs and answer feedback are anonymous."
            ),
        }
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for record in Record.objects.filter(submitted_by=user).prefetch_related("follow_ups", "evidence"):
                files = []
                for item in record.evidence.all():
                    name = f"evidence/{record.reference}/{item.pk}-{item.original_name}"
                    try:
                        with item.file.open("rb") as handle:
                            archive.writestr(name, handle.read())
                    except FileNotFoundError:
                        name = f"(missing on disk) {item.original_name}"
                    files.append(name)
                data["records_submitted"].append(
                    {
                        "reference": record.reference,
                        "form": record.form_label,
                        "submitted_at": record.submitted_at,
                        "status": record.get_status_display(),
                        "fields": dict(record.submitted_fields()),
                        "follow_ups": [
                            {"kind": f.get_kind_display(), "at": f.created_at, "text": f.text}
                            for f in record.follow_ups.all()
                        ],
                        "evidence": files,
                    }
                )
            archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
        self.stdout.write(f"Wrote {path} ({len(data['records_submitted'])} record(s)).")
