from django import forms
from django.utils import timezone

from .models import PolicyVersion


class IssueVersionForm(forms.Form):
    label = forms.CharField(
        max_length=20, label="Version number", help_text="e.g. 3 for a new version, 3.1 for a small fix."
    )
    change_type = forms.ChoiceField(
        choices=PolicyVersion.CHANGE_TYPES, widget=forms.RadioSelect, label="What kind of change is this?"
    )
    summary_of_changes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Staff see this in the version history. Say what changed and why, in plain words.",
    )
    issued_on = forms.DateField(
        initial=timezone.localdate,
        label="Takes effect on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    approved_by = forms.CharField(max_length=200, help_text="Who approved this version, e.g. 'Full governing body'.")
    approved_on = forms.DateField(
        label="Approved on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        cleaned = super().clean()
        issued_on, approved_on = cleaned.get("issued_on"), cleaned.get("approved_on")
        if issued_on and approved_on and approved_on > issued_on:
            self.add_error("approved_on", "A version cannot take effect before it was approved.")
        return cleaned
