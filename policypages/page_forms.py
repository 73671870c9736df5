"""The policy editor's form: a version goes to the governors only with a number and a summary of changes."""

from wagtail.admin.forms import WagtailAdminPageForm

from schools.services import is_trust, school_of_page

# The buttons of Wagtail's editor that send the page, and so the prepared version, to the governors.
SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")


class PolicyPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = self.instance
        if "sharing" in self.fields and (not is_trust() or policy.adopted_from_id):
            del self.fields["sharing"]  # one school, or a school's copy: every policy is the school's own
        if "next_version_label" in self.fields and policy.pk and not policy.next_version_label:
            self.initial["next_version_label"] = policy.suggested_next_label()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sharing", "school") != "school":
            where = self.instance if self.instance.path else self.parent_page
            school = school_of_page(where) if where is not None else None
            if school is not None:
                self.add_error(
                    "sharing",
                    f"This policy is in {school}'s own site. Write a trust policy in the trust's site, so every "
                    "school finds it there.",
                )
        if any(self.data.get(action) for action in SUBMIT_ACTIONS) and "next_version_label" in self.fields:
            problems = self.instance.check_next_version(
                label=cleaned.get("next_version_label", ""), summary=cleaned.get("next_version_summary", "")
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned


class PolicySectionPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "adaptable" in self.fields and not is_trust():
            del self.fields["adaptable"]  # "schools write their own version": only a trust has schools to
