"""A school re-adopts the trust's new version of a policy in the admin (issue 19): the trust policies screen,
the task with the trust's redline, and starting the school's next version, in a real browser at a phone's and
a desktop's width, each screen checked with axe-core."""

import datetime

from django.contrib.auth import get_user_model

from policypages import adoption
from policypages.models import PolicyPage, PolicySectionPage, PolicyVersion, Sharing
from policypages.services import issue_version
from schools.models import School
from sitesetup.setup import add_school
from tests.policypages.factories import section_body

from .conftest import axe_violations, sign_in

WIDTHS = (1280, 360)


def make_a_trust(hr, governor):
    """The demo school's site becomes the trust's; two schools adopt its IT policy and issue their copies; then
    the trust issues a substantive version."""
    School.objects.filter(site__is_default_site=True).update(site=None)
    get_user_model().objects.filter(pk=hr.pk).update(school=None)  # the trust's central HR
    hr.refresh_from_db()
    for name, host, short in (("Elm Primary", "elm.localhost", "Elm"), ("Ash Academy", "ash.localhost", "Ash")):
        add_school(name, host, short_name=short)
    policy = PolicyPage.objects.get(slug="acceptable-use")
    PolicyPage.objects.filter(pk=policy.pk).update(sharing=Sharing.ADOPTED)
    sections = list(PolicySectionPage.objects.child_of(policy).order_by("path"))
    PolicySectionPage.objects.filter(pk=sections[1].pk).update(adaptable=True)
    for school in School.objects.exclude(site=None):
        copy = adoption.adopt(policy, school, hr)
        copy.get_workflow().start(copy, hr)
        state = PolicyPage.objects.get(pk=copy.pk).current_workflow_state
        state.current_task_state.task.specific.on_action(state.current_task_state, governor, "approve")
    first = PolicySectionPage.objects.get(pk=sections[0].pk)
    first.body = section_body("Staff use school accounts for school work only, and never share a password.")
    first.save_revision().publish(skip_permission_checks=True)
    policy = PolicyPage.objects.get(pk=policy.pk)
    issue_version(
        policy,
        label=str(int(policy.current_version.label.split(".")[0]) + 1),
        issued_on=datetime.date(2026, 11, 20),
        summary_of_changes="Passwords are never shared.",
        change_type=PolicyVersion.SUBSTANTIVE,
        approved_by="Trust board",
        approved_on=datetime.date(2026, 11, 19),
        issued_by=hr,
    )
    return policy


def test_a_school_readopts_the_trusts_new_version(page, live_server, demo_school):
    users = get_user_model().objects
    make_a_trust(users.get(email="hr@oakbrook.example"), users.get(email="governor@oakbrook.example"))
    sign_in(page, live_server.url, "hr@oakbrook.example", next_path="/admin/")
    problems = []

    def check(label):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            problems.extend(f"{label} at {width}px: {v}" for v in axe_violations(page))

    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Re-adopt Staff acceptable use of IT").first.click()
    page.wait_for_url("**/admin/trust-policies/task/*/")
    check("re-adoption task")
    assert page.locator("ins", has_text="never share a password").count() >= 1
    page.goto(live_server.url + "/admin/trust-policies/")
    assert page.get_by_role("heading", name="Elm Primary").is_visible()
    check("trust policies")
    page.get_by_role("link", name="Re-adopt Staff acceptable use of IT").first.click()
    page.get_by_role("button", name="Start re-adopting").click()
    page.wait_for_url("**/admin/pages/*/edit/")
    assert "Check your local sections" in page.content()
    assert problems == []
