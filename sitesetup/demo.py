"""Build the demo school on top of setup_site, from its data files (demo_data.py says what each holds).
Idempotent: content that exists is left alone."""

import base64
import datetime
import hashlib
import os

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.alerts import building_the_demo_school
from accounts.mfa import needs_mfa
from schools.models import School

from . import demo_data
from .demo_answers import load_demo_answers
from .demo_branding import ensure_branding, ensure_official_accounts
from .demo_policies import build_policy, publish, relate_policies
from .setup import setup_site

DEMO_DOMAIN = demo_data.school()["email_domain"]
DEFAULT_DEMO_PASSWORD = "oakbrook-demo-2026"
# Who signs in to the demo (demo_school/school.json). The DSL is only the DSL, not also a senior leader, so the
# demo shows the DSL's narrower access (docs/roles.md).
DEMO_USERS = demo_data.demo_users()


def demo_password():
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def demo_totp_secret(email):
    """A fixed authenticator secret per demo user, so a reviewer can sign in as HR without a phone."""
    digest = hashlib.sha1(f"oakbrook-demo-totp:{email.lower()}".encode()).digest()
    return base64.b32encode(digest).decode()


def current_totp_code(email):
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(demo_totp_secret(email), counters[len(counters) // 2]))


def ensure_demo_mfa(users, report):
    """Privileged demo users already have an authenticator, as the real ones must (accounts.mfa)."""
    for user in users.values():
        if needs_mfa(user) and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, demo_totp_secret(user.email))
            report.append(f"Set up two-step verification for {user.email}")


def ensure_demo_users(report):
    User = get_user_model()
    users = {}
    for demo_user in DEMO_USERS:
        email = f"{demo_user.sign_in}@{DEMO_DOMAIN}"
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                username=demo_user.sign_in,
                email=email,
                password=demo_password(),
                first_name=demo_user.first_name,
                last_name=demo_user.last_name,
                job_title=demo_user.job_title,
                is_superuser=demo_user.site_administrator,
                is_staff=demo_user.site_administrator,
                start_date=datetime.date(2022, 9, 1),
            )
            report.append(f"Created demo user {email}")
        # Exactly the demo role's groups (an older demo made the DSL a senior leader too).
        user.groups.set(Group.objects.filter(name__in=demo_user.groups))
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        users[demo_user.sign_in] = user
    return users


def _name_the_school(site, data, report):
    """The school setup_site made for the site takes the demo's name, unless someone has named it since."""
    school = School.objects.filter(site=site).first()
    if school is None or school.short_name:
        return
    if school.name == "Our school":
        school.name = data["name"]
    school.short_name = data["short_name"]
    school.save()
    report.append(f"Named the school {school.name} ({school.short_name})")


def load_demo():
    school = demo_data.school()
    name = school["name"]
    tree, report = setup_site(site_name=name)
    if tree.home.title != name and tree.home.title == "Our school":
        tree.home.title = name
        publish(tree.home, None)
        tree.home.refresh_from_db()
    site = tree.home.get_site()
    if site and site.site_name != name:
        site.site_name = name
        site.save()
    _name_the_school(site, school, report)
    with building_the_demo_school():
        users = ensure_demo_users(report)
    ensure_demo_mfa(users, report)
    hr = users["hr"]
    ensure_branding(site, school["branding"], report)

    policies = demo_data.policies()
    for data in policies:
        policy = build_policy(tree.policies, data, users, DEMO_DOMAIN)
        if policy is not None:
            versions = ", ".join(version["label"] for version in data["versions"])
            waiting = data.get("waiting_for_approval")
            waiting = f"; version {waiting['label']} waiting for the governors" if waiting else ""
            report.append(f"Created the policy '{policy.title}' (versions {versions}{waiting})")
    for data in policies:
        relate_policies(data, hr)

    # After the policies: the parents' page links to the complaints procedure.
    parents_changed = ensure_official_accounts(tree.parents, school["official_accounts"], report)
    if not tree.parents.body:
        tree.parents.intro = school["parents_page"]["intro"]
        tree.parents.body = demo_data.linked_blocks(school["parents_page"]["body"])
        parents_changed = True
        report.append("Wrote the parents' page")
    if parents_changed:
        publish(tree.parents, hr)

    answers = load_demo_answers(tree, school, hr)
    if answers:
        report.append(f"Wrote {len(answers)} guidance answers")
    return report
