from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from declarations.models import FORMS, AccessGrant, Record
from declarations.services import audit


class Command(BaseCommand):
    help = (
        "Give one person time-limited access to one form's records outside the usual groups (for example an "
        "investigating officer). Written to the audit log of every record it opens."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("form", choices=[f for f, _ in FORMS])
        parser.add_argument("--reason", required=True)
        parser.add_argument("--authorised-by", required=True, help="The name of the person who authorised it.")
        parser.add_argument("--days", type=int, default=14)

    def handle(self, email, form, reason, authorised_by, days, **options):
        try:
            user = get_user_model().objects.get(email__iexact=email)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No account with the email {email}.") from None
        if not 1 <= days <= 90:
            raise CommandError("A grant lasts between 1 and 90 days.")
        with transaction.atomic():
            grant = AccessGrant.objects.create(
                user=user,
                form=form,
                reason=reason,
                granted_by=authorised_by,
                expires_at=timezone.now() + timedelta(days=days),
            )
            for record in Record.objects.filter(form=form):
                audit(record, "declarations.grant", None, to=user.email, by=authorised_by, reason=reason, days=days)
        self.stdout.write(str(grant))
