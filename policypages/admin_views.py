"""Wagtail admin screens for issuing and browsing a policy's versions. Rules live in services.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from . import services
from .forms import IssueVersionForm
from .models import PolicyPage, PolicyVersion


def _policy_for(request, page_id):
    policy = get_object_or_404(PolicyPage, pk=page_id)
    if not policy.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return policy


def can_issue(user):
    return user.has_perm("policypages.issue_policyversion")


def versions(request, page_id):
    policy = _policy_for(request, page_id)
    return TemplateResponse(
        request,
        "policypages/admin/versions.html",
        {
            "policy": policy,
            "versions": policy.issued_versions.select_related("issued_by").prefetch_related("sections"),
            "can_issue": can_issue(request.user),
        },
    )


def issue(request, page_id):
    policy = _policy_for(request, page_id)
    if not can_issue(request.user):
        raise PermissionDenied
    approval = services.last_approval(policy) or {}
    initial = {
        "label": services.suggested_next_label(policy),
        "change_type": PolicyVersion.SUBSTANTIVE,
        "approved_by": approval.get("approved_by", ""),
        "approved_on": approval.get("approved_on"),
    }
    form = IssueVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.issue_version(policy, issued_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, f"Version {version.label} of '{policy.title}' has been issued.")
            return redirect("policypages_versions:index", page_id=policy.pk)
    sections = list(policy.get_children().specific().order_by("path"))
    return TemplateResponse(
        request,
        "policypages/admin/issue_version.html",
        {
            "policy": policy,
            "form": form,
            "included": [s for s in sections if s.live],
            "unpublished": [s for s in sections if not s.live],
            "pending_changes": [s for s in sections if s.live and s.has_unpublished_changes],
        },
    )
