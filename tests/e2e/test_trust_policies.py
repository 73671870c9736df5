"""A trust's shared policy in real browsers (issue 19): the trust's HR submits a substantive version and the
trust board approves it; each school's HR sees its own re-adoption task with the trust's redline; Elm's HR
re-adopts with a changed local contact and Elm's governor approves; Elm's staff are asked to re-read and see
only Elm's contact, Ash's staff still read the version before with the "newer trust version" notice, and a
parent of each school reads their school's public copy. Every screen is checked with axe-core."""

import re
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts import roles
from policypages import adoption
from policypages.models import PolicyPage, PolicySectionPage, Sharing
from policypages.reading import confirm_read
from schools.models import School
from sitesetup.demo import ensure_demo_mfa
from sitesetup.setup import add_school
from tests.policypages.factories import section_body

from .conftest import axe_violations, has_horizontal_scroll, sign_in

WIDTHS = (1280, 360)
PASSWORD = "oakbrook-demo-2026"
SCHOOLS = (("Elm Primary", "elm.localhost", "Elm"), ("Ash Academy", "ash.localhost", "Ash"))


def as_issued_and_drafted(page, **fields):
    """Set `fields` on `page` as if an issued version had set them: on the live page and on its newest draft,
    which the next version publishes."""
    type(page).objects.filter(pk=page.pk).update(**fields)
    draft = page.get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save_revision(log_action=False, clean=False)


def make_a_trust(settings):
    """The demo school's site becomes the trust's (its HR the trust's central HR); Elm and Ash adopt its IT
    policy, each with the trust's key contacts as its local section, and issue their copies; the demo's HR,
    governor and teacher move to Elm, and Ash gets a teacher of its own. Each school's teacher reads its copy."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *(host for _, host, _ in SCHOOLS)]
    users = get_user_model().objects
    School.objects.filter(site__is_default_site=True).update(site=None)
    # Schools first: on a site of one school, a new account is filed under it (accounts/changes.py).
    for name, host, short in SCHOOLS:
        add_school(name, host, short_name=short)
    trust_hr = users.create_user("trust-hr", "trust-hr@oakbrook.example", PASSWORD, school=None, in_central_team=True)
    trust_hr.groups.add(*Group.objects.filter(name__in=[roles.STAFF, roles.POLICY_EDITORS]))
    trust_governor = users.create_user("board", "board@oakbrook.example", PASSWORD, school=None, in_central_team=True)
    trust_governor.groups.add(*Group.objects.filter(name__in=[roles.STAFF, roles.GOVERNORS]))
    elm, ash = School.objects.get(short_name="Elm"), School.objects.get(short_name="Ash")
    users.filter(email__in=["hr@oakbrook.example", "governor@oakbrook.example", "staff@oakbrook.example"]).update(
        school=elm
    )
    ash_teacher = users.create_user("ash-teacher", "teacher@ash.example", PASSWORD, school=ash)
    ash_teacher.groups.add(*Group.objects.filter(name__in=[roles.STAFF]))
    ash_hr = users.create_user("ash-hr", "hr@ash.example", PASSWORD, school=ash)
    ash_hr.groups.add(*Group.objects.filter(name__in=[roles.STAFF, roles.POLICY_EDITORS]))
    ensure_demo_mfa({"trust-hr": trust_hr, "board": trust_governor, "ash-hr": ash_hr}, [])  # as the demo's own

    policy = PolicyPage.objects.get(slug="acceptable-use")
    # The demo's HR had submitted a next version; it is withdrawn, its drafts kept for the trust's own version.
    policy.current_workflow_state.cancel(user=trust_hr)
    as_issued_and_drafted(policy, sharing=Sharing.ADOPTED)
    contacts = list(PolicySectionPage.objects.child_of(policy).order_by("path"))[1]
    as_issued_and_drafted(contacts, adaptable=True)
    copies = {}
    for school, teacher in ((elm, users.get(email="staff@oakbrook.example")), (ash, ash_teacher)):
        copy = adoption.adopt(policy, school, trust_hr)
        copy.get_workflow().start(copy, trust_hr)
        state = PolicyPage.objects.get(pk=copy.pk).current_workflow_state
        state.current_task_state.task.specific.on_action(state.current_task_state, trust_governor, "approve")
        copies[school.short_name] = copy = PolicyPage.objects.get(pk=copy.pk)
        confirm_read(teacher, copy, copy.current_version.pk)
    return PolicyPage.objects.get(pk=policy.pk), copies, trust_hr


def trust_prepares_a_new_version(policy):
    """The trust's HR changes its first section, as a draft of the next version (the section editor is
    exercised by the school's re-adoption below)."""
    first = PolicySectionPage.objects.child_of(policy).order_by("path").first()
    first.body = section_body("Staff use school accounts for school work only, and never share a password.")
    first.save_revision()
    return str(int(policy.current_version.label.split(".")[0]) + 1)


def at(live_server, host):
    """The live server's address under a school's own host name (Chromium sends *.localhost to this machine)."""
    return f"http://{host}:{urlsplit(live_server.url).port}"


def test_a_school_readopts_the_trusts_new_version(browser, live_server, demo_school, settings):
    policy, copies, trust_hr = make_a_trust(settings)
    old_label = policy.current_version.label.split(".")[0]
    new_label = trust_prepares_a_new_version(policy)
    elm_url, ash_url = at(live_server, "elm.localhost"), at(live_server, "ash.localhost")
    problems = []

    def check(page, label, widths=WIDTHS):
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            problems.extend(f"{label} at {width}px: {v}" for v in axe_violations(page))

    # The trust's HR submits version N from the policy's editor, as a substantive change; the board approves it.
    trust_context = browser.new_context()
    trust = trust_context.new_page()
    sign_in(trust, live_server.url, "trust-hr@oakbrook.example", next_path=f"/admin/pages/{policy.pk}/edit/")
    trust.get_by_label("Version number").fill(new_label)
    expect(trust.get_by_role("radio", name=re.compile("Substantive"))).to_be_checked()  # the default
    trust.get_by_label("Summary of changes").fill("Passwords are never shared.")
    trust.get_by_role("button", name="More actions").click()
    trust.get_by_role("button", name=re.compile("^Submit to")).click()
    expect(trust.get_by_text(re.compile("has been sent for approval"))).to_be_visible()
    trust_context.close()
    board_context = browser.new_context()
    board = board_context.new_page()
    sign_in(board, live_server.url, "board@oakbrook.example", next_path="/admin/")
    board.get_by_role("link", name="Review the changes to Staff acceptable use of IT").click()
    expect(board.locator(".school-change ins", has_text="never share a password").first).to_be_visible()
    board.get_by_role("button", name=f"Approve and issue version {new_label}").click()
    expect(board.get_by_text(re.compile("is approved and issued"))).to_be_visible()
    board_context.close()

    # Ash's HR sees Ash's re-adoption task, with the trust's redline, and only Ash's.
    ash_hr_context = browser.new_context(viewport={"width": 390, "height": 844})
    ash_hr = ash_hr_context.new_page()
    sign_in(ash_hr, live_server.url, "hr@ash.example", next_path="/admin/trust-policies/")
    expect(ash_hr.get_by_role("heading", name="Ash Academy")).to_be_visible()
    expect(ash_hr.get_by_role("heading", name="Elm Primary")).to_have_count(0)
    ash_hr.get_by_role("link", name="Re-adopt Staff acceptable use of IT").first.click()
    expect(ash_hr.get_by_text("Ash Academy", exact=True)).to_be_visible()
    assert ash_hr.locator("ins", has_text="never share a password").count() >= 1
    ash_hr_context.close()

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
    expect(hr.get_by_text(re.compile("has been sent for approval"))).to_be_visible()
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
