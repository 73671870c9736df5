from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from core.updates import SignalledUpdateQuerySet


class SchoolUserManager(UserManager.from_queryset(SignalledUpdateQuerySet)):
    """People, with bulk updates announced (core.updates) so the rule on who may change whom holds for them too."""

    def get_by_natural_key(self, username):
        # People sign in with their email address; match it case-insensitively.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A member of staff, governor or administrator. Parents never have accounts.

    Custom from the first migration so that staff details (start date for induction
    deadlines, job title) can grow here without a painful swap later.
    """

    email = models.EmailField("email address", unique=True)
    job_title = models.CharField(max_length=150, blank=True)
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="The school this person works at; their confidential records are filed under it.",
    )
    in_central_team = models.BooleanField(
        "works for the trust's central team",
        default=False,
        help_text="In a trust: this person works for the trust rather than one school, and their roles apply in "
        "every school. Someone with neither a school nor this ticked reads no school's staff pages.",
    )
    other_schools = models.ManyToManyField(
        "schools.School",
        blank=True,
        related_name="visiting_staff",
        help_text="Other schools this person also works at (a trust's peripatetic staff, say).",
    )
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text="First day in post. New starters' policy-reading deadlines count from here.",
    )

    objects = SchoolUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(in_central_team=True, school__isnull=False), name="a_school_or_the_central_team"
            )
        ]
        permissions = [
            ("set_page_privacy", "Set page privacy (who may read a page: everyone, or signed-in staff)"),
        ]

    def clean(self):
        super().clean()
        if self.in_central_team and self.school_id is not None:
            raise ValidationError("Choose a school or the trust's central team, not both.")

    def save(self, *args, **kwargs):
        # One person, one address: "Sam.Patel@School.org" and "sam.patel@school.org" must not be two accounts,
        # and allauth looks addresses up in lower case.
        if self.email:
            self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def __str__(self):
        return self.get_full_name() or self.email
