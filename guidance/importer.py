"""Import guidance answers from a spreadsheet (CSV).

Columns: question, answer, audience (staff, parents or everyone); optional short_answer, topics,
also_asked, policy_refs. Lists are separated by ";". A policy reference is `policy-slug:section-number`,
e.g. `social-media:5`. A row whose question matches an existing answer updates it, unless `keep_existing=True`
(adding new answers only: an answer already on the site, perhaps edited since, is left as it is).

By default the file is all or nothing: if any row is rejected, nothing is imported and every reason is
listed. `skip_invalid=True` imports the good rows and reports the rest.
"""

import csv
import html
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from policypages.models import PolicyPage, PolicySectionPage

from .models import Audience, GuidanceAnswerPage

REQUIRED = ("question", "answer", "audience")
OPTIONAL = ("short_answer", "topics", "also_asked", "policy_refs")
MAX_ROWS = 10_000


class GuidanceImportError(Exception):
    pass


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # (row number, question, reason)
    kept: list = field(default_factory=list)  # questions already on the site, left alone (keep_existing)
    applied: bool = False


def _split(value):
    return [item.strip() for item in (value or "").split(";") if item.strip()]


def _normalise(question):
    return " ".join(question.split()).casefold()


def _paragraphs(text):
    parts = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(f"<p>{html.escape(' '.join(p.split()), quote=False)}</p>" for p in parts)


def _short_answer(answer):
    first = re.split(r"(?<=[.!?])\s", answer.strip(), maxsplit=1)[0]
    return first if len(first) <= 120 else first[:117].rstrip() + "..."


def read_rows(raw_bytes):
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GuidanceImportError("The file is not UTF-8 text. Save it from your spreadsheet as 'CSV UTF-8'.") from exc
    if text.count("\x00") * 4 > len(text):  # UTF-16 read as UTF-8: a NUL between every letter
        raise GuidanceImportError(
            "The file is saved as 'Unicode Text' (UTF-16). Save it from your spreadsheet as 'CSV UTF-8'."
        )
    text = text.replace("\x00", "")  # a stray NUL holds nothing, and no database field can store one
    if not text.strip():
        raise GuidanceImportError("The file is empty.")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise GuidanceImportError(
            f"The first row must be the header; missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
            f"Expected: {','.join(REQUIRED + OPTIONAL)}"
        )
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            rows.append({k: (v or "").strip() for k, v in row.items() if k})
            if len(rows) > MAX_ROWS:
                raise GuidanceImportError(f"The file has more than {MAX_ROWS} rows; split it into smaller files.")
    except csv.Error as exc:
        raise GuidanceImportError(f"The file is not valid CSV: {exc}.") from exc
    return rows


def _resolve_refs(refs):
    sections, problems = [], []
    for ref in refs:
        match = re.match(r"^([\w-]+):\s*(.+)$", ref)
        if not match:
            problems.append(f"policy reference '{ref}' should look like social-media:5")
            continue
        slug, number = match.group(1), match.group(2).strip()
        section = PolicySectionPage.objects.filter(
            number__iexact=number, path__startswith=_policy_path(slug) or "-"
        ).first()
        if section is None:
            problems.append(f"no section {number} in a policy called '{slug}'")
        else:
            sections.append(section)
    return sections, problems


def _policy_path(slug):
    policy = PolicyPage.objects.filter(slug=slug).first()
    return policy.path if policy else None


def import_answers(raw_bytes, *, staff_index, public_index, skip_invalid=False, user=None, keep_existing=False):
    rows = read_rows(raw_bytes)
    if not rows:
        raise GuidanceImportError("The file has a header but no answers.")
    existing = {
        _normalise(page.title): page
        for page in GuidanceAnswerPage.objects.filter(
            Q(path__startswith=staff_index.path) | Q(path__startswith=public_index.path)
        )
    }
    report, plans, seen = ImportReport(), [], {}
    audiences = dict(Audience.choices)
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        question, answer, audience = row.get("question", ""), row.get("answer", ""), row.get("audience", "").lower()
        reasons = []
        if not question:
            reasons.append("the question is empty")
        elif len(question) > 255:
            reasons.append("the question is longer than 255 characters")
        if not answer:
            reasons.append("the answer is empty")
        if audience not in audiences:
            reasons.append(f"audience '{row.get('audience', '')}' must be staff, parents or everyone")
        short = row.get("short_answer") or (_short_answer(answer) if answer else "")
        if len(short) > 120:
            reasons.append("the short answer is longer than 120 characters")
        topics = ", ".join(_split(row.get("topics")))
        if len(topics) > 255:
            reasons.append("the topics are longer than 255 characters")
        sections, problems = _resolve_refs(_split(row.get("policy_refs")))
        reasons += problems
        key = _normalise(question) if question else None
        if key and key in seen:
            reasons.append(f"the same question is on row {seen[key]}")
        page = existing.get(key)
        if page is not None and keep_existing and not reasons:
            report.kept.append(question)
            continue
        if (
            page is not None
            and audience in audiences
            and (page.audience == Audience.STAFF) != (audience == Audience.STAFF)
        ):
            reasons.append("this would move the answer between staff and public guidance; move it in the admin")
        if reasons:
            report.rejected.append((number, question, "; ".join(reasons)))
            continue
        seen[key] = number
        plans.append(
            (
                page,
                {
                    "title": question,
                    "short_answer": short,
                    "answer": _paragraphs(answer),
                    "audience": audience,
                    "topics": topics,
                    "also_asked": "\n".join(_split(row.get("also_asked"))),
                },
                sections,
            )
        )

    if report.rejected and not skip_invalid:
        return report
    with transaction.atomic():
        for page, values, sections in plans:
            if page is None:
                parent = staff_index if values["audience"] == Audience.STAFF else public_index
                page = GuidanceAnswerPage(slug=_free_slug(parent, values["title"]), **values)
                page.policy_sections.set(sections)
                parent.add_child(instance=page)
                report.created.append(values["title"])
            else:
                page = page.specific
                for name, value in values.items():
                    setattr(page, name, value)
                page.policy_sections.set(sections)
                report.updated.append(values["title"])
            page.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    report.applied = True
    return report


def _free_slug(parent, title):
    base = slugify(title)[:70].rstrip("-") or "answer"
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
