"""Rules for issuing and comparing policy versions. Views and commands call these; they hold no rules."""

import difflib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.log_actions import log
from wagtail.models import PageViewRestriction

from schools.services import school_of_page

from .blocks import body_lines
from .models import PolicyPage, PolicyVersion, PolicyVersionSection

# Sent inside the transaction that issues a version (version=, previous= the version it replaces, or None):
# the apps above this one listen (guidance flags the answers that cite a section it changed).
version_issued = Signal()


def full_label(policy, label):
    """What readers see of a school's copy of a trust policy: "Trust 4 · Oakbrook 4.1", from the trust's
    version it follows and the school's own number ("" for any other policy)."""
    if policy.adopted_from_id is None or policy.adopted_trust_version_id is None:
        return ""
    school = school_of_page(policy)
    return f"Trust {policy.adopted_trust_version.label} · {school.display_name if school else 'School'} {label}"


def validate_label(policy, label):
    return policy.check_label(label)


def suggested_next_label(policy, substantive=True):
    return policy.suggested_next_label(substantive)


def issue_version(
    policy,
    *,
    label,
    issued_on,
    summary_of_changes,
    change_type,
    approved_by,
    approved_on,
    issued_by,
    approver=None,
    approval_comment="",
):
    """Issue a new version: record it and snapshot every live section exactly as readers see it now."""
    policy = PolicyPage.objects.get(pk=policy.pk)
    label = validate_label(policy, label)
    if not summary_of_changes or not summary_of_changes.strip():
        raise ValidationError({"summary_of_changes": "Say what changed, in a sentence or two."})
    if change_type not in dict(PolicyVersion.CHANGE_TYPES):
        raise ValidationError({"change_type": "Choose substantive or editorial."})
    if not policy.live:
        raise ValidationError("Publish the policy before issuing a version of it.")
    previous = policy.issued_versions.order_by("-issued_at").first()
    sections = list(policy.live_sections().specific())
    if not sections:
        raise ValidationError("The policy has no published sections to issue.")
    restricted = set(
        PageViewRestriction.objects.filter(page__in=[s.pk for s in sections]).values_list("page_id", flat=True)
    )
    try:
        with transaction.atomic():
            version = PolicyVersion.objects.create(
                policy=policy,
                label=label,
                issued_on=issued_on,
                summary_of_changes=summary_of_changes.strip(),
                change_type=change_type,
                approved_by=approved_by.strip(),
                approved_on=approved_on,
                approver=approver,
                approval_comment=(approval_comment or "").strip(),
                issued_by=issued_by,
                policy_revision=policy.live_revision,
                trust_version=policy.adopted_trust_version if policy.adopted_from_id else None,
                full_label=full_label(policy, label),
            )
            PolicyVersionSection.objects.bulk_create(
                [
                    PolicyVersionSection(
                        version=version,
                        section=section,
                        revision=section.live_revision,
                        position=position,
                        number=section.number,
                        title=section.title,
                        body=section.body.raw_data,
                        staff_only=section.pk in restricted,
                    )
                    for position, section in enumerate(sections, start=1)
                ]
            )
            log(
                instance=policy,
                action="policypages.issue_version",
                user=issued_by,
                data={
                    "label": label,
                    "change_type": change_type,
                    "sections": len(sections),
                    "approved_by": approved_by.strip(),
                    "approval_comment": (approval_comment or "").strip(),
                },
            )
            # In the same transaction, so what other apps keep about versions is made with it or not at all.
            version_issued.send(sender=PolicyVersion, version=version, previous=previous)
    except IntegrityError as exc:
        # Two editors issuing the same label at once: the unique constraint decides, and says so.
        raise ValidationError({"label": f"Version {label} has just been issued by someone else."}) from exc
    return version


# --- comparing versions ----------------------------------------------------------------------


@dataclass
class LineChange:
    op: str  # "equal", "insert", "delete", "replace"
    old: str = ""
    new: str = ""
    html: str = ""


@dataclass
class SectionChange:
    status: str  # "added", "removed", "changed", "unchanged"
    heading: str
    old_heading: str = ""
    anchor: str = ""
    lines: list = field(default_factory=list)
    moved: bool = False  # same words, new place (set by versioning.redline)
    section_id: int | None = None  # the section page, where it still exists

    @property
    def changed_lines(self):
        return [line for line in self.lines if line.op != "equal"]


def _word_diff(old, new):
    """Mark words removed and added within a changed line, escaping everything else."""
    old_words, new_words = old.split(), new.split()
    out = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old_words[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(' '.join(old_words[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(' '.join(new_words[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))


def _similar(old, new):
    return difflib.SequenceMatcher(a=old.split(), b=new.split(), autojunk=False).ratio() >= 0.6


def diff_lines(old_lines, new_lines):
    changes = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes += [LineChange("equal", line, line, escape(line)) for line in old_lines[i1:i2]]
        elif op == "delete":
            changes += [
                LineChange("delete", line, "", mark_safe(f"<del>{escape(line)}</del>")) for line in old_lines[i1:i2]
            ]
        elif op == "insert":
            changes += [
                LineChange("insert", "", line, mark_safe(f"<ins>{escape(line)}</ins>")) for line in new_lines[j1:j2]
            ]
        else:
            olds, news = old_lines[i1:i2], new_lines[j1:j2]
            for k in range(max(len(olds), len(news))):
                o = olds[k] if k < len(olds) else ""
                n = news[k] if k < len(news) else ""
                if o and n and _similar(o, n):
                    changes.append(LineChange("replace", o, n, _word_diff(o, n)))
                    continue
                # A rewritten sentence reads better as old-out, new-in than as a word salad.
                if o:
                    changes.append(LineChange("delete", o, "", mark_safe(f"<del>{escape(o)}</del>")))
                if n:
                    changes.append(LineChange("insert", "", n, mark_safe(f"<ins>{escape(n)}</ins>")))
    return changes


def compare_versions(old, new, request=None):
    """Section by section, what changed from `old` to `new`: added, removed, changed or unchanged."""
    old_sections = old.sections_for(request) if request else list(old.sections.all())
    new_sections = new.sections_for(request) if request else list(new.sections.all())
    return compare_sections(old_sections, new_sections)


def compare_sections(old_sections, new_sections):
    """What changed between two lists of sections (issued, or as drafted), matched by their identity."""
    old_by_id = {s.identity: s for s in old_sections}
    new_ids = {s.identity for s in new_sections}
    result = []
    for section in new_sections:
        before = old_by_id.get(section.identity)
        if before is None:
            lines = [
                LineChange("insert", "", line, mark_safe(f"<ins>{escape(line)}</ins>"))
                for line in body_lines(section.body)
            ]
            result.append(
                SectionChange(
                    "added", section.heading, anchor=section.anchor, lines=lines, section_id=section.section_id
                )
            )
            continue
        lines = diff_lines(body_lines(before.body), body_lines(section.body))
        renamed = before.heading != section.heading
        status = "changed" if renamed or any(line.op != "equal" for line in lines) else "unchanged"
        result.append(
            SectionChange(
                status,
                section.heading,
                old_heading=before.heading if renamed else "",
                anchor=section.anchor,
                lines=lines,
                section_id=section.section_id,
            )
        )
    for section in old_sections:
        if section.identity not in new_ids:
            lines = [
                LineChange("delete", line, "", mark_safe(f"<del>{escape(line)}</del>"))
                for line in body_lines(section.body)
            ]
            result.append(
                SectionChange(
                    "removed", section.heading, anchor=section.anchor, lines=lines, section_id=section.section_id
                )
            )
    return result
