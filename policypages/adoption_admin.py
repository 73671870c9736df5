"""The admin's screens for a trust's policies in its schools (rules in adoption.py): the trust's policies a
school has still to adopt, and each school's re-adoption tasks with the trust's redline. A school's HR sees and
acts for their own schools only; the trust's central team for every school."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from schools.models import School
from schools.services import in_central_team, is_trust, school_of_page, schools_of

from . import adoption
from .models import PolicyIndexPage, PolicyPage, ReadoptionTask, Sharing


def schools_for(user):
    """The schools whose copies `user` looks after here: theirs, or every school for the central team."""
    if not is_trust():
        return []
    schools = School.objects.exclude(site=None).select_related("site__root_page").order_by("name")
    if not (user.is_superuser or in_central_team(user)):
        schools = schools.filter(pk__in=schools_of(user))
    return list(schools)


def schools_looked_after(user):
    """Of those, the schools where `user` may add policies to the school's list (a role's page permission):
    HR. A few queries whatever the number of schools."""
    schools = schools_for(user)
    if not schools:
        return []
    indexes = list(PolicyIndexPage.objects.order_by("depth", "path"))
    looked_after = []
    for school in schools:
        root = school.site.root_page.path
        index = next((index for index in indexes if index.path.startswith(root)), None)
        if index is not None and index.permissions_for_user(user).can_add_subpage():
            looked_after.append(school)
    return looked_after


def may_look_after(user, school):
    return school in schools_looked_after(user)


def can_see(user):
    return bool(schools_looked_after(user))


def overview(request):
    schools = schools_looked_after(request.user)
    if not schools:
        raise PermissionDenied
    adoptable = list(PolicyPage.objects.live().filter(sharing=Sharing.ADOPTED).order_by("title"))
    copies = list(PolicyPage.objects.exclude(adopted_from=None).values_list("path", "adopted_from_id"))
    tasks = adoption.open_tasks([school.pk for school in schools])
    rows = []
    for school in schools:
        root = school.site.root_page.path
        adopted = {trust_id for path, trust_id in copies if path.startswith(root)}
        rows.append(
            {
                "school": school,
                "to_adopt": [policy for policy in adoptable if policy.pk not in adopted],
                "tasks": [task for task in tasks if task.copy.path.startswith(root)],
            }
        )
    trust_policies = PolicyPage.objects.exclude(sharing=Sharing.SCHOOL).live().order_by("title")
    return TemplateResponse(
        request,
        "policypages/admin/trust_policies.html",
        {"rows": rows, "trust_policies": trust_policies},
    )


def _school(request, school_id):
    school = get_object_or_404(School, pk=school_id)
    if not may_look_after(request.user, school):
        raise PermissionDenied
    return school


@require_POST
def adopt(request, school_id, policy_id):
    school = _school(request, school_id)
    trust_policy = get_object_or_404(PolicyPage, pk=policy_id, sharing=Sharing.ADOPTED)
    try:
        copy = adoption.adopt(trust_policy, school, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("policypages_trust:index")
    messages.success(
        request,
        f"{school.display_name} has its own copy of '{copy.title}'. Write its local sections, then submit it to "
        "the governors: nothing is live until they approve it.",
    )
    return redirect("wagtailadmin_pages:edit", copy.pk)


def _task(request, task_id):
    task = get_object_or_404(ReadoptionTask.objects.select_related("copy", "trust_version__policy"), pk=task_id)
    school = school_of_page(task.copy)
    if school is None or not may_look_after(request.user, school):
        raise PermissionDenied
    return task, school


def task_detail(request, task_id):
    task, school = _task(request, task_id)
    copy = task.copy.specific
    local = [section for section in copy.section_drafts() if adoption.is_local(section)]
    changes = adoption.trust_redline(task)
    return TemplateResponse(
        request,
        "policypages/admin/readoption_task.html",
        {
            "task": task,
            "school": school,
            "copy": copy,
            "changes": changes,
            "changed": [c for c in changes if c.status != "unchanged"],
            "local": local,
            "next_label": adoption.next_school_label(copy, task.trust_version),
        },
    )


@require_POST
def start(request, task_id):
    task, _school = _task(request, task_id)
    try:
        copy = adoption.start_readoption(task, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("policypages_trust:task", task_id=task.pk)
    messages.success(
        request,
        f"The trust's version {task.trust_version.label} is in your next version of '{copy.title}'. Check your "
        "local sections, then submit it to the governors.",
    )
    return redirect("wagtailadmin_pages:edit", copy.pk)
