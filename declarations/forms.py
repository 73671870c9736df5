"""The four forms as staff see them, and the forms reviewers and submitters use afterwards."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import evidence
from .models import (
    ABUSE,
    ACCOUNT_REQUEST,
    FORMS_WITH_EVIDENCE,
    REJECTED_CONTACT,
    RELATIONSHIP,
    AbuseReport,
    AccountRequest,
    FollowUp,
    Record,
    RejectedContactReport,
    RelationshipDeclaration,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once; each checked by content (declarations.evidence)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Evidence (screenshots, saved messages)")
        kwargs.setdefault("help_text", f"Optional. You can attach several files: {evidence.WHAT_WE_ACCEPT}.")
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = evidence.ACCEPT_ATTRIBUTE

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > evidence.MAX_FILES:
            raise ValidationError(f"Attach at most {evidence.MAX_FILES} files; put more in a PDF if you need to.")
        errors, checked = [], []
        for uploaded in files:
            try:
                checked.append((uploaded, *evidence.check(uploaded)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class NotInFuture:
    """Dates and times of things that have happened cannot be in the future (a typo in the year, usually)."""

    past_fields = ()

    def clean(self):
        cleaned = super().clean()
        now = timezone.now()
        for name in self.past_fields:
            value = cleaned.get(name)
            if value is None:
                continue
            later = value > now if hasattr(value, "hour") else value > now.date()
            if later:
                self.add_error(name, "This is in the future. Check the date.")
        return cleaned


CHOICE_FIELDS = (forms.ChoiceField, forms.TypedChoiceField)


class RecordForm(NotInFuture, forms.ModelForm):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = uuid.uuid4()
        for field in self.fields.values():
            # A required set of radio buttons needs no "---------" option: nothing ticked means no answer yet.
            if isinstance(field.widget, forms.RadioSelect) and field.required and type(field) in CHOICE_FIELDS:
                field.choices = [choice for choice in field.choices if choice[0] not in ("", None)]


class RelationshipDeclarationForm(RecordForm):
    past_fields = ("since",)

    class Meta:
        model = RelationshipDeclaration
        fields = ["person", "person_name", "relationship", "platforms", "since", "details"]
        widgets = {"person": forms.RadioSelect, "relationship": forms.RadioSelect, "since": DATE}


class RejectedContactReportForm(RecordForm):
    past_fields = ("contacted_at",)
    evidence = EvidenceField()

    class Meta:
        model = RejectedContactReport
        fields = [
            "approached_by",
            "their_name",
            "platform",
            "contacted_at",
            "what_was_sent",
            "response",
            "kept_copies",
        ]
        widgets = {"approached_by": forms.RadioSelect, "contacted_at": DATETIME}


class AbuseReportForm(RecordForm):
    past_fields = ("happened_at",)
    evidence = EvidenceField()

    class Meta:
        model = AbuseReport
        fields = [
            "what_happened",
            "where",
            "happened_at",
            "who_involved",
            "consent_platform",
            "consent_police",
        ]
        widgets = {"happened_at": DATETIME}


class AccountRequestForm(RecordForm):
    audience = forms.MultipleChoiceField(
        label="Who it is for", choices=AccountRequest.AUDIENCES, widget=forms.CheckboxSelectMultiple
    )
    contributors = forms.MultipleChoiceField(
        label="Who may post or comment",
        choices=AccountRequest.AUDIENCES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick all that apply.",
    )

    class Meta:
        model = AccountRequest
        fields = [
            "department",
            "line_manager",
            "account_name",
            "aims",
            "content",
            "audience",
            "audience_details",
            "contributors",
            "administrators",
            "moderators",
            "vetting",
            "host",
            "host_name",
            "go_live",
            "closure",
            "advertising",
            "consent",
            "security",
        ]
        widgets = {
            "host": forms.RadioSelect,
            "go_live": DATE,
            "closure": DATE,
            "administrators": forms.Textarea(attrs={"rows": 3}),
            "moderators": forms.Textarea(attrs={"rows": 3}),
        }


FORM_CLASSES = {
    RELATIONSHIP: RelationshipDeclarationForm,
    REJECTED_CONTACT: RejectedContactReportForm,
    ABUSE: AbuseReportForm,
    ACCOUNT_REQUEST: AccountRequestForm,
}


class FollowUpForm(forms.Form):
    """The submitter adds to a record; they cannot change what they sent."""

    kind = forms.ChoiceField(
        label="What is this?",
        choices=[(FollowUp.NOTE, "Something to add")],
        widget=forms.RadioSelect,
        initial=FollowUp.NOTE,
    )
    text = forms.CharField(label="Your follow-up", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        if record.form == RELATIONSHIP and not record.specific.withdrawn_at:
            self.fields["kind"].choices = [
                (FollowUp.NOTE, "Something to add"),
                (FollowUp.UPDATE, "The relationship has changed (an update)"),
                (FollowUp.WITHDRAWAL, "The relationship has ended: withdraw this declaration"),
            ]
        if record.form in FORMS_WITH_EVIDENCE:
            self.fields["evidence"] = EvidenceField(label="More evidence")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Record.STATUSES)
    reviewer_notes = forms.CharField(
        label="Reviewer notes (never shown to the person who submitted it)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Message to the person who submitted it",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="They see it under their record and get an email saying there is a message (not what it says).",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(AccountRequest.APPROVED, "Approve"), (AccountRequest.REFUSED, "Refuse")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason or conditions", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == AccountRequest.REFUSED and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why the request is refused, so the member of staff knows what to change.")
        return cleaned
