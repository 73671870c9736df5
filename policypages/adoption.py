"""A trust's policies and its schools' copies (issue 19).

A trust writes a policy once, in its own site (a site no school owns), and says who it is for
(PolicyPage.sharing): every school as written, or every school adopting it with local sections. A school that
adopts one gets its own copy: an ordinary policy in the school's site, with the trust's text and, where the
trust marked a section adaptable, the school's own. Because the copy is an ordinary policy it has everything a
policy has: its own versions (labelled from both, "Trust 4 · Oakbrook 4.1"), its own approval by the school's
governors, its own read receipts and reminders, its own PDF and history.

When the trust issues a version:
- editorial: the trust's wording flows into every copy at once, as an editorial version of the copy (staff
  are not asked to read again), unless the copy is part-way through a version of its own, when it waits as a
  task like a substantive one;
- substantive: every copy gets a re-adoption task (ReadoptionTask). Until the school issues its re-adopted
  version, the copy stays as its governors approved it and says that a newer trust version exists.
The trust's sections are not the school's to edit: SectionPermissionTester refuses them in a copy.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import log
from wagtail.models import PageViewRestriction

from schools.models import School

from .models import (
    ChangeType,
    PolicyIndexPage,
    PolicyPage,
    PolicySectionPage,
    PolicyVersion,
    ReadoptionTask,
    Sharing,
    label_key,
)
from .services import compare_sections, issue_version, version_issued

# --- where things are ------------------------------------------------------------------------


def index_for_copy(trust_policy, school):
    """Where a school's copy goes: the school's list of policies in the same place as the trust's (the staff
    hub's, or the public one)."""
    if school.site is None:
        raise ValidationError(f"{school} has no site of its own yet: give it one under Settings → Schools.")
    trust_index = trust_policy.get_parent()
    place = trust_index.get_parent().specific_class
    indexes = list(PolicyIndexPage.objects.descendant_of(school.site.root_page).order_by("depth", "path"))
    for index in indexes:
        if index.get_parent().specific_class is place:
            return index
    if indexes:
        return indexes[0]
    raise ValidationError(f"{school} has no list of policies to put its copy in.")


def copy_in(school, trust_policy):
    """The school's copy of `trust_policy`, or None."""
    if school.site is None:
        return None
    return PolicyPage.objects.descendant_of(school.site.root_page).filter(adopted_from=trust_policy).first()


def to_adopt(school):
    """The trust's policies for schools to adopt that this school has not yet adopted."""
    if school.site is None:
        return []
    adopted = PolicyPage.objects.descendant_of(school.site.root_page).exclude(adopted_from=None)
    return list(
        PolicyPage.objects.live()
        .filter(sharing=Sharing.ADOPTED)
        .exclude(pk__in=adopted.values("adopted_from"))
        .order_by("title")
    )


# --- labels ----------------------------------------------------------------------------------


def next_school_label(copy, trust_version):
    """The school's own number for its next version on `trust_version`: the trust's main number, then the
    school's count (4.1, 4.2, ... then 5.1 on the trust's version 5)."""
    major = label_key(trust_version.label)[0]
    latest = copy.issued_versions.order_by("-issued_at").first() if copy.pk else None
    if latest is not None:
        parts = label_key(latest.label)
        if parts[0] == major:
            return f"{major}.{(parts[1] if len(parts) > 1 else 0) + 1}"
        if parts[0] > major:
            return f"{parts[0]}.{(parts[1] if len(parts) > 1 else 0) + 1}"
    return f"{major}.1"


# --- adopting --------------------------------------------------------------------------------


def _restrict_like(page, original_id):
    """A staff-only trust section stays staff-only in the school's copy."""
    for restriction in PageViewRestriction.objects.filter(page_id=original_id):
        copy = PageViewRestriction.objects.create(
            page=page, restriction_type=restriction.restriction_type, password=restriction.password
        )
        copy.groups.set(restriction.groups.all())


def adopt(trust_policy, school, user):
    """Give `school` its copy of `trust_policy`: the trust's current version as drafts in the school's list of
    policies, ready for the school to write its local sections and send to its governors. Nothing is live
    until they approve it."""
    trust_policy = PolicyPage.objects.get(pk=trust_policy.pk)
    if trust_policy.sharing != Sharing.ADOPTED:
        raise ValidationError(f"'{trust_policy.title}' is not a trust policy for schools to adopt.")
    version = trust_policy.current_version
    if version is None:
        raise ValidationError(f"The trust has not issued '{trust_policy.title}' yet: there is nothing to adopt.")
    if copy_in(school, trust_policy) is not None:
        raise ValidationError(f"{school} has already adopted '{trust_policy.title}'.")
    index = index_for_copy(trust_policy, school)
    with transaction.atomic():
        copy = PolicyPage(
            title=trust_policy.title,
            slug=_free_slug(index, trust_policy.slug),
            summary=trust_policy.summary,
            legislation=trust_policy.legislation,
            acknowledgement_required=trust_policy.acknowledgement_required,
            adopted_from=trust_policy,
            adopted_trust_version=version,
            next_version_label=next_school_label(PolicyPage(), version),
            next_version_summary=f"{school.display_name} adopts the trust's version {version.label}.",
            next_version_change_type=ChangeType.SUBSTANTIVE,
            live=False,
            owner=user,
        )
        index.add_child(instance=copy)
        copy.applies_to.set(trust_policy.applies_to.all())
        copy.save_revision(user=user, log_action=True)
        for snapshot in version.sections.order_by("position"):
            _add_section(copy, snapshot, user)
        log(
            instance=copy,
            action="policypages.adopt",
            user=user,
            data={"trust_policy": trust_policy.pk, "trust_version": version.label, "school": school.pk},
        )
    return copy


def _free_slug(parent, slug):
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _add_section(copy, snapshot, user):
    """A new draft section of `copy` with the trust's text of one issued section."""
    section = PolicySectionPage(
        title=snapshot.title,
        slug=_free_slug(copy, slugify(f"{snapshot.number} {snapshot.title}")[:70] or "section"),
        number=snapshot.number,
        body=snapshot.body.raw_data,
        trust_section_id=snapshot.section_id,
        live=False,
        owner=user,
    )
    copy.add_child(instance=section)
    section.save_revision(user=user, log_action=False)
    if snapshot.section_id:
        _restrict_like(section, snapshot.section_id)
    return section


def is_local(section):
    """A section of a school's copy that the school writes: the trust marked it adaptable, or the school added
    it."""
    return not section.follows_trust_text


# --- the trust issues a version ----------------------------------------------------------------


def newer_trust_version(copy):
    """The trust's substantive version newer than the one the school's copy follows, or None."""
    if copy.adopted_from_id is None or copy.adopted_trust_version_id is None:
        return None
    followed = copy.adopted_trust_version
    return (
        PolicyVersion.objects.filter(
            policy_id=copy.adopted_from_id, change_type=ChangeType.SUBSTANTIVE, issued_at__gt=followed.issued_at
        )
        .order_by("-issued_at")
        .first()
    )


@receiver(version_issued, dispatch_uid="policypages.adoption")
def _on_version_issued(sender, version, previous, **kwargs):
    policy = version.policy
    if policy.sharing == Sharing.ADOPTED:
        for copy in PolicyPage.objects.filter(adopted_from=policy).order_by("pk"):
            _reach_copy(copy, version, previous)
    elif policy.adopted_from_id and version.trust_version_id:
        # The school issued its copy on a trust version: the tasks that version answers are done.
        ReadoptionTask.objects.filter(
            copy=policy, done_at=None, trust_version__issued_at__lte=version.trust_version.issued_at
        ).update(done_version=version, done_at=timezone.now())


def _reach_copy(copy, version, previous):
    if not copy.live:
        return  # adopted but not yet approved: the school's governors approve whatever it starts from
    if version.change_type == ChangeType.EDITORIAL and previous is not None:
        why = _why_editorial_waits(copy, version, previous)
        if not why:
            _flow_in_editorial(copy, version, previous)
            return
    else:
        why = ""
    ReadoptionTask.objects.get_or_create(copy=copy, trust_version=version, defaults={"why": why})


def _why_editorial_waits(copy, version, previous):
    if copy.has_unpublished_changes or copy.draft_version() is not None:
        return "The school was preparing a version of its own when the trust's wording changed."
    before = {s.section_id for s in previous.sections.all()}
    after = {s.section_id for s in version.sections.all()}
    if before != after:
        return "The trust's version adds or removes sections."
    return ""


def _flow_in_editorial(copy, version, previous):
    """The trust's changed wording goes straight into the school's copy, as an editorial version of it."""
    copies = {s.trust_section_id: s for s in PolicySectionPage.objects.child_of(copy).live()}
    old = {s.section_id: s for s in previous.sections.all()}
    for snapshot in version.sections.all():
        section = copies.get(snapshot.section_id)
        was = old.get(snapshot.section_id)
        if section is None or was is None or is_local(section):
            continue
        if (was.title, was.number, was.body.raw_data) == (snapshot.title, snapshot.number, snapshot.body.raw_data):
            continue
        section.title, section.number, section.body = snapshot.title, snapshot.number, snapshot.body.raw_data
        section.save_revision(user=version.issued_by, log_action=False, clean=False).publish(
            user=version.issued_by, skip_permission_checks=True
        )
    copy = PolicyPage.objects.get(pk=copy.pk)
    copy.adopted_trust_version = version
    copy.save_revision(user=version.issued_by, log_action=False, clean=False).publish(
        user=version.issued_by, skip_permission_checks=True
    )
    issue_version(
        copy,
        label=next_school_label(copy, version),
        issued_on=version.issued_on,
        summary_of_changes=f"The trust's wording (trust version {version.label}): {version.summary_of_changes}",
        change_type=ChangeType.EDITORIAL,
        approved_by=f"The trust: {version.approved_by}",
        approved_on=version.approved_on,
        issued_by=version.issued_by,
        approver=version.approver,
    )


# --- the school re-adopts ----------------------------------------------------------------------


def trust_redline(task):
    """What the trust changed from the version the school's copy follows to the task's version."""
    copy = task.copy
    before = list(copy.adopted_trust_version.sections.all()) if copy.adopted_trust_version_id else []
    return compare_sections(before, list(task.trust_version.sections.all()))


def start_readoption(task, user):
    """Prepare the school's next version on the trust's new one: the trust's sections take its new text, new
    trust sections are added, dropped ones are marked for removal, the school's local sections stay as the
    school wrote them (for HR to check) and the trust's order is kept. The school's governors then approve it
    like any version; until then readers keep the version they have."""
    copy = PolicyPage.objects.get(pk=task.copy_id)
    if task.done_at is not None:
        raise ValidationError("This re-adoption is done already.")
    if copy.workflow_in_progress or copy.approved_waiting_to_go_live():
        raise ValidationError(
            f"A version of '{copy.title}' is with the governors: wait for them to decide, then re-adopt."
        )
    version = task.trust_version
    with transaction.atomic():
        drafts = {s.trust_section_id: s for s in copy.section_drafts() if s.trust_section_id}
        wanted = set()
        for snapshot in version.sections.order_by("position"):
            wanted.add(snapshot.section_id)
            page = drafts.get(snapshot.section_id)
            if page is None:
                _add_section(copy, snapshot, user)
                continue
            section = page.draft
            section.remove_in_next_version = False
            if not is_local(page):
                section.title, section.number = snapshot.title, snapshot.number
                section.body = snapshot.body.raw_data
            section.save_revision(user=user, log_action=False, clean=False)
        for trust_section_id, page in drafts.items():
            if trust_section_id not in wanted:
                if page.live:
                    page.draft.remove_in_next_version = True
                    page.draft.save_revision(user=user, log_action=False, clean=False)
                else:
                    page.delete()
        order = {s.section_id: s.position for s in version.sections.all()}
        for page in sorted(
            PolicySectionPage.objects.child_of(copy), key=lambda p: order.get(p.trust_section_id, 10_000)
        ):
            page.move(copy, pos="last-child")
        copy = PolicyPage.objects.get(pk=copy.pk)
        prepared = copy.get_latest_revision_as_object()
        prepared.adopted_trust_version = version
        prepared.next_version_label = next_school_label(copy, version)
        prepared.next_version_change_type = version.change_type
        prepared.next_version_summary = f"Re-adopts the trust's version {version.label}: {version.summary_of_changes}"
        prepared.save_revision(user=user, log_action=False, clean=False)
        ReadoptionTask.objects.filter(pk=task.pk).update(started_by=user, started_at=timezone.now())
        log(instance=copy, action="policypages.readopt", user=user, data={"trust_version": version.label})
    return copy


def open_tasks(schools=None):
    """Open re-adoption tasks, oldest first, for copies in `schools`' sites (None: every school's)."""
    tasks = ReadoptionTask.objects.filter(done_at=None).select_related("copy", "trust_version__policy")
    if schools is not None:
        roots = [
            s.site.root_page.path
            for s in School.objects.filter(pk__in=schools).exclude(site=None).select_related("site__root_page")
        ]
        if not roots:
            return []
        near = Q()
        for root in roots:
            near |= Q(copy__path__startswith=root)
        tasks = tasks.filter(near)
    return list(tasks.order_by("created_at"))
