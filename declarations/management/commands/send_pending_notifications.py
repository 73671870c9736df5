from django.core.management.base import BaseCommand

from declarations.models import Notification
from declarations.services import MAX_ATTEMPTS, deliver_pending


class Command(BaseCommand):
    help = "Send notification emails that could not be sent when the record was saved (run every few minutes)."

    def handle(self, *args, **options):
        sent, failed = deliver_pending(limit=1000)
        waiting = Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).count()
        given_up = Notification.objects.filter(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS).count()
        self.stdout.write(
            f"Sent {sent}, failed {failed}, still waiting {waiting}, given up after {MAX_ATTEMPTS} tries {given_up}."
        )
        if failed:
            self.stderr.write("The mail server refused or could not be reached; the next run will try again.")
