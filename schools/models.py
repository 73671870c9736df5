"""The schools of a trust, and the trust above them.

A school is a real object, not a line of text on a person: staff belong to one (or to the trust's central
team), may also work at others, and single sign-on files them under it. Each school that has its own pages is
a Wagtail `Site`: its home, staff hub and parents' section are that site's page tree, and its name, badge,
colours and office contact are that site's branding setting (policypages.branding). A site that has only ever
had one school carries no trust furniture: the school is there, but nobody is asked to choose it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# The Department for Education's unique reference number for a school (Get Information about Schools).
URN = RegexValidator(r"^\d{6}$", "A URN is the six-digit number Get Information about Schools gives the school.")
DOMAIN = RegexValidator(
    r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$", "Write each email domain on its own line, e.g. oakbrook.sch.uk."
)


@register_setting(icon="group")
class Trust(BaseGenericSetting):
    """The multi-academy trust the schools belong to. A single school leaves it blank."""

    name = models.CharField(
        max_length=150,
        blank=True,
        help_text="For example 'Oak Learning Trust'. Leave blank if this site serves one school.",
    )
    central_team_name = models.CharField(
        max_length=80,
        default="Trust central team",
        help_text="What the people who work for the trust rather than one school are called.",
    )

    central_safeguarding_sees_every_school = models.BooleanField(
        "The central team's safeguarding lead reads every school's safeguarding reports",
        default=True,
        help_text="Rejected-contact and online abuse reports are read by the school's own safeguarding lead and "
        "senior leaders. Ticked, a safeguarding lead in the trust's central team reads every school's too. "
        "(Who is a safeguarding lead is decided by the system's superuser.)",
    )

    central_team_answers_every_school = models.BooleanField(
        "The central team's HR answers every school's questions",
        default=False,
        help_text="Questions staff and parents send from search go to their own school's HR. Ticked, HR in the "
        "trust's central team also sees and answers every school's (the trust's own questions are theirs either "
        "way).",
    )

    class CopiesApprovedBy(models.TextChoices):
        SCHOOL_GOVERNORS = "school", "The school's own governors"
        TRUST_BOARD = "trust", "The trust board (governors in the trust's central team)"

    copies_approved_by = models.CharField(
        "who approves a school's copy of a trust policy",
        max_length=10,
        choices=CopiesApprovedBy.choices,
        default=CopiesApprovedBy.SCHOOL_GOVERNORS,
        help_text="When a school adopts or re-adopts a trust policy with its own local sections, who approves the "
        "school's version before its staff are asked to read it.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("central_team_name"),
        FieldPanel("central_safeguarding_sees_every_school"),
        FieldPanel("central_team_answers_every_school"),
        FieldPanel("copies_approved_by"),
    ]

    class Meta:
        verbose_name = "trust"


def _lines(text):
    return [line.strip().lower() for line in (text or "").splitlines() if line.strip()]


class SchoolQuerySet(models.QuerySet):
    def for_email_domain(self, domain):
        domain = domain.lower()
        return [school for school in self if domain in school.email_domain_list]

    def for_directory_groups(self, groups):
        wanted = {str(group).strip().lower() for group in groups}
        return [school for school in self if wanted & set(school.directory_group_list)]


class School(models.Model):
    name = models.CharField(max_length=150, unique=True, help_text="The school's full name, e.g. Oakbrook Academy.")
    short_name = models.CharField(
        max_length=40, blank=True, help_text="Where space is short, e.g. 'Oakbrook'. Leave blank to use the name."
    )
    urn = models.CharField("URN", max_length=6, blank=True, validators=[URN])
    site = models.OneToOneField(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="school",
        help_text="The site with this school's own pages (its home, staff hub and parents' section) and its "
        "branding: badge, colours and office contact.",
    )
    email_domains = models.TextField(
        blank=True,
        help_text="Single sign-on files a new person under this school when their email address ends in one of "
        "these domains. One per line, e.g. oakbrook.sch.uk.",
    )
    directory_groups = models.TextField(
        blank=True,
        help_text="Or when they are in one of these Microsoft Entra ID groups (the group's object ID). "
        "One per line. A group is more specific than a domain and wins over it.",
    )

    objects = SchoolQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("urn"),
        FieldPanel("site"),
        MultiFieldPanel(
            [FieldPanel("email_domains"), FieldPanel("directory_groups")], heading="Who single sign-on files here"
        ),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def email_domain_list(self):
        return _lines(self.email_domains)

    @property
    def directory_group_list(self):
        return _lines(self.directory_groups)

    def clean(self):
        problems = []
        for domain in self.email_domain_list:
            try:
                DOMAIN(domain.lstrip("@"))
            except ValidationError:
                problems.append(domain)
        if problems:
            raise ValidationError({"email_domains": f"Not an email domain: {', '.join(problems)}."})
        self.email_domains = "\n".join(d.lstrip("@") for d in self.email_domain_list)
        # One domain, one school: otherwise single sign-on could not tell where a new person belongs.
        others = School.objects.exclude(pk=self.pk)
        taken = [d for d in self.email_domain_list if others.for_email_domain(d)]
        if taken:
            raise ValidationError({"email_domains": f"Another school already has {', '.join(taken)}."})
