"""Confidential records: what staff declare and report, in writing, to senior leaders.

The social media policy asks staff to declare relationships with pupils and parents, to report approaches
they declined and online abuse, and to ask before opening an official account. Each of the four forms is
its own model (its own fields and rules) on one shared `Record`, so the inbox, statuses, follow-ups,
evidence, audit log and retention work the same for all of them.

Who may see which form is decided in `declarations.access`, never by `user.has_perm` (superusers pass
every has_perm check; here they see nothing unless they are in a reviewing group or hold a logged grant).
"""

import hashlib
import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import cached_property
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, Site
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager

from core.privacy import visible_to
from core.published import RestrictionsFromSnapshot
from policypages.models import live_related

from .storage import evidence_storage

RELATIONSHIP = "relationship"
REJECTED_CONTACT = "rejected_contact"
ABUSE = "abuse"
ACCOUNT_REQUEST = "account_request"
FORMS = [
    (RELATIONSHIP, "Relationship declaration"),
    (REJECTED_CONTACT, "Rejected-contact report"),
    (ABUSE, "Online abuse or impersonation report"),
    (ACCOUNT_REQUEST, "Official account request"),
]
FORM_LABELS = dict(FORMS)
REFERENCE_PREFIX = {RELATIONSHIP: "RD", REJECTED_CONTACT: "RC", ABUSE: "AB", ACCOUNT_REQUEST: "AR"}


def private_storage():
    # The `evidence` storage: a folder outside MEDIA_ROOT or a private bucket, with no public URL either way.
    return evidence_storage()


class Record(models.Model):
    SUBMITTED, ACKNOWLEDGED, ACTION_TAKEN, FILED, CLOSED = (
        "submitted",
        "acknowledged",
        "action_taken",
        "filed",
        "closed",
    )
    STATUSES = [
        (SUBMITTED, "Submitted"),
        (ACKNOWLEDGED, "Acknowledged"),
        (ACTION_TAKEN, "Action taken"),
        (FILED, "Filed on the personnel file"),
        (CLOSED, "Closed"),
    ]
    FINISHED = (FILED, CLOSED)

    form = models.CharField(max_length=20, choices=FORMS, editable=False)
    reference = models.CharField(max_length=20, unique=True, editable=False, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="records", editable=False
    )
    # Filed under the submitter's school when they sent it (None: the trust's central team); in a trust only that
    # school's reviewers read it (declarations.access).
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    submitted_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    # The form's hidden key: pressing Submit twice (or re-sending after a slow network) makes one record.
    submission_key = models.UUIDField(unique=True, editable=False)
    status = models.CharField(max_length=20, choices=STATUSES, default=SUBMITTED, db_index=True)
    # When the submitter last opened their record: a reviewer's message after it is marked "New reply".
    submitter_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    reviewer_notes = models.TextField(
        blank=True, help_text="For reviewers only. The person who submitted the record never sees these notes."
    )

    class Meta:
        ordering = ["-submitted_at"]
        default_permissions = ()
        permissions = [
            ("review_relationship", "Review relationship declarations"),
            ("review_rejected_contact", "Review rejected-contact reports"),
            ("review_abuse", "Review online abuse reports"),
            ("review_account_request", "Review official account requests"),
            ("decide_account_request", "Approve or refuse official account requests"),
        ]
        verbose_name = "confidential record"

    def __str__(self):
        # No names and no content: this label appears in the audit log and in notifications.
        return f"{FORM_LABELS.get(self.form, 'Record')} {self.reference}".strip()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.reference:
            self.reference = f"{REFERENCE_PREFIX[self.form]}-{self.pk:05d}"
            Record.objects.filter(pk=self.pk).update(reference=self.reference)

    def get_absolute_url(self):
        return reverse("declarations:mine_detail", args=[self.reference])

    @cached_property
    def specific(self):
        """The form's own record (a RelationshipDeclaration, ...) with its fields."""
        if type(self) is not Record:
            return self
        return getattr(self, FORM_MODELS[self.form]._meta.model_name)

    @property
    def form_label(self):
        return FORM_LABELS[self.form]

    @property
    def is_finished(self):
        return self.status in self.FINISHED

    def retention_days(self):
        return settings.RECORD_RETENTION_DAYS[self.form]

    def expires_at(self):
        """Records are kept while open; the retention period counts from when they were filed or closed."""
        if not self.is_finished or not self.status_changed_at:
            return None
        return self.status_changed_at + timedelta(days=self.retention_days())

    def submitted_fields(self):
        """(label, value) of what the person submitted, in form order, for the inbox and their own copy."""
        record = self.specific
        out = []
        for field in record._meta.get_fields():
            if field.model is Record or not getattr(field, "editable", False) or field.name in record.NOT_SHOWN:
                continue
            if isinstance(field, models.OneToOneField | models.ManyToOneRel):
                continue
            value = getattr(record, field.name)
            if field.choices:
                value = getattr(record, f"get_{field.name}_display")()
            elif isinstance(value, list):
                labels = dict(record.CHOICE_LISTS.get(field.name, ()))
                value = ", ".join(labels.get(v, v) for v in value)
            elif isinstance(value, bool):
                value = "Yes" if value else "No"
            elif isinstance(value, datetime):
                value = date_format(timezone.localtime(value), "j F Y, H:i")  # the school's time, as people write it
            elif isinstance(value, date):
                value = date_format(value, "j F Y")
            out.append(
                (field.verbose_name[:1].upper() + field.verbose_name[1:], value if value not in (None, "") else "–")
            )
        return out


class RelationshipDeclaration(Record):
    PUPIL, FORMER_PUPIL, PARENT, OTHER = "pupil", "former_pupil", "parent", "other"
    PEOPLE = [
        (PUPIL, "A pupil"),
        (FORMER_PUPIL, "A former pupil"),
        (PARENT, "A parent or carer of a pupil"),
        (OTHER, "Someone else connected to the school"),
    ]
    RELATIONSHIPS = [
        ("family", "They are a family member"),
        ("family_friend", "They are a family friend"),
        ("also_parent", "I am also a parent at the school"),
        ("private_work", "Private work, such as tutoring or childcare"),
        ("other", "Something else (please explain below)"),
    ]
    NOT_SHOWN = ("withdrawn_at",)
    CHOICE_LISTS = {}

    person = models.CharField("who is it with", max_length=20, choices=PEOPLE)
    person_name = models.CharField(
        "their name", max_length=150, help_text="And, for a pupil, their class or year group."
    )
    relationship = models.CharField("the relationship", max_length=20, choices=RELATIONSHIPS)
    platforms = models.CharField(
        "where you are in contact online",
        max_length=255,
        blank=True,
        help_text="For example Facebook, WhatsApp, Instagram. Leave empty if you are not in contact online.",
    )
    since = models.DateField("since when", help_text="Roughly is fine: the first of the month will do.")
    details = models.TextField(
        "anything else we should know",
        blank=True,
        help_text="For example how you keep school matters out of the relationship.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "relationship declaration"


class RejectedContactReport(Record):
    APPROACHERS = [
        ("pupil", "A pupil"),
        ("former_pupil_under_18", "A former pupil under 18"),
        ("parent", "A parent or carer"),
    ]
    NOT_SHOWN = ()
    CHOICE_LISTS = {}

    approached_by = models.CharField("who approached you", max_length=30, choices=APPROACHERS)
    their_name = models.CharField("their name, if you know it", max_length=150, blank=True)
    platform = models.CharField("which app or site", max_length=100, help_text="For example Instagram or TikTok.")
    contacted_at = models.DateTimeField("when", help_text="The date and roughly the time of the message or request.")
    what_was_sent = models.TextField(
        "what they sent", help_text="A friend or follow request, a message (what it said), a comment, a tag..."
    )
    response = models.TextField("how you responded", help_text="For example: declined the request and blocked them.")
    kept_copies = models.BooleanField(
        "I have kept copies (screenshots) of the messages",
        default=False,
        help_text="Attach them below if you can. Keep the originals too: do not delete them.",
    )

    class Meta:
        verbose_name = "rejected-contact report"


class AbuseReport(Record):
    NOT_SHOWN = ()
    CHOICE_LISTS = {}

    what_happened = models.TextField(
        "what happened", help_text="What was posted or sent, and whether it pretends to be you or the school."
    )
    where = models.CharField(
        "where it is",
        max_length=500,
        help_text="The web address (copy it from the browser or the app's Share → Copy link), or where you saw it.",
    )
    happened_at = models.DateTimeField("when you saw it")
    who_involved = models.TextField(
        "who may be involved", blank=True, help_text="Only if you know or suspect: pupils, parents, others."
    )
    consent_platform = models.BooleanField("The school may contact the platform to have it removed", default=True)
    consent_police = models.BooleanField(
        "The school may contact the police if it thinks this is a crime", default=False
    )

    class Meta:
        verbose_name = "online abuse report"


class AccountRequest(Record):
    AUDIENCES = [
        ("pupils", "Pupils of the school"),
        ("staff", "Staff"),
        ("families", "Pupils' family members"),
        ("other_schools", "Pupils from other schools"),
        ("organisations", "External organisations"),
        ("public", "Members of the public"),
        ("others", "Others"),
    ]
    HOSTS = [("school", "The school"), ("third_party", "A third party (give the host's name)")]
    PENDING, APPROVED, REFUSED = "pending", "approved", "refused"
    DECISIONS = [(PENDING, "Awaiting a decision"), (APPROVED, "Approved"), (REFUSED, "Refused")]
    NOT_SHOWN = ("decision", "decided_by", "decided_at", "decision_reason")
    CHOICE_LISTS = {"audience": AUDIENCES, "contributors": AUDIENCES}

    department = models.CharField("department or team", max_length=150)
    line_manager = models.CharField("your line manager", max_length=150)
    account_name = models.CharField("name of the account or site", max_length=150)
    aims = models.TextField("what you want to achieve with it")
    content = models.TextField("what you will post")
    audience = models.JSONField("who it is for", default=list)
    audience_details = models.CharField(
        "audience details", max_length=255, blank=True, help_text="Age ranges of pupils, names of other schools..."
    )
    contributors = models.JSONField("who may post or comment", default=list)
    administrators = models.TextField(
        "administrators", help_text="At least two approved members of staff, one per line."
    )
    moderators = models.TextField("moderators", help_text="At least two approved members of staff, one per line.")
    vetting = models.CharField("who will vet outside contributors", max_length=255, blank=True)
    host = models.CharField("who hosts it", max_length=20, choices=HOSTS)
    host_name = models.CharField("host's name", max_length=150, blank=True, help_text="For example Instagram.")
    go_live = models.DateField("proposed go-live date")
    closure = models.DateField("proposed closure date", help_text="Every account needs a planned end.")
    advertising = models.TextField("how you will find outside contributors", blank=True)
    consent = models.TextField(
        "how you will get consent",
        blank=True,
        help_text="If contributors include children or adults with learning disabilities: how you will inform "
        "and get the consent of parents or responsible adults.",
    )
    security = models.TextField(
        "security measures", help_text="How you will stop unwanted or unsuitable people contributing or following."
    )
    decision = models.CharField(max_length=10, choices=DECISIONS, default=PENDING, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_reason = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "official account request"

    @staticmethod
    def names(text):
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    def clean(self):
        super().clean()
        errors = {}
        for name in ("administrators", "moderators"):
            if len(self.names(getattr(self, name))) < 2:
                errors[name] = f"Name at least two {name}, one per line, so the account is covered in absences."
        if self.go_live and self.closure and self.closure <= self.go_live:
            errors["closure"] = "The closure date must be after the go-live date."
        if self.host == "third_party" and not self.host_name.strip():
            errors["host_name"] = "Say which site or app will host the account."
        if errors:
            raise ValidationError(errors)


FORM_MODELS = {
    RELATIONSHIP: RelationshipDeclaration,
    REJECTED_CONTACT: RejectedContactReport,
    ABUSE: AbuseReport,
    ACCOUNT_REQUEST: AccountRequest,
}
FORMS_WITH_EVIDENCE = (REJECTED_CONTACT, ABUSE)


class FollowUp(models.Model):
    """Something added after submission: the submitter's update or withdrawal, or a reviewer's message back.
    What was submitted is never edited."""

    NOTE, UPDATE, WITHDRAWAL, MESSAGE = "note", "update", "withdrawal", "message"
    KINDS = [(NOTE, "Follow-up"), (UPDATE, "Update"), (WITHDRAWAL, "Withdrawal"), (MESSAGE, "Message from reviewer")]

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="follow_ups")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=KINDS, default=NOTE)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.record}"


def evidence_path(instance, filename):
    # A random name on disk: nothing about the person or the original file name is in the path.
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class EvidenceFile(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="evidence")
    follow_up = models.ForeignKey(FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, storage=private_storage, max_length=200)
    original_name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("declarations:evidence", args=[self.pk])

    @property
    def extension(self):
        return "." + self.original_name.rsplit(".", 1)[-1].lower() if "." in self.original_name else ""

    @staticmethod
    def digest(uploaded):
        sha = hashlib.sha256()
        for chunk in uploaded.chunks():
            sha.update(chunk)
        uploaded.seek(0)
        return sha.hexdigest()


class AccessGrant(models.Model):
    """An explicit, time-limited, logged exception to the matrix (e.g. an investigating officer).
    Made only with `manage.py grant_record_access`, which writes the audit log."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_grants")
    form = models.CharField(max_length=20, choices=FORMS)
    reason = models.CharField(max_length=255)
    granted_by = models.CharField(
        max_length=150, help_text="Who authorised it (a name: grants are made on the server)."
    )
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.user} may review {FORM_LABELS[self.form]} until {self.expires_at:%d %b %Y}"


class Notification(models.Model):
    """An email waiting to go (the outbox). Saved with the record, sent after it is committed, and retried
    by `manage.py send_pending_notifications` if sending failed. Holds a link, never the record's content."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="notifications")
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.subject} to {self.to}"


class RecordFormPage(RestrictionsFromSnapshot, Page):
    """The page a member of staff opens to fill in one of the forms. HR edits the words around the form
    and links the policy sections it puts into practice; the form itself is fixed by `form`."""

    # One page of each form in each school's staff hub (clean): in a trust, each school has its own.
    form = models.CharField(max_length=20, choices=FORMS)
    intro = RichTextField(
        features=["bold", "italic", "link", "ul"],
        blank=True,
        help_text="When and why to use this form, in a sentence or two.",
    )
    after_submit = models.TextField(
        blank=True,
        help_text="What happens next, shown after someone submits, e.g. 'A senior leader will read this within "
        "two working days.'",
    )
    policy_sections = ParentalManyToManyField(
        "policypages.PolicySectionPage",
        blank=True,
        related_name="record_forms",
        help_text="The policy sections this form puts into practice.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("form"),
        FieldPanel("intro"),
        FieldPanel("after_submit"),
        FieldPanel("policy_sections"),
    ]
    parent_page_types = ["hub.StaffHubPage"]
    subpage_types = []
    max_count_per_parent = len(FORMS)

    class Meta:
        verbose_name = "confidential form page"

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else getattr(self, "_parent_for_validation", None)
        if parent is not None:
            others = RecordFormPage.objects.child_of(parent).filter(form=self.form).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"form": "This staff hub already has a page for this form."})

    @classmethod
    def for_request(cls, request, form):
        """The live page of this form on the reader's school's site (in a trust each school has its own)."""
        pages = cls.objects.live().filter(form=form)
        site = Site.find_for_request(request)
        return (pages.in_site(site).first() if site else None) or pages.order_by("path").first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = live_related(self.policy_sections).order_by("path")
        context["policy_sections"] = [(s, s.get_parent().specific) for s in visible_to(request, sections)]
        # The form itself and who reads it: the template's record_forms tags (declarations/templatetags).
        context["bound_form"] = kwargs.get("bound_form")
        return context


class RecordLogEntryManager(BaseLogEntryManager):
    def for_instance(self, instance):
        return self.filter(object_id=str(instance.pk))

    def log_action(self, instance, action, **kwargs):
        return super().log_action(
            instance, action, object_id=str(instance.pk), form=instance.form, school=instance.school, **kwargs
        )

    def viewable_by_user(self, user):
        """The records matrix, not Django's model permissions (which would show HR, the DSL and site admins
        who submitted every record in the admin's site history): reviewers see the entries of the forms they
        review, nobody else sees any."""
        return access.for_reviewer(self, user)


class RecordLogEntry(BaseLogEntry):
    """The audit trail of a confidential record, kept apart from Wagtail's general log so that every list of
    log entries (the record's history, the site history report and its exports) applies the records matrix.
    The form and school are copied onto each entry, so the trail is still filtered after the record is purged."""

    object_id = models.CharField(max_length=255, db_index=True)
    form = models.CharField(max_length=30, choices=FORMS, db_index=True)
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RecordLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = "confidential record log entry"
        verbose_name_plural = "confidential record log entries"


class InboxVisit(models.Model):
    """When a reviewer last opened the confidential-records inbox: their dashboard counts what came since."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_visit")
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user} last opened the inbox at {self.seen_at:%Y-%m-%d %H:%M}"


# The access rules read these models; imported once they exist (RecordLogEntryManager asks them at run time).
from . import access  # noqa: E402
