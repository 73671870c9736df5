"""A trust's shared policy in real browsers (issue 19): the trust issues a substantive version; each school's HR
sees its re-adoption task with the trust's redline; Elm's HR re-adopts with a changed local contact and Elm's
governor approves; Elm's staff are asked to re-read and see only Elm's contact, Ash's staff still read the
version before with the "newer trust version" notice, and a parent of each school reads their school's public
copy. Every screen is checked with axe-core, the admin ones at a phone's and a desktop's width."""

import datetime
import re
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts import roles
from policypages import adoption
from policypages.models import PolicyPage, PolicySectionPage, PolicyVersion, Sharing
from policypages.reading import confirm_read
from policypages.services import issue_version
from schools.models import School
from sitesetup.setup import add_school
from tests.policypages.factories import section_body

from .conftest import axe_violations, has_horizontal_scroll, sign_in

WIDTHS = (1280, 360)
PASSWORD = "oakbrook-demo-2026"
SCHOOLS = (("Elm Primary", "elm.localhost", "Elm"), ("Ash Academy", "ash.localhost", "Ash"))


def make_a_trust(settings):
    """The demo school's site becomes the trust's (its HR the trust's central HR); Elm and Ash adopt its IT
    policy, each with the trust's key contacts as its local section, and issue their copies; the demo's HR,
    governor and teacher move to Elm, and Ash gets a teacher of its own. Each school's teacher reads its copy."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *(host for _, host, _ in SCHOOLS)]
    users = get_user_model().objects
    School.objects.filter(site__is_default_site=True).update(site=None)
    trust_hr = users.create_user("trust-hr", "trust-hr@oakbrook.example", PASSWORD, school=None)
    trust_hr.groups.add(*Group.objects.filter(name__in=[roles.STAFF, roles.POLICY_EDITORS]))
    trust_governor = users.create_user("board", "board@oakbrook.example", PASSWORD, school=None)
    trust_governor.groups.add(*Group.objects.filter(name__in=[roles.STAFF, roles.GOVERNORS]))
    for name, host, short in SCHOOLS:
        add_school(name, host, short_name=short)
    elm, ash = School.objects.get(short_name="Elm"), School.objects.get(short_name="Ash")
    users.filter(email__in=["hr@oakbrook.example", "governor@oakbrook.example", "staff@oakbrook.example"]).update(
        school=elm
    )
    ash_teacher = users.create_user("ash-teacher", "teacher@ash.example", PASSWORD, school=ash)
    ash_teacher.groups.add(*Group.objects.filter(name__in=[roles.STAFF]))

    policy = PolicyPage.objects.get(slug="acceptable-use")
    PolicyPage.objects.filter(pk=policy.pk).update(sharing=Sharing.ADOPTED)
    contacts = list(PolicySectionPage.objects.child_of(policy).order_by("path"))[1]
    PolicySectionPage.objects.filter(pk=contacts.pk).update(adaptable=True)
    copies = {}
    for school, teacher in ((elm, users.get(email="staff@oakbrook.example")), (ash, ash_teacher)):
        copy = adoption.adopt(policy, school, trust_hr)
        copy.get_workflow().start(copy, trust_hr)
        state = PolicyPage.objects.get(pk=copy.pk).current_workflow_state
        state.current_task_state.task.specific.on_action(state.current_task_state, trust_governor, "approve")
        copies[school.short_name] = copy = PolicyPage.objects.get(pk=copy.pk)
        confirm_read(teacher, copy, copy.current_version.pk)
    return PolicyPage.objects.get(pk=policy.pk), copies, trust_hr


def the_trust_issues_a_substantive_version(policy, trust_hr):
    first = PolicySectionPage.objects.child_of(policy).order_by("path").first()
    first.body = section_body("Staff use school accounts for school work only, and never share a password.")
    first.save_revision().publish(skip_permission_checks=True)
    label = str(int(policy.current_version.label.split(".")[0]) + 1)
    issue_version(
        PolicyPage.objects.get(pk=policy.pk),
        label=label,
        issued_on=datetime.date(2026, 11, 20),
        summary_of_changes="Passwords are never shared.",
        change_type=PolicyVersion.SUBSTANTIVE,
        approved_by="Trust board",
        approved_on=datetime.date(2026, 11, 19),
        issued_by=trust_hr,
    )
    return label


def at(live_server, host):
    """The live server's address under a school's own host name (Chromium sends *.localhost to this machine)."""
    return f"http://{host}:{urlsplit(live_server.url).port}"


def test_a_school_readopts_the_trusts_new_version(browser, live_server, demo_school, settings):
    policy, copies, trust_hr = make_a_trust(settings)
    old_label = policy.current_version.label.split(".")[0]
    new_label = the_trust_issues_a_substantive_version(policy, trust_hr)
    elm_url, ash_url = at(live_server, "elm.localhost"), at(live_server, "ash.localhost")
    problems = []

    def check(page, label, widths=WIDTHS):
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            problems.extend(f"{label} at {width}px: {v}" for v in axe_violations(page))

    # Elm's HR finds the task on their dashboard, with the trust's redline, and starts re-adopting.
    hr_context = browser.new_context()
    hr = hr_context.new_page()
    sign_in(hr, live_server.url, "hr@oakbrook.example", next_path="/admin/")
    hr.get_by_role("link", name="Re-adopt Staff acceptable use of IT").click()
    hr.wait_for_url("**/admin/trust-policies/task/*/")
    expect(hr.get_by_text("Elm Primary", exact=True)).to_be_visible()
    check(hr, "re-adoption task")
    assert hr.locator("ins", has_text="never share a password").count() >= 1
    hr.goto(live_server.url + "/admin/trust-policies/")
    expect(hr.get_by_role("heading", name="Elm Primary")).to_be_visible()
    expect(hr.get_by_role("heading", name="Ash Academy")).to_have_count(0)  # another school's list is not theirs
    check(hr, "trust policies")
    hr.get_by_role("link", name="Re-adopt Staff acceptable use of IT").first.click()
    hr.get_by_role("button", name="Start re-adopting").click()
    hr.wait_for_url(f"**/admin/pages/{copies['Elm'].pk}/edit/")
    expect(hr.get_by_text("Check your local sections").first).to_be_visible()

    # They change Elm's contact in the local section, in the page editor, and submit the version to Elm's governors.
    local = PolicySectionPage.objects.child_of(copies["Elm"]).filter(trust_section__adaptable=True).get()
    hr.goto(f"{live_server.url}/admin/pages/{local.pk}/edit/")
    body = hr.locator(".public-DraftEditor-content").first
    body.click()
    hr.keyboard.press("Control+A")
    hr.keyboard.type("At Elm, tell Mr Birch, the deputy head, the same day.")
    # Draftail writes its field a moment after the last keystroke; save only once it holds the new words.
    expect(hr.locator('input[type="hidden"][value*="Mr Birch"]')).to_have_count(1)
    hr.get_by_role("button", name="Save draft").click()
    expect(hr.get_by_text(re.compile("has been updated"))).to_be_visible()
    hr.goto(f"{live_server.url}/admin/pages/{copies['Elm'].pk}/edit/")
    expect(hr.get_by_label("Version number")).to_have_value(f"{new_label}.1")
    hr.get_by_role("button", name="More actions").click()
    hr.get_by_role("button", name=re.compile("^Submit to")).click()
    expect(hr.get_by_text(re.compile("has been submitted for moderation"))).to_be_visible()
    hr_context.close()

    governor_context = browser.new_context(viewport={"width": 390, "height": 844})
    governor = governor_context.new_page()
    sign_in(governor, live_server.url, "governor@oakbrook.example", next_path="/admin/")
    governor.get_by_role("link", name="Review the changes to Staff acceptable use of IT").click()
    expect(governor.locator(".school-change ins", has_text="Mr Birch").first).to_be_visible()
    governor.get_by_role("button", name=f"Approve and issue version {new_label}.1").click()
    expect(governor.get_by_text(re.compile("is approved and issued"))).to_be_visible()
    governor_context.close()

    # Elm's teacher, on a phone at Elm's own address, is asked to re-read and sees Elm's new contact.
    elm_context = browser.new_context(viewport={"width": 390, "height": 844})
    elm = elm_context.new_page()
    sign_in(elm, elm_url, "staff@oakbrook.example", next_path="/staff/my-policies/")
    row = elm.get_by_role("row", name=re.compile("Staff acceptable use of IT"))
    expect(row).to_contain_text("Needs re-reading")
    row.get_by_role("link", name="Staff acceptable use of IT").click()
    expect(elm.get_by_text(re.compile("This policy has changed since you confirmed"))).to_be_visible()
    expect(elm.get_by_role("link", name=f"confirm version Trust {new_label} · Elm {new_label}.1")).to_be_visible()
    expect(elm.locator("#what-changed")).to_contain_text("Mr Birch")
    expect(elm.get_by_text(re.compile("The trust has issued version"))).to_have_count(0)
    check(elm, "Elm's copy for staff", widths=(390,))
    assert not has_horizontal_scroll(elm)
    elm_context.close()

    # Ash has not re-adopted: its teacher still reads the version before, with the notice, and never Elm's contact.
    ash_context = browser.new_context(viewport={"width": 390, "height": 844})
    ash = ash_context.new_page()
    sign_in(ash, ash_url, "teacher@ash.example", next_path="/staff/my-policies/")
    expect(ash.get_by_role("row", name=re.compile("Staff acceptable use of IT"))).not_to_contain_text(
        "Needs re-reading"
    )
    ash.goto(ash_url + copies["Ash"].get_url_parts()[2])
    expect(ash.locator("p.meta", has_text=f"Version Trust {old_label} · Ash {old_label}.1, issued")).to_be_visible()
    expect(ash.get_by_text(re.compile(f"The trust has issued version {new_label}"))).to_be_visible()
    expect(ash.get_by_text("Mr Birch")).to_have_count(0)
    check(ash, "Ash's copy for staff", widths=(390,))
    ash_context.close()

    # A parent of each school, signed out, reads their own school's copy.
    for url, copy, label, other in (
        (elm_url, copies["Elm"], f"Trust {new_label} · Elm {new_label}.1", "· Ash"),
        (ash_url, copies["Ash"], f"Trust {old_label} · Ash {old_label}.1", "· Elm"),
    ):
        parent_context = browser.new_context(viewport={"width": 390, "height": 844})
        parent = parent_context.new_page()
        parent.goto(url + copy.get_url_parts()[2])
        expect(parent.locator("p.meta", has_text=f"Version {label}, issued")).to_be_visible()
        assert other not in parent.content()
        check(parent, f"{label} for parents", widths=(390,))
        parent_context.close()
    assert problems == []
