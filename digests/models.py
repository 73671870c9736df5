from django.conf import settings
from django.db import models


class DigestSent(models.Model):
    """The weekly digest went to this person for this week: never twice (the command may run every day)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_of = models.DateField(help_text="The Monday of the week it covers.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week_of"], name="one_digest_per_person_per_week")]

    def __str__(self):
        return f"Digest to {self.user} for the week of {self.week_of}"
