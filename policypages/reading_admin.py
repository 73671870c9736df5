"""Wagtail admin reports on who has read which policy. Rules live in reading.py; these only display them.

Names need `view_readreceipt` (HR, senior leaders, site admins). Governors hold `view_reading_totals`
and see numbers only.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from core.spreadsheets import csv_response
from schools.models import School
from schools.services import is_trust

from .models import PolicyPage
from .read_reminders import send_read_reminders
from .reading import (
    TOTALS_TIMEOUT,
    ReadingState,
    in_schools,
    person_report,
    policies_to_read,
    policy_report,
    policy_totals,
    reading_matrix,
    reading_scope,
    requirements_for,
    school_breakdown,
    staff_members,
    totals_cache_key,
)
from .understanding import figures_for

NAMES = "policypages.view_readreceipt"
TOTALS = "policypages.view_reading_totals"
REMIND = "policypages.send_read_reminders"

STATE_FILTERS = {
    "outstanding": ("Not read or needs re-reading", lambda s: s.is_outstanding),
    "overdue": ("Overdue", lambda s: s.overdue),
    "not-read": ("Not read", lambda s: s.state == ReadingState.NOT_READ),
    "needs-rereading": ("Needs re-reading", lambda s: s.state == ReadingState.NEEDS_REREAD),
    "read": ("Read", lambda s: s.state == ReadingState.READ),
    "all": ("Everyone", lambda s: True),
}


def can_see_totals(user):
    return user.has_perm(NAMES) or user.has_perm(TOTALS)


def _require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


def _date(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if hasattr(value, "hour") else (value or "")


def overview(request):
    if not can_see_totals(request.user):
        raise PermissionDenied
    show_names = request.user.has_perm(NAMES)
    scope = reading_scope(request.user)
    return TemplateResponse(
        request,
        "policypages/admin/reading_overview.html",
        {
            "table": totals_table(show_names, scope),
            "show_names": show_names,
            # Across the trust, each school's line too (its own HR sees only their school's totals).
            "by_school": school_breakdown() if scope is None and is_trust() else None,
        },
    )


def totals_table(show_names, schools=None):
    """The overview's table of totals. Where the totals are kept (a shared cache), the rendered table is kept
    beside them under the same key: forty rows of localised numbers cost more to render than to count once
    the counts are kept. It holds no one's own data: only the totals and whether names are linked."""
    key = totals_cache_key(schools)
    if key is not None:
        key = f"{key}:table:{'names' if show_names else 'totals'}"
        html = cache.get(key)
        if html is not None:
            return mark_safe(html)  # rendered by render_to_string below, escaped there
    totals = policy_totals(schools=schools)
    if schools is not None:
        # A school's HR sees their schools' policies and the trust's that their staff read; not another school's
        # (a "0 of 0" row that only gives away its title).
        totals = [
            row
            for row in totals
            if row.requirement.school_id in schools or (row.requirement.school_id is None and row.audience)
        ]
    if is_trust():  # each school's copy of a trust policy has the same title: say whose it is
        names = {school.pk: school.display_name for school in School.objects.all()}
        for row in totals:
            row.school_name = names.get(row.requirement.school_id, "")
    html = render_to_string("policypages/admin/reading_totals_table.html", {"totals": totals, "show_names": show_names})
    if key is not None:
        cache.set(key, str(html), TOTALS_TIMEOUT)
    return html


def policy_detail(request, policy_id):
    _require(request.user, NAMES)
    policy = get_object_or_404(PolicyPage, pk=policy_id)
    requirement, rows = policy_report(policy, schools=reading_scope(request.user))
    state = request.GET.get("state", "outstanding")
    if state not in STATE_FILTERS:
        state = "outstanding"
    groups = Group.objects.order_by("name")
    group_id = request.GET.get("group", "")
    if group_id.isdigit():
        members = set(get_user_model().objects.filter(groups__id=group_id).values_list("pk", flat=True))
        rows = [(u, s) for u, s in rows if u.pk in members]
    everyone = rows
    rows = [(u, s) for u, s in rows if STATE_FILTERS[state][1](s)]

    if request.method == "POST" and request.POST.get("action") == "remind":
        _require(request.user, REMIND)
        # Links in the emails lead where HR reached the site, whatever BASE_URL says.
        here = request.build_absolute_uri("/").rstrip("/")
        sent, skipped = send_read_reminders(users=[u for u, s in everyone if s.is_outstanding], base_url=here)
        messages.success(
            request,
            f"Sent {len(sent)} reminder{'s' if len(sent) != 1 else ''}."
            + (f" {len(skipped)} people were already reminded this week." if skipped else ""),
        )
        return redirect(request.get_full_path())

    if request.GET.get("format") == "csv":
        return csv_response(
            f"{slugify(policy.title)}-reading-{timezone.localdate():%Y-%m-%d}.csv",
            ["Name", "Email", "Status", "Overdue", "Version confirmed", "Confirmed at", "Due"],
            (
                [
                    u.get_full_name(),
                    u.email,
                    s.label,
                    "yes" if s.overdue else "no",
                    s.confirmed_version.label if s.confirmed_version else "",
                    _date(s.confirmed_at),
                    s.due or "",
                ]
                for u, s in rows
            ),
        )
    page = Paginator(rows, 100).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "policypages/admin/reading_policy.html",
        {
            "policy": policy,
            "requirement": requirement,
            "understanding": figures_for(policy.current_version),
            "page_obj": page,
            "state": state,
            "state_filters": [(key, label) for key, (label, _) in STATE_FILTERS.items()],
            "groups": groups,
            "group_id": group_id,
            "counts": {
                "audience": len(everyone),
                "read": sum(s.state == ReadingState.READ for _, s in everyone),
                "overdue": sum(s.overdue for _, s in everyone),
            },
            "can_remind": request.user.has_perm(REMIND),
        },
    )


def people(request):
    _require(request.user, NAMES)
    users = staff_members(reading_scope(request.user))
    query = request.GET.get("q", "").strip()[:100]
    if query:
        users = users.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(email__icontains=query))
    page = Paginator(users, 50).get_page(request.GET.get("p"))
    people_on_page = list(page.object_list)
    matrix = reading_matrix(people_on_page, requirements_for(policies_to_read()))
    outstanding = {u.pk: 0 for u in people_on_page}
    overdue = {u.pk: 0 for u in people_on_page}
    for (user_id, _), status in matrix.items():
        outstanding[user_id] += status.is_outstanding
        overdue[user_id] += status.overdue
    return TemplateResponse(
        request,
        "policypages/admin/reading_people.html",
        {
            "page_obj": page,
            "rows": [(u, outstanding[u.pk], overdue[u.pk]) for u in people_on_page],
            "query": query,
        },
    )


def person_detail(request, user_id):
    _require(request.user, NAMES)
    # Someone in another school is, to this reader, nobody.
    person = get_object_or_404(
        in_schools(get_user_model().objects.all(), reading_scope(request.user)).distinct(), pk=user_id
    )
    statuses = person_report(person)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"{slugify(person.get_full_name() or person.email)}-policies-{timezone.localdate():%Y-%m-%d}.csv",
            ["Policy", "Current version", "Status", "Overdue", "Version confirmed", "Confirmed at", "Due"],
            (
                [
                    s.requirement.policy.title,
                    s.requirement.current.label if s.requirement.current else "",
                    s.label,
                    "yes" if s.overdue else "no",
                    s.confirmed_version.label if s.confirmed_version else "",
                    _date(s.confirmed_at),
                    s.due or "",
                ]
                for s in statuses
            ),
        )
    return TemplateResponse(request, "policypages/admin/reading_person.html", {"person": person, "statuses": statuses})
