"""The reviewers' side, inside the Wagtail admin: change a status, reply, decide, export a person's records.

Every view answers 404 to someone outside the matrix for that form, the same as for a record that does not
exist, so guessing IDs teaches nothing.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.spreadsheets import csv_response

from . import services
from .access import may_decide, may_review, records_for_reviewer
from .forms import DecisionForm, MessageForm, StatusForm
from .models import Record


def reviewable_record(request, pk):
    record = get_object_or_404(Record, pk=pk)
    if not may_review(request.user, record):
        raise Http404
    return record


def inspect_url(record):
    from django.urls import reverse

    return reverse("declarations_record_modeladmin_inspect", args=[record.pk])


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
def change_status(request, pk):
    record = reviewable_record(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.change_status(record, request.user, form.cleaned_data["status"], form.cleaned_data["reviewer_notes"])
        messages.success(request, f"{record} saved.")
    else:
        _form_errors(request, form)
    return redirect(inspect_url(record))


@require_POST
def send_message(request, pk):
    record = reviewable_record(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        services.send_message(record, request.user, form.cleaned_data["text"])
        messages.success(request, "Message sent. They have been emailed that there is a message for them.")
    else:
        _form_errors(request, form)
    return redirect(inspect_url(record))


@require_POST
def decide(request, pk):
    record = reviewable_record(request, pk)
    if not may_decide(request.user, record):
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        services.decide(record.specific, request.user, form.cleaned_data["decision"], form.cleaned_data["reason"])
        messages.success(request, "Decision recorded and the member of staff told.")
    else:
        _form_errors(request, form)
    return redirect(inspect_url(record))


def export_person(request, user_id):
    """A person's records, of the forms this reviewer may see, for their personnel file."""
    person = get_object_or_404(get_user_model(), pk=user_id)
    records = list(
        records_for_reviewer(request.user).filter(submitted_by=person).prefetch_related("follow_ups", "evidence")
    )
    if not records:
        raise Http404
    rows = []
    for record in records:
        services.audit(record, "declarations.export", request.user)
        rows.append(
            [
                record.reference,
                record.form_label,
                timezone.localtime(record.submitted_at).strftime("%Y-%m-%d %H:%M"),
                record.get_status_display(),
                "\n".join(f"{label}: {value}" for label, value in record.submitted_fields()),
                "\n".join(
                    f"{timezone.localtime(f.created_at):%Y-%m-%d} {f.get_kind_display()}: {f.text}"
                    for f in record.follow_ups.all()
                ),
                "; ".join(e.original_name for e in record.evidence.all()),
            ]
        )
    name = (person.get_full_name() or person.email).replace(" ", "-").replace('"', "")
    return csv_response(
        f"records-{name}-{timezone.localdate():%Y-%m-%d}.csv",
        ["Reference", "Form", "Submitted", "Status", "What was submitted", "Follow-ups", "Evidence files"],
        rows,
    )
