"""What happens to a confidential record: submitted, added to, reviewed, notified, exported, purged.

Every step that shows or changes a record writes Wagtail's audit log (who, when, what kind of step; never
the content), and the log is shown on the record.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from .access import REVIEW_CODENAMES, reaches_school_of, records_for_reviewer
from .models import (
    FORM_MODELS,
    AccessGrant,
    AccountRequest,
    EvidenceFile,
    FollowUp,
    InboxVisit,
    Notification,
    Record,
    RecordLogEntry,
)

logger = logging.getLogger(__name__)

LOG_ACTIONS = [
    ("declarations.submit", "Submit a confidential record", "Submitted"),
    ("declarations.view", "View a confidential record", "Viewed"),
    ("declarations.download", "Download evidence", "Downloaded evidence"),
    ("declarations.export", "Export confidential records", "Exported to CSV"),
    ("declarations.status", "Change status", "Changed the status"),
    ("declarations.notes", "Change reviewer notes", "Changed the reviewer notes"),
    ("declarations.follow_up", "Add a follow-up", "Added a follow-up"),
    ("declarations.message", "Message the submitter", "Sent a message to the submitter"),
    ("declarations.decide", "Decide an account request", "Decided the account request"),
    ("declarations.grant", "Grant access to records", "Granted access to records"),
    ("declarations.purge", "Delete an expired record", "Deleted after its retention period"),
]


def _base(record):
    """Log against the shared Record, whichever form it is, so one query finds a record's whole history."""
    if type(record) is Record:
        return record
    return Record(pk=record.pk, form=record.form, reference=record.reference, school_id=record.school_id)


def audit(record, action, user, **data):
    log(_base(record), action, user=user if getattr(user, "is_authenticated", False) else None, data=data)


def purge(record):
    """Delete a record past its retention period, with its follow-ups and evidence (files once the rows are gone
    for good). Its audit trail stays, for accountability, but holding only its reference: who sent it and what
    its entries said go (docs/data-protection.md). The trail keeps its form and school columns, which only say
    which reviewers may read it, as the reference's prefix already does."""
    files = [e.file.name for e in record.evidence.all()]
    audit(record, "declarations.purge", None)
    RecordLogEntry.objects.for_instance(record).update(label=record.reference, data={})
    RecordLogEntry.objects.for_instance(record).filter(user_id=record.submitted_by_id).update(user=None)
    storage = record.evidence.model._meta.get_field("file").storage
    record.specific.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return files


def history(record):
    return RecordLogEntry.objects.for_instance(record).select_related("user").order_by("timestamp", "pk")


class DuplicateSubmission(Exception):
    def __init__(self, record):
        self.record = record


def _store_evidence(record, files, user, follow_up=None):
    saved = []
    try:
        for uploaded, name, content_type in files:
            item = EvidenceFile(
                record=record,
                follow_up=follow_up,
                original_name=name,
                content_type=content_type,
                size=uploaded.size,
                sha256=EvidenceFile.digest(uploaded),
                uploaded_by=user,
            )
            item.file.save(name, uploaded, save=False)
            saved.append(item)
            item.save()
    except Exception:
        # The transaction rolls the rows back; the files already written must go too (disk full, ...).
        for item in saved:
            item.file.delete(save=False)
        raise
    return saved


def submit(user, form):
    """Save a valid form as a record of its kind, with its evidence and its notifications, all or nothing."""
    model = form._meta.model
    existing = Record.objects.filter(submission_key=form.cleaned_data["submission_key"], submitted_by=user).first()
    if existing:
        raise DuplicateSubmission(existing)
    record = form.save(commit=False)
    assert isinstance(record, tuple(FORM_MODELS.values()))
    record.form = next(key for key, value in FORM_MODELS.items() if value is model)
    record.submitted_by = user
    record.school_id = user.school_id
    record.submission_key = form.cleaned_data["submission_key"]
    try:
        with transaction.atomic():
            record.save()
            form.save_m2m()
            _store_evidence(record, form.cleaned_data.get("evidence") or [], user)
            audit(record, "declarations.submit", user)
            queue_new_record(record)
    except IntegrityError:
        existing = Record.objects.filter(submission_key=record.submission_key, submitted_by=user).first()
        if existing:  # the same form sent twice at once: one record
            raise DuplicateSubmission(existing) from None
        raise
    transaction.on_commit(deliver_pending)
    return record


def add_follow_up(record, user, kind, text, files=()):
    with transaction.atomic():
        follow_up = FollowUp.objects.create(record=record, author=user, kind=kind, text=text)
        _store_evidence(record, files, user, follow_up=follow_up)
        if kind == FollowUp.WITHDRAWAL:
            type(record.specific).objects.filter(pk=record.pk).update(withdrawn_at=timezone.now())
        audit(record, "declarations.follow_up", user, kind=kind, files=len(files))
        _queue_for_reviewers(
            record, f"{record} has a follow-up", f"{record} has a new follow-up from the person who submitted it."
        )
    transaction.on_commit(deliver_pending)
    return follow_up


def change_status(record, user, status, notes):
    with transaction.atomic():
        record = Record.objects.select_for_update().get(pk=record.pk)
        if status != record.status:
            old = record.status
            record.status, record.status_changed_at, record.status_changed_by = status, timezone.now(), user
            audit(record, "declarations.status", user, old=old, new=status)
        if notes != record.reviewer_notes:
            record.reviewer_notes = notes
            audit(record, "declarations.notes", user)
        record.save(update_fields=["status", "status_changed_at", "status_changed_by", "reviewer_notes"])
    return record


def new_for_reviewer(user):
    """(records of this reviewer's forms sent since they last opened the inbox, those still waiting to be
    acknowledged). Two counts, two queries."""
    records = records_for_reviewer(user)
    visit = InboxVisit.objects.filter(user=user).first()
    new = records.filter(submitted_at__gt=visit.seen_at) if visit else records
    return new.count(), records.filter(status=Record.SUBMITTED).count()


def inbox_opened(user):
    InboxVisit.objects.update_or_create(user=user, defaults={"seen_at": timezone.now()})


def seen_by_submitter(record):
    Record.objects.filter(pk=record.pk).update(submitter_seen_at=timezone.now())


# A reviewer's message the submitter has not opened their record since: the one rule for "New reply".
_UNSEEN_REPLY = Q(last_reply__isnull=False) & (Q(submitter_seen_at__isnull=True) | Q(last_reply__gt=F("submitter_seen_at")))


def _with_last_reply(records):
    return records.annotate(
        last_reply=Max("follow_ups__created_at", filter=Q(follow_ups__kind=FollowUp.MESSAGE)),
        unseen_reply=ExpressionWrapper(_UNSEEN_REPLY, output_field=BooleanField()),
    )


def with_unseen_replies(records):
    """The submitter's records, each with `unseen_reply`: a message from a reviewer since they last opened it."""
    return list(_with_last_reply(records))


def unseen_reply_count(user):
    """How many of this person's records hold a reviewer's message they have not opened since (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return _with_last_reply(Record.objects.filter(submitted_by=user)).filter(_UNSEEN_REPLY).count()


def send_message(record, user, text):
    with transaction.atomic():
        FollowUp.objects.create(record=record, author=user, kind=FollowUp.MESSAGE, text=text)
        audit(record, "declarations.message", user)
        _queue(
            record,
            record.submitted_by.email,
            f"A message about your {record}",
            f"A senior leader has replied about your {record.form_label.lower()} {record.reference}.\n\n"
            f"Read it here (you will need to sign in): {_url(record.get_absolute_url())}\n",
        )
    transaction.on_commit(deliver_pending)


def decide(request_record, user, decision, reason):
    with transaction.atomic():
        AccountRequest.objects.filter(pk=request_record.pk).update(
            decision=decision, decided_by=user, decided_at=timezone.now(), decision_reason=reason
        )
        audit(request_record, "declarations.decide", user, decision=decision)
        word = "approved" if decision == AccountRequest.APPROVED else "refused"
        _queue(
            request_record,
            request_record.submitted_by.email,
            f"Your official account request {request_record.reference} was {word}",
            f"Your request {request_record.reference} was {word}. See the details and any conditions here: "
            f"{_url(request_record.get_absolute_url())}\n",
        )
    transaction.on_commit(deliver_pending)


# --- notifications (an outbox: saved with the record, sent after commit, retried) ---------------------


def _url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def reviewers_of(record):
    """Who is told of a record: the people who review its form (whatever their session: an email only says
    where to look), in a trust only those whose schools it is filed under (declarations.access)."""
    form = record.form
    users = get_user_model().objects.filter(is_active=True)
    candidates = users.filter(
        Q(
            groups__permissions__codename=REVIEW_CODENAMES[form],
            groups__permissions__content_type__app_label="declarations",
        )
        | Q(pk__in=AccessGrant.objects.filter(form=form, expires_at__gt=timezone.now()).values("user"))
    ).distinct()
    return [user for user in candidates if reaches_school_of(user, record)]


def _queue(record, to, subject, body):
    Notification.objects.create(record_id=record.pk, to=to, subject=subject, body=body)


def _queue_for_reviewers(record, subject, body):
    admin_url = _url(reverse("declarations_record_modeladmin_inspect", args=[record.pk]))
    for reviewer in reviewers_of(record):
        _queue(
            record,
            reviewer.email,
            subject,
            f"{body}\n\nOpen it in the admin (you will need to sign in): {admin_url}\n\n"
            "For confidentiality, this email does not say who sent it or what it says.",
        )


def queue_new_record(record):
    _queue_for_reviewers(
        record, f"New {record.form_label.lower()} {record.reference} to review", f"A new {record} is waiting for you."
    )
    _queue(
        record,
        record.submitted_by.email,
        f"We have received your {record.form_label.lower()} ({record.reference})",
        f"Thank you. Your {record.form_label.lower()} was received on {timezone.localtime(record.submitted_at):%d %B %Y at %H:%M} "
        f"with the reference {record.reference}.\n\nYou can see it, its status and any reply here: "
        f"{_url(record.get_absolute_url())}\n",
    )


MAX_ATTEMPTS = 10


def deliver_pending(limit=200):
    """Send what is waiting. A failure is logged and left for the next run; the record is already safe.
    The first failure ends the run: if the mail server is down, nobody should wait for every timeout."""
    sent = failed = 0
    for note in Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)[:limit]:
        try:
            send_mail(note.subject, note.body, None, [note.to], fail_silently=False)
        except Exception as error:  # SMTP down, refused, timed out...
            Notification.objects.filter(pk=note.pk).update(attempts=note.attempts + 1, last_error=str(error)[:255])
            logger.warning("Could not send notification %s for record %s: %s", note.pk, note.record_id, error)
            failed += 1
            break
        else:
            Notification.objects.filter(pk=note.pk).update(
                attempts=note.attempts + 1, sent_at=timezone.now(), last_error=""
            )
            sent += 1
    return sent, failed
