from django.contrib import messages
from django.contrib.auth import get_user_model
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.permission_policies.pages import PagePermissionPolicy

from core import published

from . import adoption, adoption_admin, signals, versioning
from .admin_viewsets import PolicyImportViewSet, PolicyReadingViewSet, PolicyVersionsViewSet, TrustPoliciesViewSet
from .models import PolicyIndexPage, PolicyPage, PolicySectionPage, policies_needing_review


@hooks.register("finish_approved_workflow")
def issue_an_approved_policy_version(workflow_state, user):
    """A policy is approved as a whole version: every changed section is published and the version issued
    (policypages/versioning.py; the workflow's finish action is policypages/workflows.py)."""
    if getattr(workflow_state.content_object, "specific_class", None) is PolicyPage:
        versioning.issue_approved_version(workflow_state, user)
        return True
    return False


@hooks.register("register_admin_viewset")
def register_policy_viewsets():
    return [PolicyImportViewSet(), PolicyVersionsViewSet(), PolicyReadingViewSet(), TrustPoliciesViewSet()]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("policypages.issue_version", "Issue policy version", "Issued a policy version")
    actions.register_action(
        "policypages.schedule_version", "Approve policy version for later", "Approved a policy version to go live later"
    )
    actions.register_action(
        "policypages.abandon_version", "Abandon prepared version", "Abandoned a prepared policy version"
    )
    actions.register_action("policypages.adopt", "Adopt trust policy", "Adopted a trust policy for a school")
    actions.register_action("policypages.readopt", "Re-adopt trust policy", "Started re-adopting a trust version")
    actions.register_action("policypages.review_reminder", "Send review reminder", "Sent a review reminder")
    actions.register_action("policypages.confirm_read", "Confirm reading", "Confirmed reading a policy version")


@hooks.register("register_page_header_buttons")
def import_button(page, user, view_name=None, next_url=None):
    if page.specific_class is PolicyIndexPage and page.permissions_for_user(user).can_add_subpage():
        url = f"{reverse('policypages_import:index')}?parent={page.pk}"
        yield PageMenuItem("Import a policy", url, icon_name="upload", priority=65, page=page)


@hooks.register("register_page_header_buttons")
def versions_button(page, user, view_name=None, next_url=None):
    specific_class = page.specific_class
    if specific_class is PolicySectionPage:
        page = page.get_parent()
    elif specific_class is not PolicyPage:
        return
    yield PageMenuItem(
        "Versions and issuing",
        reverse("policypages_versions:index", args=[page.pk]),
        icon_name="history",
        priority=66,
        page=page,
    )


@hooks.register("before_delete_page")
def keep_issued_policies(request, page):
    """A policy with issued versions is evidence of what staff were asked to read: unpublish, don't delete."""
    if page.specific_class is PolicyPage and page.specific.issued_versions.exists():
        messages.error(
            request,
            f"'{page.title}' has issued versions, which are kept as a record. Unpublish it instead of deleting it.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


class DashboardPanel(Component):
    """A panel of the admin's dashboard, made for one request. A panel's context is its own, not the page's: the
    CSRF token a form in it needs is added here (without it every button posting from a panel was refused)."""

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        context = {"csrf_token": get_token(self.request)} | self.get_context_data(parent_context)
        return render_to_string(self.template_name, context)


class ReviewDuePanel(DashboardPanel):
    name = "policies_due_for_review"
    order = 110
    template_name = "policypages/admin/review_due_panel.html"

    def get_context_data(self, parent_context):
        editable = PagePermissionPolicy().instances_user_has_any_permission_for(self.request.user, ["change"])
        policies = list(
            policies_needing_review(queryset=PolicyPage.objects.filter(pk__in=editable.values("pk"))).select_related(
                "policy_owner"
            )
        )
        return {"policies": policies, "request": self.request}


@hooks.register("construct_homepage_panels")
def add_review_due_panel(request, panels):
    panels.append(ReviewDuePanel(request))


class VersionsToApprovePanel(DashboardPanel):
    """Each policy version waiting on a task this person may decide, with its number and summary, and the
    way to its marked changes (Wagtail's own panel names the page and offers its compare screens, which
    governors, who cannot edit pages, are refused)."""

    name = "policy_versions_to_approve"
    order = 90
    template_name = "policypages/admin/versions_to_approve_panel.html"

    def get_context_data(self, parent_context):
        return {"waiting": versioning.versions_waiting_for(self.request.user), "request": self.request}


@hooks.register("construct_homepage_panels")
def add_versions_to_approve_panel(request, panels):
    panels.append(VersionsToApprovePanel(request))


class UnissuedTextPanel(DashboardPanel):
    """Policies whose live text is not their issued version (published before versions were approved whole),
    for the people who can put it right: by preparing a version and having it approved."""

    name = "policies_with_unissued_text"
    order = 115
    template_name = "policypages/admin/unissued_text_panel.html"

    def get_context_data(self, parent_context):
        found = published.current().derived("policies with unissued text", versioning.policies_with_unissued_text)
        policies = []
        if found:
            editable = PagePermissionPolicy().instances_user_has_any_permission_for(self.request.user, ["change"])
            policies = list(
                PolicyPage.objects.filter(pk__in=found).filter(pk__in=editable.values("pk")).order_by("title")
            )
        return {"policies": policies, "request": self.request}


@hooks.register("construct_homepage_panels")
def add_unissued_text_panel(request, panels):
    panels.append(UnissuedTextPanel(request))


class ReadoptionPanel(DashboardPanel):
    """In a trust: the re-adoption tasks of the schools this person looks after (none on a one-school site)."""

    name = "trust_policy_readoption"
    order = 95
    template_name = "policypages/admin/readoption_panel.html"

    def get_context_data(self, parent_context):
        schools = [s.pk for s in adoption_admin.schools_looked_after(self.request.user)]
        tasks = adoption.open_tasks(schools) if schools else []
        return {"tasks": tasks, "request": self.request}


@hooks.register("construct_homepage_panels")
def add_readoption_panel(request, panels):
    panels.append(ReadoptionPanel(request))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("after_bulk_action")
def people_changed_in_bulk(request, action_type, objects, action_class_instance):
    """The admin's bulk actions on people (making them active or not, their role) change accounts with one
    query, not through the signals that keep the reading totals and readers' cached parts in step."""
    if objects and isinstance(objects[0], get_user_model()):
        signals.people_changed([person.pk for person in objects])


# Wagtail tells the editor a page "has been submitted for moderation": say, in the school's words, which step of
# approval it went to ("Governing body approval"), keeping Wagtail's buttons in the message.
WAGTAIL_SUBMITTED = "has been submitted for moderation."


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def say_who_approves(request, page):
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    submitted = [m for m in queued if WAGTAIL_SUBMITTED in str(m.message)]
    if not submitted:
        return None
    task = type(page).objects.get(pk=page.pk).current_workflow_task  # the page passed in predates the workflow
    sent_to = format_html("has been sent for approval: {}.", task.name) if task else "has been sent for approval."
    for message in submitted:
        message.message = mark_safe(str(message.message).replace(WAGTAIL_SUBMITTED, str(sent_to)))  # noqa: S308
    return None
