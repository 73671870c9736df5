"""Import a policy in the admin: upload a Word document, a PDF, a saved web page or a text file, see the outline,
correct it, confirm, and get draft pages to check (`manage.py import_policy` as a screen; HR run no commands).

The outline shows the document paragraph by paragraph with what the reader took each for. HR can make any
paragraph a section heading, start a new section at it (a split), fold a heading back into the text above (a
merge), leave a line out, rename a section and change the sections' order; "Update the outline" shows the
sections that will be made, and nothing is saved until "Create draft pages".

The file is read once, at the upload; its text waits in the session (at most MAX_TEXT_CHARACTERS) between
the outline and the confirmation, and is parsed again then, so what is created is exactly what was shown.
Nothing is published: the sections are drafts for HR to check, then submit or publish as usual.
"""

import logging
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.uploads import too_large_response, upload_refused

from .importer import (
    MAX_FILE_BYTES,
    MAX_PDF_BYTES,
    ROLES,
    SUPPORTED,
    PolicyImportError,
    create_policy,
    first_words,
    parse_policy,
    read_document,
    sections_from,
)
from .models import PolicyIndexPage

logger = logging.getLogger(__name__)
SESSION_KEY = "policypages:import"
MAX_TEXT_CHARACTERS = 1_000_000


def live_policy_indexes():
    return list(PolicyIndexPage.objects.live().order_by("path"))


def importable_indexes(user, indexes=None):
    """The policy indexes this person may add policies to (of `indexes`, when the caller has them already)."""
    return [
        index
        for index in (live_policy_indexes() if indexes is None else indexes)
        if index.permissions_for_user(user).can_add_subpage()
    ]


def can_import(user, indexes=None):
    return bool(importable_indexes(user, indexes))


class UploadForm(forms.Form):
    document = forms.FileField(
        label="Policy document",
        help_text="A Word document (.docx), a PDF, a web page saved from a browser (.html), or text (.txt, .md). "
        "Up to 5 MB (PDFs 20 MB). Older .doc files: open them in Word and save as .docx first.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(SUPPORTED))}),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in SUPPORTED:
            older = " If it is an older Word file (.doc), open it in Word and save it as .docx." if suffix == ".doc" else ""
            raise forms.ValidationError(
                f"'{upload.name}' cannot be read here: use a Word document (.docx), a PDF, a saved web page "
                f"(.html) or a text file (.txt, .md).{older or ' Save it as .docx from the program that made it.'}"
            )
        limit = MAX_PDF_BYTES if suffix == ".pdf" else MAX_FILE_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 2**20:.1f} MB; the limit is {limit // 2**20} MB. "
                "A policy is rarely more than 1 MB: save it without images, or as plain text."
            )
        return upload


def _read_upload(upload):
    """The document's text, read by the same code as `import_policy` (it needs a file with the right suffix)."""
    suffix = Path(upload.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return read_document(handle.name)


def _chosen_parent(value, indexes):
    """The policy index HR started from (the button on its page), if they may import into it."""
    return next((index.pk for index in indexes if str(index.pk) == str(value)), indexes[0].pk)


def _guess_title(name):
    return Path(name).stem.replace("_", " ").replace("-", " ").strip().capitalize()[:200]


def import_policy_view(request):
    indexes = importable_indexes(request.user)
    if not indexes:
        raise PermissionDenied
    if request.method == "POST" and upload_refused(request):
        return too_large_response(request)  # the file was over the site's limit: nothing of it was kept
    if request.method == "POST" and request.POST.get("step") in ("confirm", "update"):
        return _confirm(request, indexes)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            text = _read_upload(upload)
            if len(text) > MAX_TEXT_CHARACTERS:
                raise PolicyImportError("The document holds more text than any policy; it was not read.")
            parsed = parse_policy(text)
        except PolicyImportError as problem:
            form.add_error("document", f"{problem} Nothing was imported.")
        except Exception:  # a document shaped as nobody foresaw: a plain message, the details for the log
            logger.exception("Reading %s for import failed", upload.name)
            form.add_error(
                "document",
                f"Something in {upload.name} could not be read, so nothing was imported. Save it again as a Word "
                "document (.docx) or a PDF and try that; if it still fails, send the file to the site's admin.",
            )
        else:
            request.session[SESSION_KEY] = {"text": text, "name": upload.name}
            return _outline(
                request, parsed, indexes, title=parsed.title or _guess_title(upload.name), file_name=upload.name,
                data={"parent": _chosen_parent(request.POST.get("parent"), indexes)},
            )  # fmt: skip
    context = {"form": form, "indexes": indexes, "parent_id": _chosen_parent(request.GET.get("parent"), indexes)}
    return TemplateResponse(
        request, "policypages/admin/import_policy.html", context, status=400 if form.errors else 200
    )


STATUS_LABELS = {
    "version": "Version",
    "last_reviewed": "Last reviewed",
    "next_review_due": "Next review due",
    "key_staff": "Key staff",
}
MAX_TITLE = 255


def outline_choices(pieces, data):
    """What HR chose for each paragraph on the outline (its role, a section's title and order), from the form;
    anything missing or odd falls back to the reader's guess."""
    choices = {}
    for piece in pieces:
        role = data.get(f"role_{piece.id}")
        choice = {"role": role if role in ROLES else piece.guessed_role}
        title = " ".join((data.get(f"title_{piece.id}") or "").split())[:MAX_TITLE]
        if title:
            choice["title"] = title
        position = (data.get(f"position_{piece.id}") or "").strip()
        if position.isdigit() and position != (data.get(f"shown_{piece.id}") or "").strip():
            choice["position"] = int(position)  # moved by HR (an order left as shown follows the outline)
        choices[piece.id] = choice
    return choices


def _rows(parsed, choices):
    """The outline, paragraph by paragraph, with each one's current role, and a section's title and order."""
    sections, _ = sections_from(parsed.pieces, choices)
    by_piece = {section.piece_id: (position, section) for position, section in enumerate(sections, start=1)}
    rows = []
    for piece in parsed.pieces:
        role = choices.get(piece.id, {}).get("role", piece.guessed_role)
        order, section = by_piece.get(piece.id, (None, None))
        rows.append(
            {
                "id": piece.id,
                "role": role,
                "starts": section is not None,
                "title": section.title if section else "",
                "label": section.display_title if section else "",
                "position": order,
                "text": piece.short(60) if piece.lines else "(the document, before any heading)",
                "is_heading": bool(piece.heading),
            }
        )
    return rows, sections


def _outline(request, parsed, indexes, *, title, file_name, errors=(), status=200, data=None):
    data = data or {}
    choices = outline_choices(parsed.pieces, data) if data else {}
    rows, sections = _rows(parsed, choices)
    context = {
        "rows": rows,
        "roles": list(ROLES.items()),
        "sections": [
            {"label": section.display_title, "first_words": first_words(section, 20)} for section in sections
        ],
        "parsed": parsed,
        "status_found": [(STATUS_LABELS.get(key, key.replace("_", " ").capitalize()), value)
                         for key, value in parsed.metadata.items()],  # fmt: skip
        "dropped": parsed.dropped.most_common(12),
        "title": title,
        "file_name": file_name,
        "indexes": indexes,
        "parent_id": _chosen_parent(data.get("parent"), indexes),
        "errors": errors,
    }
    return TemplateResponse(request, "policypages/admin/import_policy.html", context, status=status)


def _confirm(request, indexes):
    pending = request.session.get(SESSION_KEY)
    if not pending:
        messages.warning(request, "That outline has expired. Choose the file again.")
        return redirect("policypages_import:index")
    parsed = parse_policy(pending["text"])
    title = " ".join((request.POST.get("title") or "").split())[:MAX_TITLE]
    parent = next((index for index in indexes if str(index.pk) == request.POST.get("parent")), None)
    if request.POST.get("step") == "update":
        return _outline(request, parsed, indexes, title=title, file_name=pending["name"], data=request.POST)
    sections, notes = sections_from(parsed.pieces, outline_choices(parsed.pieces, request.POST))
    problems = [note for note in notes if "comes before the first section" in note]
    if not sections:
        problems.append("Every paragraph is left out: keep at least one section.")
    if not title:
        problems.append("Give the policy a title.")
    if parent is None:
        problems.append("Choose where the policy goes.")
    if not problems:
        parsed.sections = sections
        try:
            policy = create_policy(parsed, title=title, parent=parent, publish=False, user=request.user)
        except PolicyImportError as problem:
            problems.append(str(problem))
    if problems:
        return _outline(
            request, parsed, indexes, title=title, file_name=pending["name"], errors=problems, status=400,
            data=request.POST,
        )  # fmt: skip
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        f"Imported '{policy.title}' from {pending['name']}: {len(sections)} sections saved as drafts. "
        "Check each section, then submit the policy to the governors for approval (they publish it).",
    )
    return redirect(reverse("wagtailadmin_explore", args=[policy.pk]))
