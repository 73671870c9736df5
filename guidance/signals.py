"""Answers that stay true: an issued version that changes or removes a section an answer rests on flags the
answer for HR (AnswerCheck) until they publish it again or mark it checked."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from core.content import content_changed
from policypages.services import compare_versions, version_issued

from .models import AnswerCheck, GuidanceAnswerPage
from .questions import tell_askers


def changed_lines_text(change, limit=6):
    """A section's change in plain lines for HR, beside the answers resting on it."""
    if change.status == "removed":
        return "The section was removed."
    out = []
    for line in change.changed_lines[:limit]:
        if line.op == "insert":
            out.append(f"Added: {line.new}")
        elif line.op == "delete":
            out.append(f"Taken out: {line.old}")
        else:
            out.append(f"Was: {line.old}\nNow: {line.new}")
    if len(change.changed_lines) > limit:
        out.append(f"... and {len(change.changed_lines) - limit} more changes.")
    return "\n".join(out)


@receiver(version_issued, dispatch_uid="guidance.flag_answers")
def flag_answers_resting_on_changed_sections(sender, version, previous, **kwargs):
    # An editorial version is HR's word that nothing of substance changed (wording, layout): no answer can have
    # stopped being true, so none is flagged.
    if previous is None or version.change_type != version.SUBSTANTIVE:
        return
    changes = {
        change.section_id: change
        for change in compare_versions(previous, version)
        if change.status in ("changed", "removed") and change.section_id
    }
    if not changes:
        return
    cites = GuidanceAnswerPage.policy_sections.through.objects.filter(policysectionpage_id__in=changes)
    AnswerCheck.objects.bulk_create(
        [
            AnswerCheck(
                answer_id=answer_id,
                version=version,
                since_label=previous.label,
                section_id=section_id,
                section_heading=changes[section_id].old_heading or changes[section_id].heading,
                change=changes[section_id].status,
                what_changed=changed_lines_text(changes[section_id]),
            )
            for answer_id, section_id in cites.values_list("guidanceanswerpage_id", "policysectionpage_id")
        ],
        ignore_conflicts=True,
    )


@receiver(page_published, sender=GuidanceAnswerPage, dispatch_uid="guidance.answer_checked_by_publishing")
def answer_published_again(sender, instance, revision=None, **kwargs):
    # HR edited the answer after the policy changed: that is the check.
    AnswerCheck.objects.filter(answer_id=instance.pk, checked_at__isnull=True).update(
        checked_at=timezone.now(), checked_by=getattr(revision, "user", None)
    )


@receiver(page_published, sender=GuidanceAnswerPage, dispatch_uid="guidance.tell_askers")
def tell_the_people_who_asked(sender, instance, **kwargs):
    tell_askers(instance)


@receiver(post_save, sender=AnswerCheck, dispatch_uid="guidance.answer_check_saved")
def answer_check_saved(sender, **kwargs):
    content_changed()  # an answer says when the policy changed since it was written
