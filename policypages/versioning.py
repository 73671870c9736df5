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
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import PageViewRestriction, TaskState, WorkflowState

from .models import (
    ChangeType,
    NumberedSection,
    PolicyApprovalTask,
    PolicyPage,
    PolicySectionPage,
    PolicyVersion,
    PolicyVersionSection,
    VersionStage,
)
from .services import compare_sections, issue_version


@dataclass
class ProposedSection(NumberedSection):
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
    def identity(self):
        return ("page", self.section.pk)


def proposed_sections(policy):
    """Every section of the policy as its newest draft would read, in the policy's order."""
    pages = [
        page
        for page in policy.section_drafts()
        if (page.live or page.in_next_version) and not page.draft.remove_in_next_version
    ]
    restricted = set(
        PageViewRestriction.objects.filter(page__in=[p.pk for p in pages]).values_list("page_id", flat=True)
    )
    return [
        ProposedSection(page, position, page.draft.number, page.draft.title, page.draft.body, page.pk in restricted)
        for position, page in enumerate(pages, start=1)
    ]


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
    if prepared.go_live_at and prepared.go_live_at > timezone.now():
        # Approved for a later date: nothing changes until then (issue_due_versions). The approval holds the
        # policy and its sections locked, so what goes live is what was approved.
        log(
            instance=policy,
            action="policypages.schedule_version",
            user=approver,
            data={"label": prepared.next_version_label, "go_live_at": prepared.go_live_at.isoformat()},
        )
        return None
    return _issue(policy, prepared, workflow_state.current_task_state, approver)


def issue_due_versions(now=None):
    """Issue every version approved for a go-live time that has come, each in its own transaction. Returns
    the versions issued. Run every few minutes (manage.py issue_scheduled_versions), like Wagtail's own
    publish_scheduled."""
    now = now or timezone.now()
    issued = []
    for policy in PolicyPage.objects.filter(has_unpublished_changes=True).order_by("pk"):
        waiting = policy.approved_waiting_to_go_live()
        if waiting is None or waiting[1] > now:
            continue
        approval, _go_live_at = waiting
        with transaction.atomic():
            issued.append(_issue(policy, approval.revision.as_object(), approval, approval.finished_by))
    return issued


def _issue(policy, prepared, approval, approver):
    """Publish the prepared version's changes and issue it, as `approver` approved it in `approval`."""
    workflow_state = approval.workflow_state
    problems = prepared.check_next_version()
    if problems:
        raise ValidationError(list(problems.values()))
    comment = approval.comment or ""
    label = prepared.next_version_label.strip()
    summary = prepared.next_version_summary.strip()
    change_type = prepared.next_version_change_type
    today = timezone.localdate()

    with transaction.atomic():
        # The policy goes live as approved, with its next-version fields emptied for the version after.
        prepared.next_version_label = ""
        prepared.next_version_summary = ""
        prepared.next_version_change_type = ChangeType.SUBSTANTIVE
        prepared.go_live_at = None  # due now (issue_due_versions decided): Wagtail must not schedule it again
        prepared.save_revision(user=workflow_state.requested_by, log_action=False, clean=False).publish(
            user=approver, skip_permission_checks=True
        )
        for section in policy.section_drafts():
            if not section.in_next_version:
                continue
            if section.draft.remove_in_next_version:
                UnpublishPageAction(section, user=approver).execute(skip_permission_checks=True)
                continue
            revision = section.get_latest_revision() or section.save_revision(log_action=False)
            revision.publish(user=approver, skip_permission_checks=True)
        who = approver.get_full_name() or approver.get_username() if approver else ""
        body = workflow_state.workflow.name
        task = approval.task.specific
        if approver and isinstance(task, PolicyApprovalTask) and not task.approves_as_member(approver):
            body = "Policy owner (editorial version)"
        return issue_version(
            policy,
            label=label,
            issued_on=today,
            summary_of_changes=summary,
            change_type=change_type,
            approved_by=f"{body} ({who})" if who else body,
            approved_on=timezone.localdate(approval.finished_at) if approval.finished_at else today,
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
    if draft.stage == VersionStage.WITH_GOVERNORS:
        raise ValidationError("The version is with the governors: wait for them to approve it or send it back.")
    with transaction.atomic():
        if draft.workflow_state is not None:
            draft.workflow_state.cancel(user=user)
        for section in draft.changed_sections:
            if section.live:
                _back_to_live(section, user)
            elif section.first_published_at is None:
                section.delete()  # new in this version: nothing to go back to
            else:  # taken down by an earlier version and brought back in this one: taken down again
                section.draft.remove_in_next_version = True
                section.draft.save_revision(user=user, log_action=False, clean=False)
                type(section).objects.filter(pk=section.pk).update(has_unpublished_changes=False)
        policy = PolicyPage.objects.get(pk=policy.pk)
        if draft.reordered:  # back into the issued version's order
            for section in policy.in_issued_order(list(policy.live_sections())):
                section.move(policy, pos="last-child")
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


def policies_with_unissued_text():
    """{policy id: [section ids]} for every live policy whose live sections are not exactly its current issued
    version (new since, changed since, or missing from it). Three queries for the whole site, whatever its size;
    the dashboard keeps the answer for the content version, which any publish or issue replaces."""
    policies = {p.path: p.pk for p in PolicyPage.objects.live().only("pk", "path")}
    issued = {}  # policy id -> {section id: revision id} of its newest version
    newest = {}
    for version_id, policy_id in (
        PolicyVersion.objects.filter(policy_id__in=policies.values())
        .order_by("policy_id", "-issued_at")
        .values_list("pk", "policy_id")
    ):
        newest.setdefault(policy_id, version_id)
    for version_id, section_id, revision_id in PolicyVersionSection.objects.filter(
        version_id__in=newest.values()
    ).values_list("version_id", "section_id", "revision_id"):
        issued.setdefault(version_id, {})[section_id] = revision_id
    found = {}
    live = PolicySectionPage.objects.live().values_list("pk", "path", "live_revision_id")
    seen = {}
    for section_id, path, revision_id in live:
        policy_id = policies.get(path[: -PolicySectionPage.steplen])
        if policy_id is None:
            continue
        seen.setdefault(policy_id, set()).add(section_id)
        held = issued.get(newest.get(policy_id), {})
        if held.get(section_id, "missing") != revision_id:
            found.setdefault(policy_id, []).append(section_id)
    for policy_id, version_id in newest.items():
        if set(issued.get(version_id, {})) - {None} - seen.get(policy_id, set()):
            found.setdefault(policy_id, [])  # a section the version holds is no longer live
    return found
