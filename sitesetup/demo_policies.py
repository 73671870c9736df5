"""Builds one demo policy from its data file (demo_school/policies/*.json), replaying its history as HR and the
governors lived it: the first sections, then for each version what changed before it was issued, then the
version itself through the real service; and, if the file says so, a next version waiting for the governors."""

from django.db import transaction
from django.test.utils import override_settings
from wagtail.models import PageViewRestriction

from declarations.models import RecordFormPage
from policypages.models import PolicyPage, PolicySectionPage, PolicyVersion
from policypages.services import issue_version

from .demo_data import DemoDataError, day, linked_blocks

CHANGE_TYPES = {"substantive": PolicyVersion.SUBSTANTIVE, "editorial": PolicyVersion.EDITORIAL}


def publish(page, user):
    # The demo stands in for content governors have already approved.
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)


def build_policy(index, data, users, email_domain):
    """Create the policy `data` describes under `index`, unless a policy with its slug is already there."""
    if PolicyPage.objects.child_of(index).filter(slug=data["slug"]).exists():
        return None
    owner = _user(users, data["owner"], data["slug"])
    policy = PolicyPage(
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        policy_owner=owner,
        contact_email=f"hr@{email_domain}",
        key_staff="Headteacher; Designated safeguarding lead; HR and policy manager",
        last_reviewed=day(data["last_reviewed"]),
        next_review_due=day(data["next_review_due"]),
        legislation="\n".join(data.get("legislation", [])),
    )
    index.add_child(instance=policy)
    publish(policy, owner)
    if data.get("staff_only"):
        PageViewRestriction.objects.create(page=policy, restriction_type=PageViewRestriction.LOGIN)
    _add_sections(policy, data["sections"], owner, staff_only=data.get("staff_only_sections", ()))
    for version in data["versions"]:
        _change_sections(policy, version.get("changed_sections", ()), owner, publish_them=True)
        _add_sections(policy, version.get("new_sections", ()), owner)
        if "forms" in version:
            _link_forms(policy, version["forms"], owner)
        if "understanding_check" in version:
            _add_understanding_check(policy, version["understanding_check"], owner)
        _issue(policy, version, owner)
    if "waiting_for_approval" in data:
        _submit_next_version(policy, data["waiting_for_approval"], owner)
    return policy


def _user(users, key, slug):
    if key not in users:
        raise DemoDataError(f"Policy '{slug}' names an owner '{key}' who is not a demo user.")
    return users[key]


def _sections(policy):
    return {section.number: section for section in PolicySectionPage.objects.child_of(policy).specific()}


def _add_sections(policy, sections, user, staff_only=(), live=True):
    for entry in sections:
        section = PolicySectionPage(
            title=entry["title"], slug=entry["slug"], number=entry["number"], body=linked_blocks(entry["body"])
        )
        if not live:
            section.live = False
        policy.add_child(instance=section)
        if live:
            publish(section, user)
        else:
            section.save_revision(user=user)
        if entry["number"] in staff_only:
            PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)


def _change_sections(policy, changes, user, *, publish_them):
    sections = _sections(policy)
    for change in changes:
        section = sections.get(change["section"])
        if section is None:
            raise DemoDataError(f"Policy '{policy.slug}' changes a section {change['section']} it does not have.")
        section.number, section.title, section.body = change["number"], change["title"], linked_blocks(change["body"])
        if publish_them:
            publish(section, user)
        else:
            section.save_revision(user=user)


def _link_forms(policy, forms, user):
    """A button to the form at the end of each section that asks for a declaration, a report or a request,
    and the form page's list of the sections it implements."""
    sections = _sections(policy)
    for form_page in RecordFormPage.objects.all():
        numbers = forms.get(form_page.form, ())
        for number in numbers:
            section = sections.get(number)
            if section and not any(block.block_type == "form_link" for block in section.body):
                section.body.append(("form_link", {"page": form_page, "label": "", "text": ""}))
                publish(section, user)
        if numbers and not form_page.policy_sections.exists():
            form_page.policy_sections.set([sections[n] for n in numbers if n in sections])
            publish(form_page, user)


@transaction.atomic
def _add_understanding_check(policy, questions, user):
    sections = _sections(policy)
    policy = PolicyPage.objects.get(pk=policy.pk)
    check = []
    for question in questions:
        if question["section"] not in sections:
            raise DemoDataError(f"A check question in '{policy.slug}' names a section it does not have.")
        check.append(("question", {**question, "section": sections[question["section"]]}))
    policy.understanding_check = check
    publish(policy, user)


def _issue(policy, version, user):
    return issue_version(
        policy,
        label=version["label"],
        issued_on=day(version["issued_on"]),
        summary_of_changes=version["summary"],
        change_type=CHANGE_TYPES[version["change_type"]],
        approved_by="Full governing body",
        approved_on=day(version["approved_on"]),
        issued_by=user,
    )


def _submit_next_version(policy, version, hr):
    """HR's next version, prepared after the review and submitted to the governors: the governor's dashboard
    shows it, marked against the issued one (policypages/versioning.py)."""
    _change_sections(policy, version.get("changed_sections", ()), hr, publish_them=False)
    _add_sections(policy, version.get("new_sections", ()), hr, live=False)
    policy = PolicyPage.objects.get(pk=policy.pk)
    policy.next_version_label = version["label"]
    policy.next_version_summary = version["summary"]
    policy.save_revision(user=hr)
    # Wagtail emails the governors about a submission; nobody is emailed about a school being built.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        policy.get_workflow().start(policy, hr)


def relate_policies(data, user):
    """The policies a policy's file lists as related, once they all exist."""
    policy = PolicyPage.objects.filter(slug=data["slug"]).first()
    others = PolicyPage.objects.filter(slug__in=data.get("related_policies", ()))
    if policy and others and not policy.related_policies.exists():
        policy.related_policies.set(others)
        publish(policy, user)
