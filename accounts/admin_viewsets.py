"""Wagtail's user and group screens, with the rules of accounts.guards and accounts.changes applied to them.

The rule itself is on the data (accounts.changes): whatever view saves a person or a group, a change the
acting person may not make is refused. These screens apply the same rule earlier, so that the person sees why
in plain words beside the form, and offer only what may be chosen. Wagtail's "copy" views are switched off:
copying an account or a group saved onto the original rather than making a new one.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from wagtail.admin.widgets import AdminDateInput
from wagtail.users.forms import GroupForm, UserCreationForm, UserEditForm
from wagtail.users.views import groups, users

from schools.models import School
from schools.services import in_central_team, is_trust, only_school

from .changes import AccountChangeRefused, refusal_for_edit
from .guards import is_protected_account, is_reviewer_group, manages_record_access, record_permissions, reviewer_groups
from .people import may_manage_person, people_within_reach
from .reauth import sign_in_again, signed_in_recently

PROTECTED_GROUPS_HELP = (
    "Senior leaders, HR and the safeguarding lead can see confidential records, so only the system's "
    "superuser adds or removes their members (and the senior leaders are told)."
)


class ReviewerGroupsKeptMixin:
    """The groups field without the reviewer groups, for editors who may not change them; the person's
    existing reviewer memberships are kept as they are when the form is saved."""

    def limit_groups_for(self, editor):
        self._editor = editor
        self._kept_groups = []
        if "is_superuser" in self.fields and not editor.is_superuser:
            del self.fields["is_superuser"]
        if manages_record_access(editor) or "groups" not in self.fields:
            return
        protected = reviewer_groups()
        field = self.fields["groups"]
        field.queryset = field.queryset.exclude(pk__in=protected)
        field.help_text = PROTECTED_GROUPS_HELP
        if self.instance.pk:
            self._kept_groups = list(self.instance.groups.filter(pk__in=protected))

    def clean_groups(self):
        return [*self.cleaned_data.get("groups", []), *getattr(self, "_kept_groups", [])]


    def _post_clean(self):
        """The rule on the data, asked before saving: a change this editor may not make is a form error in plain
        words, not a refused request."""
        super()._post_clean()
        editor = getattr(self, "_editor", None)
        if editor is None or self.errors:
            return
        groups = self.cleaned_data.get("groups") if "groups" in self.fields else None
        reason = refusal_for_edit(editor, self.instance, groups=groups)
        if reason:
            self.add_error(None, reason)


# Besides Wagtail's own: what the school knows of a person (accounts.models.User).
PERSON_FIELDS = {"job_title", "start_date", "school", "in_central_team", "other_schools"}
PERSON_WIDGETS = {"start_date": AdminDateInput, "other_schools": forms.CheckboxSelectMultiple}


class PersonFieldsMixin:
    """Job title and start date, and in a trust the person's school (or the central team, said explicitly) and
    any others they work at. A site with one school asks nobody to choose it: a new person is filed under it.
    Someone who looks after one school's people files them under their own schools only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_trust():
            del self.fields["school"], self.fields["other_schools"], self.fields["in_central_team"]
            return
        self.fields["school"].empty_label = "Choose their school"
        self.fields["school"].help_text = "Their confidential records are filed here and their roles apply here."

    def limit_groups_for(self, editor):
        super().limit_groups_for(editor)
        if "school" in self.fields and not (editor.is_superuser or in_central_team(editor)):
            mine = School.objects.filter(pk__in={editor.school_id, *editor.other_schools.values_list("pk", flat=True)})
            self.fields["school"].queryset = mine
            self.fields["other_schools"].queryset = mine
            del self.fields["in_central_team"]

    def clean(self):
        cleaned = super().clean()
        if "school" in self.fields:
            central = cleaned.get("in_central_team", self.instance.in_central_team)
            if cleaned.get("school") and central:
                self.add_error("in_central_team", "Choose a school or the trust's central team, not both.")
            elif not cleaned.get("school") and not central:
                self.add_error("school", "Choose the school this person works at (or the trust's central team).")
        return cleaned

    def save(self, commit=True):
        if "school" not in self.fields and self.instance.school_id is None and not self.instance.in_central_team:
            self.instance.school = only_school()
        return super().save(commit=commit)


class SchoolUserCreationForm(PersonFieldsMixin, ReviewerGroupsKeptMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | PERSON_FIELDS
        widgets = PERSON_WIDGETS


class SchoolUserEditForm(PersonFieldsMixin, ReviewerGroupsKeptMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | PERSON_FIELDS
        widgets = PERSON_WIDGETS


class SavedAsOneMixin:
    """The save and everything it changes (groups, schools) in one transaction: if the rule on the data refuses
    any part, nothing is kept, and the form says why."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except AccountChangeRefused as refused:
            form.add_error(None, str(refused))
            return self.form_invalid(form)


class LimitedFormMixin(SavedAsOneMixin):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.limit_groups_for(self.request.user)
        return form


def _within_reach(request, person):
    """People of another school are not there for someone who looks after one school's accounts."""
    if not may_manage_person(request.user, person):
        raise Http404


class UserEditView(LimitedFormMixin, users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        _within_reach(request, self.object)
        if is_protected_account(self.object) and not manages_record_access(request.user):
            raise PermissionDenied

    def post(self, request, *args, **kwargs):
        """A new sign-in address is a way into the account: the editor confirms it is them first (allauth keeps
        the form and saves it once they have)."""
        new_address = request.POST.get("email", "").strip().lower()
        if new_address and new_address != self.object.email and not signed_in_recently(request):
            return sign_in_again(request, request.get_full_path())
        return super().post(request, *args, **kwargs)


class UserCreateView(LimitedFormMixin, users.CreateView):
    pass


class UserDeleteView(users.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        person = self.get_object()
        _within_reach(request, person)
        if is_protected_account(person) and not manages_record_access(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UserHistoryView(users.HistoryView):
    def get_object(self):
        person = super().get_object()
        _within_reach(self.request, person)
        return person


class UserIndexView(users.IndexView):
    def get_base_queryset(self):
        return people_within_reach(self.request.user, super().get_base_queryset())


class SchoolUserViewSet(users.UserViewSet):
    create_template_name = "accounts/users/create.html"
    edit_template_name = "accounts/users/edit.html"
    index_view_class = UserIndexView
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView
    history_view_class = UserHistoryView
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return SchoolUserEditForm if for_update else SchoolUserCreationForm


class SchoolGroupForm(GroupForm):
    """Record permissions are never offered: roles as code and grant_record_access give them. Those a group
    already holds are kept on save (Wagtail keeps every permission its form does not offer)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.registered_permissions = self.registered_permissions.exclude(pk__in=record_permissions())
        self.fields["permissions"].queryset = self.registered_permissions.select_related("content_type")


class GroupCreateView(SavedAsOneMixin, groups.CreateView):
    pass


class GroupEditView(SavedAsOneMixin, groups.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if is_reviewer_group(self.get_object()) and not manages_record_access(request.user):
            raise PermissionDenied


class GroupDeleteView(groups.DeleteView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if is_reviewer_group(self.get_object()) and not manages_record_access(request.user):
            raise PermissionDenied


class SchoolGroupViewSet(groups.GroupViewSet):
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return SchoolGroupForm
