"""Build the demo school on top of setup_site. Idempotent: content that exists is left alone."""

import base64
import datetime
import hashlib
import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings
from wagtail.models import PageViewRestriction

from accounts import roles
from accounts.mfa import needs_mfa
from accounts.signals import building_the_demo_school
from declarations.models import RecordFormPage
from policypages.models import PolicyPage, PolicySectionPage, PolicyVersion
from policypages.services import issue_version

from . import demo_content as content
from .demo_answers import load_demo_answers
from .demo_branding import ensure_branding, ensure_official_accounts
from .setup import setup_site

DEMO_DOMAIN = "oakbrook.example"
DEFAULT_DEMO_PASSWORD = "oakbrook-demo-2026"

DEMO_USERS = [
    # email, first, last, job title, groups, superuser
    ("staff", "Sam", "Patel", "Class teacher", [roles.STAFF], False),
    ("hr", "Helen", "Rhodes", "HR and policy manager", [roles.STAFF, roles.POLICY_EDITORS], False),
    ("head", "Marcus", "Okafor", "Headteacher", [roles.STAFF, roles.SENIOR_LEADERS], False),
    # Only the DSL, not also a senior leader, so the demo shows the DSL's narrower access (docs/roles.md).
    ("dsl", "Priya", "Shah", "Designated safeguarding lead", [roles.STAFF, roles.SAFEGUARDING_LEAD], False),
    ("governor", "Gwen", "Lloyd", "Chair of governors", [roles.STAFF, roles.GOVERNORS], False),
    ("admin", "Alex", "Morgan", "Site administrator", [roles.STAFF, roles.SITE_ADMINS], True),
]


def demo_password():
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def demo_totp_secret(email):
    """A fixed authenticator secret per demo user, so a reviewer can sign in as HR without a phone."""
    digest = hashlib.sha1(f"oakbrook-demo-totp:{email.lower()}".encode()).digest()
    return base64.b32encode(digest).decode()


def current_totp_code(email):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(demo_totp_secret(email), counters[len(counters) // 2]))


def ensure_demo_mfa(users, report):
    """Privileged demo users already have an authenticator, as the real ones must (accounts.mfa)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    for user in users.values():
        if needs_mfa(user) and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, demo_totp_secret(user.email))
            report.append(f"Set up two-step verification for {user.email}")


def ensure_demo_users(report):
    User = get_user_model()
    users = {}
    for key, first, last, job, group_names, superuser in DEMO_USERS:
        email = f"{key}@{DEMO_DOMAIN}"
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                username=key,
                email=email,
                password=demo_password(),
                first_name=first,
                last_name=last,
                job_title=job,
                is_superuser=superuser,
                is_staff=superuser,
                start_date=datetime.date(2022, 9, 1),
            )
            report.append(f"Created demo user {email}")
        # Exactly the demo role's groups (an older demo made the DSL a senior leader too).
        user.groups.set(Group.objects.filter(name__in=group_names))
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        users[key] = user
    return users


def _publish(page, user):
    # The demo stands in for content governors have already approved.
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)


def _add_sections(policy, sections, user, staff_only=()):
    for number, title, slug, body in sections:
        section = PolicySectionPage(title=title, slug=slug, number=number, body=body)
        policy.add_child(instance=section)
        _publish(section, user)
        if number in staff_only:
            PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)


def _update_sections(policy, changes, user):
    for section in PolicySectionPage.objects.child_of(policy).specific():
        if section.number in changes:
            number, title, body = changes[section.number]
            section.number, section.title, section.body = number, title, body
            _publish(section, user)


# Which section of the social media policy each confidential form puts into practice.
FORM_SECTIONS = {"relationship": ("7",), "rejected_contact": ("5", "6"), "abuse": ("9",), "account_request": ("10",)}


def _link_forms(policy, user):
    """A button to the form at the end of each section that asks for a declaration, a report or a request,
    and the form page's list of the sections it implements."""

    sections = {s.number: s for s in PolicySectionPage.objects.child_of(policy).specific()}
    for form_page in RecordFormPage.objects.all():
        numbers = FORM_SECTIONS.get(form_page.form, ())
        for number in numbers:
            section = sections.get(number)
            if section and not any(block.block_type == "form_link" for block in section.body):
                section.body.append(("form_link", {"page": form_page, "label": "", "text": ""}))
                _publish(section, user)
        if not form_page.policy_sections.exists():
            form_page.policy_sections.set([sections[n] for n in numbers if n in sections])
            _publish(form_page, user)


def _make_policy(index, *, title, slug, summary, owner, sections, review, legislation="", staff_only_sections=()):
    policy = PolicyPage(
        title=title,
        slug=slug,
        summary=summary,
        policy_owner=owner,
        contact_email=f"hr@{DEMO_DOMAIN}",
        key_staff="Headteacher; Designated safeguarding lead; HR and policy manager",
        last_reviewed=review[0],
        next_review_due=review[1],
        legislation=legislation,
    )
    index.add_child(instance=policy)
    _publish(policy, owner)
    _add_sections(policy, sections, owner, staff_only=staff_only_sections)
    return policy


def _issue(policy, user, label, issued_on, summary, change_type, approved_on):
    return issue_version(
        policy,
        label=label,
        issued_on=issued_on,
        summary_of_changes=summary,
        change_type=change_type,
        approved_by="Full governing body",
        approved_on=approved_on,
        issued_by=user,
    )


def _prepare_acceptable_use_v2(policy, hr):
    """HR's version 2, prepared after the review and submitted to the governors: the governor's dashboard
    shows it, marked against version 1 (policypages/versioning.py)."""
    for section in PolicySectionPage.objects.child_of(policy).specific():
        if section.number in content.ACCEPTABLE_USE_V2_CHANGES:
            section.number, section.title, section.body = content.ACCEPTABLE_USE_V2_CHANGES[section.number]
            section.save_revision(user=hr)
    number, title, slug, body = content.ACCEPTABLE_USE_V2_NEW
    section = PolicySectionPage(title=title, slug=slug, number=number, body=body, live=False)
    policy.add_child(instance=section)
    section.save_revision(user=hr)
    policy = PolicyPage.objects.get(pk=policy.pk)
    policy.next_version_label = "2"
    policy.next_version_summary = content.ACCEPTABLE_USE_V2_SUMMARY
    policy.save_revision(user=hr)
    # Wagtail emails the governors about a submission; nobody is emailed about a school being built.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        policy.get_workflow().start(policy, hr)


@transaction.atomic
def _add_understanding_check(policy, user):
    sections = {s.number: s for s in PolicySectionPage.objects.child_of(policy)}
    policy = PolicyPage.objects.get(pk=policy.pk)
    policy.understanding_check = [
        (
            "question",
            {
                "question": question,
                "kind": kind,
                "choices": [{"text": text, "correct": right} for text, right in choices],
                "statement_is_true": is_true,
                "section": sections[number],
                "explanation": why,
            },
        )
        for question, kind, choices, is_true, number, why in content.SOCIAL_MEDIA_CHECK
    ]
    _publish(policy, user)


def load_demo():
    tree, report = setup_site(site_name=content.SCHOOL)
    if tree.home.title != content.SCHOOL and tree.home.title == "Our school":
        tree.home.title = content.SCHOOL
        _publish(tree.home, None)
        tree.home.refresh_from_db()
    site = tree.home.get_site()
    if site and site.site_name != content.SCHOOL:
        site.site_name = content.SCHOOL
        site.save()
    with building_the_demo_school():
        users = ensure_demo_users(report)
    ensure_demo_mfa(users, report)
    hr = users["hr"]

    ensure_branding(site, report)
    parents_changed = ensure_official_accounts(tree.parents, report)
    if not tree.parents.body:
        tree.parents.intro = "<p>What our policies mean for families, and how to raise a concern.</p>"
        tree.parents.body = content.PARENTS_BODY
        parents_changed = True
        report.append("Wrote the parents' page")
    if parents_changed:
        _publish(tree.parents, hr)

    index = tree.policies
    if not PolicyPage.objects.child_of(index).filter(slug="social-media").exists():
        policy = _make_policy(
            index,
            title="Staff social media policy",
            slug="social-media",
            summary=content.SOCIAL_MEDIA_SUMMARY,
            owner=hr,
            sections=content.SOCIAL_MEDIA_V1,
            legislation=content.SOCIAL_MEDIA_LEGISLATION,
            review=(datetime.date(2025, 7, 1), datetime.date(2027, 7, 1)),
            staff_only_sections=("9",),
        )
        _issue(
            policy,
            hr,
            "1",
            datetime.date(2024, 9, 1),
            "First version of the policy.",
            PolicyVersion.SUBSTANTIVE,
            datetime.date(2024, 7, 10),
        )
        _update_sections(policy, content.SOCIAL_MEDIA_V2_CHANGES, hr)
        _add_sections(policy, content.SOCIAL_MEDIA_V2_NEW, hr)
        _link_forms(policy, hr)  # version 2 brought in the online forms
        _add_understanding_check(policy, hr)  # and a few questions to answer before confirming
        _issue(
            policy,
            hr,
            "2",
            datetime.date(2025, 9, 1),
            "Messaging apps and parent group chats are now covered. Friend requests from parents are now a 'must "
            "not'. Relationships must be declared within five school days using the new form. Abuse of staff: "
            "the school aims for removal within 24 hours. New section 13 on what we ask of parents.",
            PolicyVersion.SUBSTANTIVE,
            datetime.date(2025, 7, 9),
        )
        _update_sections(policy, content.SOCIAL_MEDIA_V21_FIX, hr)
        _issue(
            policy,
            hr,
            "2.1",
            datetime.date(2025, 10, 6),
            "Wording of section 11 clarified (breaks and non-directed time). No change to what staff must do.",
            PolicyVersion.EDITORIAL,
            datetime.date(2025, 10, 1),
        )
        report.append("Created the staff social media policy with versions 1, 2 and 2.1")

    if not PolicyPage.objects.child_of(index).filter(slug="acceptable-use").exists():
        policy = _make_policy(
            index,
            title="Staff acceptable use of IT",
            slug="acceptable-use",
            summary="How staff use the school's computers, accounts and data safely.",
            owner=hr,
            sections=content.ACCEPTABLE_USE,
            review=(datetime.date(2024, 9, 1), datetime.date(2026, 9, 1)),
        )
        PageViewRestriction.objects.create(page=policy, restriction_type=PageViewRestriction.LOGIN)
        _issue(
            policy,
            hr,
            "1",
            datetime.date(2024, 9, 1),
            "First version.",
            PolicyVersion.SUBSTANTIVE,
            datetime.date(2024, 7, 10),
        )
        _prepare_acceptable_use_v2(policy, hr)
        report.append(
            "Created the staff-only acceptable use policy (review overdue; version 2 waiting for the governors)"
        )

    if not PolicyPage.objects.child_of(index).filter(slug="complaints").exists():
        policy = _make_policy(
            index,
            title="Complaints procedure",
            slug="complaints",
            summary="How parents and carers can raise a concern or make a complaint.",
            owner=users["head"],
            sections=content.COMPLAINTS,
            review=(datetime.date(2024, 12, 1), datetime.date(2026, 12, 15)),
        )
        _issue(
            policy,
            users["head"],
            "1",
            datetime.date(2024, 12, 1),
            "First version.",
            PolicyVersion.SUBSTANTIVE,
            datetime.date(2024, 11, 20),
        )
        report.append("Created the public complaints procedure (review due soon)")

    answers = load_demo_answers(tree, hr)
    if answers:
        report.append(f"Wrote {len(answers)} guidance answers")

    social = PolicyPage.objects.filter(slug="social-media").first()
    others = PolicyPage.objects.filter(slug__in=["acceptable-use", "complaints"])
    if social and not social.related_policies.exists() and others:
        social.related_policies.set(others)
        _publish(social, hr)
    return report
