"""Wagtail's user and group screens, with the rules of accounts.guards applied to them."""

from django.core.exceptions import PermissionDenied
from wagtail.users.forms import GroupForm, UserCreationForm, UserEditForm
from wagtail.users.views import groups, users

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


class SchoolUserCreationForm(ReviewerGroupsKeptMixin, UserCreationForm):
    pass


class SchoolUserEditForm(ReviewerGroupsKeptMixin, UserEditForm):
    pass


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
