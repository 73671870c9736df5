"""Wagtail's user and group screens, with the rules of accounts.guards applied to them."""

from django import forms
from django.core.exceptions import PermissionDenied
from wagtail.admin.widgets import AdminDateInput
from wagtail.users.forms import GroupForm, UserCreationForm, UserEditForm
from wagtail.users.views import groups, users

from schools.services import is_trust, only_school

from .guards import is_protected_account, is_reviewer_group, manages_record_access, record_permissions, reviewer_groups

PROTECTED_GROUPS_HELP = (
    "Senior leaders, HR and the safeguarding lead can see confidential records, so only the system's "
    "superuser adds or removes their members (and the senior leaders are told)."
)


class ReviewerGroupsKeptMixin:
    """The groups field without the reviewer groups, for editors who may not change them; the person's
    existing reviewer memberships are kept as they are when the form is saved."""

    def limit_groups_for(self, editor):
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


# Besides Wagtail's own: what the school knows of a person (accounts.models.User).
PERSON_FIELDS = {"job_title", "start_date", "school", "other_schools"}
PERSON_WIDGETS = {"start_date": AdminDateInput, "other_schools": forms.CheckboxSelectMultiple}


class PersonFieldsMixin:
    """Job title and start date, and in a trust the person's school and any others they work at. A site with
    one school asks nobody to choose it: a new person is filed under it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_trust():
            del self.fields["school"], self.fields["other_schools"]
        else:
            self.fields["school"].empty_label = "The trust's central team"

    def save(self, commit=True):
        if "school" not in self.fields and self.instance.school_id is None:
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


class LimitedFormMixin:
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.limit_groups_for(self.request.user)
        return form


class UserEditView(LimitedFormMixin, users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if is_protected_account(self.object) and not manages_record_access(request.user):
            raise PermissionDenied


class UserCreateView(LimitedFormMixin, users.CreateView):
    pass


class UserDeleteView(users.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if is_protected_account(self.get_object()) and not manages_record_access(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SchoolUserViewSet(users.UserViewSet):
    create_template_name = "accounts/users/create.html"
    edit_template_name = "accounts/users/edit.html"
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update=False):
        return SchoolUserEditForm if for_update else SchoolUserCreationForm


class SchoolGroupForm(GroupForm):
    """Record permissions are never offered: roles as code and grant_record_access give them. Those a group
    already holds are kept on save (Wagtail keeps every permission its form does not offer)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.registered_permissions = self.registered_permissions.exclude(pk__in=record_permissions())
        self.fields["permissions"].queryset = self.registered_permissions.select_related("content_type")


class GroupEditView(groups.EditView):
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
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView

    def get_form_class(self, for_update=False):
        return SchoolGroupForm
