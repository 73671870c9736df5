"""The confidential-records inbox (wagtail-modeladmin), its actions and its audit-log labels."""

from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import HistoryView, IndexView, InspectView

from schools.models import School
from schools.services import is_trust

from . import hub, services
from .access import may_decide, may_review, records_for_reviewer, reviewable_forms
from .admin_viewsets import RecordActionsViewSet
from .forms import DecisionForm, MessageForm, StatusForm
from .models import ACCOUNT_REQUEST, Record, RecordLogEntry

hooks.register("staff_hub_context", hub.staff_hub_context)
hooks.register("staff_hub_reader_context", hub.staff_hub_reader_context)


class SchoolFilter(SimpleListFilter):
    """The schools whose records this reviewer reads (a trust's inbox only)."""

    title = "school"
    parameter_name = "school"

    def lookups(self, request, model_admin):
        schools = School.objects.filter(
            pk__in=records_for_reviewer(request.user).exclude(school=None).values("school")
        ).order_by("name")
        return [(str(school.pk), school.display_name) for school in schools]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(school_id=value) if value and value.isdigit() else queryset


class RecordPermissionHelper(PermissionHelper):
    """The matrix of declarations.access, not Django's model permissions (which every superuser has).
    Nobody creates, edits or deletes records here: staff submit them; retention deletes them."""

    def user_can_list(self, user):
        return bool(reviewable_forms(user))

    def user_can_create(self, user):
        return False

    def user_can_inspect_obj(self, user, obj):
        return may_review(user, obj)

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class RecordInspectView(InspectView):
    def dispatch(self, request, *args, **kwargs):
        if not may_review(request.user, self.instance):
            raise Http404  # as if it did not exist
        if request.method == "GET":
            services.audit(self.instance, "declarations.view", request.user, by="reviewer")
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.instance.form_label} {self.instance.reference}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.instance
        specific = record.specific
        context.update(
            record=record,
            specific=specific,
            submitted=record.submitted_fields(),
            evidence=record.evidence.select_related("follow_up"),
            follow_ups=record.follow_ups.select_related("author").prefetch_related("evidence"),
            history=services.history(record),
            status_form=StatusForm(initial={"status": record.status, "reviewer_notes": record.reviewer_notes}),
            message_form=MessageForm(),
            decision_form=DecisionForm() if may_decide(self.request.user, record) else None,
            is_account_request=record.form == ACCOUNT_REQUEST,
            expires_at=record.expires_at(),
            export_url=reverse("declarations_admin:export_person", args=[record.submitted_by_id]),
        )
        return context


class RecordIndexView(IndexView):
    """The inbox: a filter in the address that does not exist or cannot be read (`?page=2`, a date that is not
    a date) is dropped with a message, as Django's own admin does, instead of failing."""

    def dispatch(self, request, *args, **kwargs):
        try:
            response = super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            messages.warning(request, "Some filters in that address could not be used, so all records are shown.")
            return redirect(request.path)
        if response.status_code == 200 and reviewable_forms(request.user):
            services.inbox_opened(request.user)  # the dashboard counts new records from here
        return response


class RecordHistoryView(HistoryView):
    """The record's audit trail is part of the record: the same matrix, the same 404 as for no record."""

    def dispatch(self, request, *args, **kwargs):
        if not may_review(request.user, self.instance):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class RecordAdmin(ModelAdmin):
    model = Record
    menu_label = "Confidential records"
    menu_icon = "lock"
    menu_order = 260
    add_to_admin_menu = True
    inspect_view_enabled = True
    index_view_class = RecordIndexView
    inspect_view_class = RecordInspectView
    history_view_class = RecordHistoryView
    inspect_template_name = "declarations/admin/inspect.html"
    index_template_name = "declarations/admin/index.html"
    permission_helper_class = RecordPermissionHelper
    list_display = ("reference", "form_name", "submitted_by", "school", "submitted", "status")
    list_filter = ("form", "status", "submitted_at", SchoolFilter)
    search_fields = ("reference", "submitted_by__first_name", "submitted_by__last_name", "submitted_by__email")
    list_per_page = 50

    def inspect_view(self, request, instance_pk):
        return super().inspect_view(request, _record_pk(instance_pk))

    def history_view(self, request, instance_pk):
        return super().history_view(request, _record_pk(instance_pk))

    def get_queryset(self, request):
        return records_for_reviewer(request.user).select_related("submitted_by", "school")

    # The school a record is filed under is trust furniture: a one-school site neither shows nor filters by it.
    def get_list_display(self, request):
        return self.list_display if is_trust() else tuple(f for f in self.list_display if f != "school")

    def get_list_filter(self, request):
        return self.list_filter if is_trust() else tuple(f for f in self.list_filter if f is not SchoolFilter)

    def form_name(self, obj):
        return obj.form_label

    form_name.short_description = "Form"

    def submitted(self, obj):
        return timezone.localtime(obj.submitted_at).strftime("%d %b %Y %H:%M")

    submitted.short_description = "Submitted"
    submitted.admin_order_field = "submitted_at"


def _record_pk(text):
    if not text.isdigit():
        raise Http404  # not a record number: the same answer as for a record that does not exist
    return text


modeladmin_register(RecordAdmin)


@hooks.register("register_admin_viewset")
def register_record_actions():
    return RecordActionsViewSet()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # The records' trail goes to its own log model, whose every list applies the records matrix.
    actions.register_model(Record, RecordLogEntry)
    for action, label, message in services.LOG_ACTIONS:
        actions.register_action(action, label, message)


class NewRecordsPanel(Component):
    """The reviewer's dashboard: how many records of their forms arrived since they last opened the inbox."""

    name = "new_confidential_records"
    order = 90
    template_name = "declarations/admin/new_records_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        new, waiting = services.new_for_reviewer(self.request.user)
        return {"new": new, "waiting": waiting, "inbox_url": reverse("declarations_record_modeladmin_index")}


@hooks.register("construct_homepage_panels")
def add_new_records_panel(request, panels):
    if reviewable_forms(request.user):
        panels.append(NewRecordsPanel(request))
