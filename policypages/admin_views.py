"""Wagtail admin screens for a policy's versions: the issued ones, and the next one being prepared and
approved. Rules live in versioning.py and services.py; these only check who may look and act."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from wagtail.models import WorkflowState

from . import understanding, versioning
from .models import PolicyPage


def _policy_for(request, page_id):
    policy = get_object_or_404(PolicyPage, pk=page_id)
    if not policy.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return policy


def approval_task(policy, user):
    """The governors' task the policy's next version is waiting on, and what `user` may do with it."""
    state = policy.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS or state.current_task_state is None:
        return None, []
    task_state = state.current_task_state
    return task_state, task_state.task.specific.get_actions(policy, user)


def versions(request, page_id):
    policy = _policy_for(request, page_id)
    return TemplateResponse(
        request,
        "policypages/admin/versions.html",
        {
            "policy": policy,
            "versions": policy.issued_versions.select_related("issued_by", "approver").prefetch_related("sections"),
            "draft": versioning.draft_version(policy),
            "unissued": versioning.unissued_live_sections(policy),
        },
    )


def next_version(request, page_id):
    """The prepared version, marked against the issued one: for HR preparing it and for the governors who
    approve it (who cannot edit pages, so Wagtail's own comparison screens refuse them)."""
    policy = get_object_or_404(PolicyPage, pk=page_id)
    task_state, actions = approval_task(policy, request.user)
    may_edit = policy.permissions_for_user(request.user).can_edit()
    if not (may_edit or actions):
        raise PermissionDenied
    draft = versioning.draft_version(policy)
    if draft is None:
        raise Http404("Nothing has changed since the issued version")
    if request.method == "POST":
        return _act_on_approval(request, policy, task_state, actions)
    changes = versioning.redline(policy)
    return TemplateResponse(
        request,
        "policypages/admin/next_version.html",
        {
            "policy": policy,
            "draft": draft,
            "changes": changes,
            "changed": [c for c in changes if c.status != "unchanged" or c.moved],
            "check_changes": understanding.check_changes(policy),
            "may_approve": bool(actions),
            "may_edit": may_edit,
        },
    )


def _act_on_approval(request, policy, task_state, actions):
    action = request.POST.get("action")
    if action not in {name for name, _label, _needs_data in actions}:
        raise PermissionDenied
    comment = request.POST.get("comment", "").strip()
    if action == "reject" and not comment:
        messages.error(request, "Say what needs to change, so HR can put it right.")
        return redirect("policypages_versions:next", page_id=policy.pk)
    label = versioning.draft_version(policy).label
    try:
        task_state.task.specific.on_action(task_state, request.user, action, comment=comment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("policypages_versions:next", page_id=policy.pk)
    if action == "approve":
        messages.success(request, f"Version {label} of '{policy.title}' is approved and issued.")
    else:
        messages.success(request, f"Version {label} of '{policy.title}' has been sent back to HR with your comment.")
    return redirect("wagtailadmin_home")


@require_POST
def abandon(request, page_id):
    policy = _policy_for(request, page_id)
    try:
        draft = versioning.abandon_draft_version(policy, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"The prepared version{' ' + draft.label if draft.label else ''} of '{policy.title}' was abandoned: "
            "the policy reads as it did.",
        )
    return redirect("policypages_versions:index", page_id=policy.pk)
