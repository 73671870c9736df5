"""The staff side: fill in a form, see your own submissions, add a follow-up, download your evidence.

Thin views: the rules live in declarations.services, declarations.access and the forms.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.models import Site

from core.uploads import too_large_response, upload_refused

from . import services
from .access import may_review, may_see
from .forms import FORM_CLASSES, FollowUpForm
from .models import FORMS_WITH_EVIDENCE, EvidenceFile, Record, RecordFormPage

DRAFT_KEY = "declarations:draft:{}"
# What is kept of a form sent after the session ran out, until the person signs in again. The longest real
# form is a few thousand characters; anything over this (or fields the form does not have) is not kept, so
# an anonymous POST cannot fill the session table.
DRAFT_MAX_CHARACTERS = 20_000
DRAFT_MAX_VALUES = 40


def form_context(request, page, bound_form=None):
    """The form for a RecordFormPage: bound after a failed submit, refilled after a sign-in round trip."""
    restored = False
    if bound_form is None:
        draft = request.session.pop(DRAFT_KEY.format(page.form), None)
        form_class = FORM_CLASSES[page.form]
        if draft:  # shown as initial values, not as a failed submission: no error messages yet
            bound_form, restored = form_class(initial=draft), True
        else:
            bound_form = form_class()
    return {
        "form": bound_form,
        "restored": restored,
        "takes_evidence": page.form in FORMS_WITH_EVIDENCE,
        "action": reverse("declarations:submit", args=[page.form]),
    }


@require_POST
def submit(request, form):
    page = RecordFormPage.for_request(request, form) if form in FORM_CLASSES else None
    if page is None:
        raise Http404
    if upload_refused(request):
        return too_large_response(request)
    if not request.user.is_authenticated:
        return _keep_draft_and_sign_in(request, page)
    bound = FORM_CLASSES[form](request.POST, request.FILES)
    if bound.is_valid():
        try:
            record = services.submit(request.user, bound)
        except services.DuplicateSubmission as duplicate:
            messages.info(request, f"You had already sent this. It is saved as {duplicate.record.reference}.")
            return redirect(duplicate.record.get_absolute_url())
        except OSError:
            messages.error(
                request,
                "We could not save your attachments just now, so nothing was sent. Please try again in a few "
                "minutes, or send it without attachments and add them later.",
            )
            return _render_page(request, page, bound, status=503)
        messages.success(request, f"Sent. Your reference is {record.reference}. {page.after_submit}".strip())
        return redirect(record.get_absolute_url())
    return _render_page(request, page, bound, status=400)


def _keep_draft_and_sign_in(request, page):
    """The session ran out while they were typing: keep what they typed, ask them to sign in, put it back."""
    fields = FORM_CLASSES[page.form].base_fields
    draft = {key: values for key, values in request.POST.lists() if key in fields}
    values = [value for field_values in draft.values() for value in field_values]
    if len(values) <= DRAFT_MAX_VALUES and sum(len(value) for value in values) <= DRAFT_MAX_CHARACTERS:
        request.session[DRAFT_KEY.format(page.form)] = _as_querydict(draft)
        kept = "we will put back what you typed" + (" (attach any files again)." if request.FILES else ".")
    else:
        kept = "fill in the form again: what you sent was too long for us to keep while you sign in."
    messages.warning(request, f"You were signed out while filling in the form. Sign in again and {kept}")
    return redirect(f"{settings.WAGTAIL_FRONTEND_LOGIN_URL}?{urlencode({'next': page.url})}")


def _render_page(request, page, bound, status):
    context = page.get_context(request, bound_form=bound)
    return TemplateResponse(request, page.get_template(request), context, status=status)


def _as_querydict(lists):
    # Sessions store JSON: keep lists so multi-value fields (checkboxes) survive.
    return {key: values if len(values) > 1 else values[0] for key, values in lists.items()}


# A person's own declarations and reports: never kept by a browser's or a proxy's cache (a shared computer).
@never_cache
@login_required
def my_records(request):
    records = services.with_unseen_replies(Record.objects.filter(submitted_by=request.user).order_by("-submitted_at"))
    return render(request, "declarations/my_records.html", {"records": records, "forms": _form_pages(request)})


def _form_pages(request):
    site = Site.find_for_request(request)
    pages = RecordFormPage.objects.live().order_by("path")
    return (pages.in_site(site) if site else pages) or pages


@never_cache
@login_required
def my_record(request, reference):
    record = get_object_or_404(Record, reference=reference, submitted_by=request.user)
    form = FollowUpForm(record=record)
    if request.method == "POST":
        if upload_refused(request):
            return too_large_response(request)
        form = FollowUpForm(request.POST, request.FILES, record=record)
        if form.is_valid():
            services.add_follow_up(
                record,
                request.user,
                form.cleaned_data["kind"],
                form.cleaned_data["text"],
                form.cleaned_data.get("evidence") or [],
            )
            messages.success(request, "Added to your record. The reviewers have been told.")
            return redirect(record.get_absolute_url())
    else:
        services.audit(record, "declarations.view", request.user, by="submitter")
        services.seen_by_submitter(record)
    return render(
        request,
        "declarations/my_record.html",
        {
            "record": record,
            "specific": record.specific,
            "fields": record.submitted_fields(),
            "follow_ups": record.follow_ups.select_related("author").prefetch_related("evidence"),
            "evidence": record.evidence.filter(follow_up__isnull=True),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


# Kinds a reviewer can look at in the page (?view=inline) rather than download: images, shown by the browser's
# image decoder in an <img> (nothing in them runs), and PDFs, shown by the browser's own PDF viewer (which runs
# in its own sandboxed process) in a frame. Text and saved emails are always downloaded.
INLINE_KINDS = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}


@login_required
def evidence_file(request, pk):
    item = get_object_or_404(EvidenceFile.objects.select_related("record"), pk=pk)
    if not may_see(request.user, item.record):
        raise Http404  # the same answer as a file that does not exist: nothing to learn by guessing
    services.audit(
        item.record,
        "declarations.download",
        request.user,
        file=item.pk,
        by="reviewer" if may_review(request.user, item.record) else "submitter",
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = request.GET.get("view") == "inline" and item.content_type in INLINE_KINDS
    response = FileResponse(
        handle, as_attachment=not inline, filename=item.original_name, content_type=item.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if inline and item.content_type == "application/pdf":
        # Framed by the record's page only. (Chrome will not show a PDF under a `sandbox` policy.)
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
        response["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
