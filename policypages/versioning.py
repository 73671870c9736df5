"""The next version of a policy: what HR prepares, governors approve, and staff then read.

HR prepares a version by editing the policy's sections (each keeps its own drafts and history) and writing the
version's number, kind and summary on the policy itself; then submits the policy once to the governors'
workflow. Nothing of it is live until they approve: sections cannot be published on their own
(policypages/permissions.py), and while the version is with the governors its sections are locked.
Approval (Wagtail's finish action, policypages/workflows.py) publishes every changed section and the policy
and issues the version with its snapshot, inside the approval's own transaction: all of it, or none.
"""

import difflib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import PageViewRestriction, TaskState, WorkflowState

from .models import (
    WITH_GOVERNORS,
    ChangeType,
    PolicyPage,
    PolicySectionPage,
    section_anchor,
    section_heading,
)
from .services import compare_sections, issue_version


@dataclass
class ProposedSection:
    """A section as the next version would issue it: its newest draft."""

    section: PolicySectionPage
    position: int
    number: str
    title: str
    body: object
    staff_only: bool

    @property
    def section_id(self):
        return self.section.pk

    @property
    def heading(self):
        return section_heading(self.number, self.title)

    @property
    def anchor(self):
        return section_anchor(self.number, self.position)

    @property
    def identity(self):
        return ("page", self.section.pk)


def proposed_sections(policy):
    """Every section of the policy as its newest draft would read, in the policy's order."""
    pages = list(PolicySectionPage.objects.child_of(policy).order_by("path"))
    restricted = set(
        PageViewRestriction.objects.filter(page__in=[p.pk for p in pages]).values_list("page_id", flat=True)
    )
    proposed = []
    for position, page in enumerate(pages, start=1):
        draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
        proposed.append(ProposedSection(page, position, draft.number, draft.title, draft.body, page.pk in restricted))
    return proposed


def redline(policy):
    """Section by section, what the prepared version changes from the issued one: words added and removed,
    sections added, removed and moved. Everything is shown: governors and HR see staff-only sections too."""
    current = policy.current_version
    before = list(current.sections.all()) if current else []
    after = proposed_sections(policy)
    changes = compare_sections(before, after)
    # A section that kept its words but changed place is "moved": outside the longest run kept in order.
    old_order = [s.identity for s in before]
    new_order = [s.identity for s in after if s.identity in set(old_order)]
    matcher = difflib.SequenceMatcher(a=old_order, b=new_order, autojunk=False)
    in_order = {new_order[j + k] for _i, j, n in matcher.get_matching_blocks() for k in range(n)}
    by_anchor = {s.anchor: s.identity for s in after}
    for change in changes:
        identity = by_anchor.get(change.anchor)
        change.moved = change.status != "added" and identity in set(new_order) and identity not in in_order
    return changes


def draft_version(policy):
    """The version being prepared for `policy` (models.DraftVersion), or None when nothing differs from what
    is live."""
    return policy.draft_version()


# --- approval issues it -------------------------------------------------------------------------


def issue_approved_version(workflow_state, approver):
    """Governors approved the policy's prepared version: publish every changed section and the policy, and
    issue the version with its snapshot. Runs inside the approval's transaction (TaskState.approve), so a
    failure here leaves the approval, the pages and the versions exactly as they were."""
    policy = workflow_state.content_object.specific
    prepared = policy.get_latest_revision().as_object()
    problems = prepared.check_next_version()
    if problems:
        raise ValidationError(list(problems.values()))
    approval = workflow_state.current_task_state
    comment = (approval.comment if approval else "") or ""
    label = prepared.next_version_label.strip()
    summary = prepared.next_version_summary.strip()
    change_type = prepared.next_version_change_type
    today = timezone.localdate()

    with transaction.atomic():
        # The policy goes live as approved, with its next-version fields emptied for the version after.
        prepared.next_version_label = ""
        prepared.next_version_summary = ""
        prepared.next_version_change_type = ChangeType.SUBSTANTIVE
        prepared.save_revision(user=workflow_state.requested_by, log_action=False, clean=False).publish(
            user=approver, skip_permission_checks=True
        )
        for section in PolicySectionPage.objects.child_of(policy).order_by("path"):
            if section.live and not section.has_unpublished_changes:
                continue
            revision = section.get_latest_revision() or section.save_revision(log_action=False)
            revision.publish(user=approver, skip_permission_checks=True)
        who = approver.get_full_name() or approver.get_username() if approver else ""
        return issue_version(
            policy,
            label=label,
            issued_on=today,
            summary_of_changes=summary,
            change_type=change_type,
            approved_by=f"{workflow_state.workflow.name} ({who})" if who else workflow_state.workflow.name,
            approved_on=today,
            issued_by=workflow_state.requested_by,
            approver=approver,
            approval_comment=comment,
        )


# --- abandoning a prepared version ------------------------------------------------------------


def abandon_draft_version(policy, user):
    """Throw away everything prepared for the next version: each changed section goes back to its live text
    (a section never published is deleted), the policy's own draft too. The live policy is untouched."""
    draft = draft_version(policy)
    if draft is None:
        raise ValidationError("There is no prepared version to abandon.")
    if not policy.live:
        raise ValidationError(
            "This policy has never been issued, so there is nothing to go back to. Delete it if it is not wanted."
        )
    if draft.stage == WITH_GOVERNORS:
        raise ValidationError("The version is with the governors: wait for them to approve it or send it back.")
    with transaction.atomic():
        if draft.workflow_state is not None:
            draft.workflow_state.cancel(user=user)
        for section in draft.changed_sections:
            if not section.live:
                section.delete()
                continue
            _back_to_live(section, user)
        policy = PolicyPage.objects.get(pk=policy.pk)
        if policy.has_unpublished_changes and policy.live:
            _back_to_live(policy, user)
        log(
            instance=policy,
            action="policypages.abandon_version",
            user=user,
            data={"label": draft.label, "sections": [s.pk for s in draft.changed_sections]},
        )
    return draft


def _back_to_live(page, user):
    """A new draft equal to the live text, so the editor opens on what readers see (the drafts stay in the
    page's history)."""
    live = page.live_revision.as_object()
    live.save_revision(user=user, log_action=False, clean=False)
    type(page).objects.filter(pk=page.pk).update(has_unpublished_changes=False)


# --- live text that no version holds (sites that published sections before versions were approved) ---


def unissued_live_sections(policy):
    """Live sections whose live text is not the text of the current issued version."""
    current = policy.current_version
    issued = {s.section_id: s.revision_id for s in current.sections.all()} if current else {}
    return [
        section
        for section in PolicySectionPage.objects.child_of(policy).live().order_by("path")
        if issued.get(section.pk) != section.live_revision_id
    ]


@dataclass
class WaitingVersion:
    policy: PolicyPage
    label: str
    summary: str
    submitted_at: object
    submitted_by: object


def versions_waiting_for(user):
    """The policy versions whose current approval task `user` may decide, oldest first."""
    states = list(
        TaskState.objects.reviewable_by(user)
        .filter(workflow_state__status=WorkflowState.STATUS_IN_PROGRESS)
        .select_related("workflow_state__requested_by", "revision")
        .order_by("workflow_state__created_at")
    )
    policy_ids = [int(state.workflow_state.object_id) for state in states]
    policies = PolicyPage.objects.in_bulk(policy_ids)
    waiting = []
    for state in states:
        policy = policies.get(int(state.workflow_state.object_id))
        if policy is None:
            continue  # a page of another kind waiting on the same task
        prepared = state.revision.as_object() if state.revision else policy
        waiting.append(
            WaitingVersion(
                policy=policy,
                label=prepared.next_version_label,
                summary=prepared.next_version_summary,
                submitted_at=state.workflow_state.created_at,
                submitted_by=state.workflow_state.requested_by,
            )
        )
    return waiting
