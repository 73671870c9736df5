"""The 'Ask HR' form: staff (signed in) choose whether to give their name; parents may leave an address."""

import re

from django import forms

NAMED, ANONYMOUS = "named", "anonymous"
SEARCH_KEPT = 200  # what search's analytics keep of a query (core.text.normalise)
WEB_ADDRESS = re.compile(r"https?://|www\.|\.(com|net|ru|xyz|info)\b", re.IGNORECASE)


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Your question",
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
        help_text="In your own words. Please do not include anyone's name or details about a pupil.",
        error_messages={
            "required": "Write your question.",
            "min_length": "Write your question in a few words (at least 10 letters).",
            "max_length": "Keep your question under 500 characters (it has %(show_value)d).",
        },
    )
    # The search that led here, carried in a hidden field: cut to length, never an error nobody could see.
    searched = forms.CharField(required=False, widget=forms.HiddenInput)
    # A field people never see (hidden by the stylesheet, not announced): forms that fill it in are robots.
    website = forms.CharField(required=False, label="Leave this empty", max_length=200)

    def clean_searched(self):
        return self.cleaned_data["searched"][:SEARCH_KEPT]


class StaffQuestionForm(QuestionForm):
    send_as = forms.ChoiceField(
        label="Send it",
        choices=[
            (NAMED, "With my name: HR can tell me when it is answered"),
            (ANONYMOUS, "Anonymously: HR will not know who asked, and cannot reply to me"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to send it with your name or anonymously."},
    )


class PublicQuestionForm(QuestionForm):
    reply_to = forms.EmailField(
        label="Your email address (optional)",
        required=False,
        help_text="Only if you would like us to tell you when it is answered. We delete it once we have.",
        error_messages={"invalid": "Enter an email address like name@example.com, or leave it empty."},
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if WEB_ADDRESS.search(text):
            raise forms.ValidationError("Please leave web addresses out of your question.")
        return text
