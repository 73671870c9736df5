"""Import guidance answers from a spreadsheet, in the admin: upload, see what would happen row by row, confirm.

HR do not run commands: this is `manage.py import_guidance` as a screen. The preview runs the real importer and
rolls it back, so what it shows is exactly what confirming will do; the file waits in the session (at most
MAX_FILE_BYTES) between the two steps.
"""

import csv
import io
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.uploads import too_large_response, upload_refused

from . import questions
from .importer import OPTIONAL, REQUIRED, GuidanceImportError, import_answers
from .models import AnswerCheck, Audience, GuidanceAnswerPage, Question, guidance_indexes

MAX_FILE_BYTES = 2 * 1024 * 1024
SESSION_KEY = "guidance:import"
TEMPLATE_ROWS = [
    {
        "question": "Can I accept a friend request from a parent?",
        "answer": "No. Keep contact with parents to school channels.\n\nIf you know them outside school, declare it.",
        "audience": "staff",
        "short_answer": "No: use school channels.",
        "topics": "parents; social media",
        "also_asked": "parent friend request; facebook parent",
        "policy_refs": "social-media:6",
    }
]


class UploadForm(forms.Form):
    spreadsheet = forms.FileField(
        label="Spreadsheet (CSV)",
        help_text="Save it from Excel or Google Sheets as 'CSV UTF-8'. Up to 2 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    skip_invalid = forms.BooleanField(
        label="Import the good rows even if some are rejected",
        required=False,
        help_text="Otherwise nothing is imported until every row is right.",
    )

    def clean_spreadsheet(self):
        upload = self.cleaned_data["spreadsheet"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 2**20:.1f} MB; the limit is 2 MB. Split it into smaller files."
            )
        return upload


def can_import(user, indexes=None):
    """Whoever may add answers to both the staff guidance and the parents' questions (HR, site admins).
    `indexes`: the two guidance indexes when the caller has them already (the admin menu's snapshot)."""
    staff, public = indexes or guidance_indexes()
    return bool(
        staff
        and public
        and staff.permissions_for_user(user).can_add_subpage()
        and public.permissions_for_user(user).can_add_subpage()
    )


def _run(raw, skip_invalid, user, *, apply):
    staff, public = guidance_indexes()
    with transaction.atomic():
        report = import_answers(raw, staff_index=staff, public_index=public, skip_invalid=skip_invalid, user=user)
        if not apply:
            transaction.set_rollback(True)  # a rehearsal: the report says exactly what confirming will do
    return report


def import_answers_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    context = {"columns": REQUIRED + OPTIONAL}
    if request.method == "POST" and upload_refused(request):
        return too_large_response(request)  # the file was over the site's limit: nothing of it was kept
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["spreadsheet"].read()
        skip_invalid = form.cleaned_data["skip_invalid"]
        try:
            report = _run(raw, skip_invalid, request.user, apply=False)
        except GuidanceImportError as problem:
            form.add_error("spreadsheet", f"{problem} Nothing was imported.")
        else:
            request.session[SESSION_KEY] = {
                "text": raw.decode("utf-8-sig"),
                "skip_invalid": skip_invalid,
                "name": form.cleaned_data["spreadsheet"].name,
            }
            context.update(
                report=report,
                preview=True,
                file_name=form.cleaned_data["spreadsheet"].name,
                to_import=len(report.created) + len(report.updated),
            )
    context["form"] = form
    return TemplateResponse(request, "guidance/admin/import.html", context, status=400 if form.errors else 200)


def _confirm(request):
    pending = request.session.pop(SESSION_KEY, None)
    if not pending:
        messages.warning(request, "That preview has expired. Choose the file again to see what it would do.")
        return redirect("guidance_import:index")
    try:
        report = _run(pending["text"].encode(), pending["skip_invalid"], request.user, apply=True)
    except GuidanceImportError as problem:
        messages.error(request, f"{problem} Nothing was imported.")
        return redirect("guidance_import:index")
    if report.applied:
        messages.success(
            request,
            f"Imported {pending['name']}: {len(report.created)} created, {len(report.updated)} updated"
            + (f", {len(report.rejected)} rejected rows left out." if report.rejected else "."),
        )
    else:
        messages.error(request, f"{len(report.rejected)} row(s) were rejected, so nothing was imported.")
    return TemplateResponse(
        request,
        "guidance/admin/import.html",
        {"report": report, "done": True, "form": UploadForm(), "columns": REQUIRED + OPTIONAL},
    )


def template_csv(request):
    if not can_import(request.user):
        raise PermissionDenied
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(REQUIRED + OPTIONAL))
    writer.writeheader()
    writer.writerows(TEMPLATE_ROWS)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="guidance-answers-template.csv"'
    return response


# --- answers to check after a policy changed (guidance/signals.py) -------------------------------------


def checks_for(user):
    """The open checks on answers `user` may edit, oldest first."""
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    return list(
        AnswerCheck.objects.filter(checked_at__isnull=True, answer__in=editable.values("pk"))
        .select_related("answer", "version__policy")
        .order_by("flagged_at", "pk")
    )


@dataclass
class ChangeToCheck:
    """One section's change in one version, and the open checks of the answers resting on it."""

    message: str
    what_changed: str
    what_changed_url: str
    checks: list


def changes_to_check(user):
    """`checks_for(user)` grouped by the change that flagged them: one change to read, its answers beneath it."""
    groups = {}
    for check in checks_for(user):
        key = (check.version_id, check.section_id, check.section_heading)
        if key not in groups:
            groups[key] = ChangeToCheck(check.message, check.what_changed, check.what_changed_url, [])
        groups[key].checks.append(check)
    return list(groups.values())


@require_POST
def mark_several_checked(request):
    """HR read the change and the answers ticked still hold: each ticked check is closed, as HR. An answer HR
    may not edit is left open (and said so); nothing ticked is a message, not an error page."""
    ids = [int(pk) for pk in request.POST.getlist("check") if pk.isdigit()]
    checks = list(AnswerCheck.objects.filter(pk__in=ids, checked_at__isnull=True).select_related("answer"))
    if not checks:
        messages.warning(request, "Tick the answers that are still true, then press the button.")
        return redirect("wagtailadmin_home")
    done, refused = [], []
    for check in checks:
        if check.answer.permissions_for_user(request.user).can_edit():
            check.mark_checked(request.user)
            done.append(check.answer.title)
        else:
            refused.append(check.answer.title)
    if done:
        messages.success(
            request, f"Marked {len(done)} answer{'s' if len(done) != 1 else ''} as checked: {', '.join(done)}."
        )
    if refused:
        messages.warning(request, f"You cannot edit {', '.join(refused)}: left for someone who can.")
    return redirect("wagtailadmin_home")


@require_POST
def mark_checked(request, check_id):
    """HR read the answer against what changed and it still holds: the check is closed, as HR."""
    check = get_object_or_404(AnswerCheck.objects.select_related("answer"), pk=check_id, checked_at__isnull=True)
    if not check.answer.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    check.mark_checked(request.user)
    messages.success(request, f"'{check.answer.title}' is marked as checked against {check.message.lower()}.")
    return redirect("wagtailadmin_home")


# --- Ask HR: the questions people sent from search (guidance/questions.py) --------------------------------

QUESTIONS_PERMISSION = "guidance.answer_question"


def can_answer_questions(user):
    return user.has_perm(QUESTIONS_PERMISSION)


def questions_view(request):
    """HR's queue: open questions grouped by what they ask, most asked first, each a click from a draft answer."""
    if not can_answer_questions(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request, "guidance/admin/questions.html", {"groups": questions.open_groups(request.user)}
    )


def _posted_group(request):
    """The questions posted, of those in this person's queue (another school's are not there for them)."""
    ids = [int(i) for i in request.POST.getlist("question") if i.isdigit()]
    waiting = (
        questions.questions_for(request.user)
        .filter(pk__in=ids, status=Question.Status.WAITING)
        .order_by("asked_on", "pk")
    )
    groups = questions.group_questions(list(waiting))
    # The form sends one group's questions; if they have changed meanwhile, act on what is still waiting.
    return groups[0] if len(groups) == 1 else (questions.QuestionGroup(questions=list(waiting)) if waiting else None)


@require_POST
def draft_answer_view(request):
    if not can_answer_questions(request.user):
        raise PermissionDenied
    group = _posted_group(request)
    if group is None or len({q.audience for q in group.questions}) != 1 or len({q.school_id for q in group.questions}) != 1:
        messages.warning(request, "Those questions are no longer waiting: someone may have answered them already.")
        return redirect("guidance_questions:index")
    if request.POST.get("answer", "").isdigit():
        # Asked again after HR started an answer: these askers are told when that one is published.
        answer = get_object_or_404(GuidanceAnswerPage, pk=request.POST["answer"], audience__in=_audiences(group))
        if not answer.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        questions.add_to_answer(group.ids, answer)
        messages.success(request, f"Added to the answer '{answer.title}'.")
        return redirect("guidance_questions:index")
    index = questions.guidance_index_for(group.audience, group.first.school)
    if index is None or not index.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    page = questions.draft_answer(group, request.user)
    messages.success(
        request,
        f"A draft answer is ready: write the short answer and the answer, then publish it. "
        f"{group.named} {'person' if group.named == 1 else 'people'} will be told when it is published.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


def _audiences(group):
    """Answers that may answer these askers: a parent's question never gets a staff-only answer."""
    return [group.audience] if group.audience == Audience.STAFF else [Audience.PARENTS, Audience.EVERYONE]


@require_POST
def set_aside_view(request):
    if not can_answer_questions(request.user):
        raise PermissionDenied
    group = _posted_group(request)
    if group is None:
        messages.warning(request, "Those questions are no longer waiting.")
    else:
        questions.set_aside(group.ids)
        messages.success(request, f"Set aside: '{group.title}'.")
    return redirect("guidance_questions:index")
