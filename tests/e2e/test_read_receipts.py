"""Staff confirm a policy; HR issues a substantive version; staff are asked again and shown what changed."""

import re

from playwright.sync_api import expect

from policypages.models import PolicyPage, PolicySectionPage

from .conftest import axe_violations, has_horizontal_scroll, sign_in


def test_confirm_then_reread_after_a_substantive_version(browser, live_server, demo_school):
    policy = PolicyPage.objects.get(slug="social-media")

    staff_context = browser.new_context(viewport={"width": 390, "height": 844})  # a teacher's phone
    staff = staff_context.new_page()
    sign_in(staff, live_server.url, "staff@oakbrook.example", next_path="/staff/my-policies/")
    expect(staff.get_by_role("heading", name="My policies")).to_be_visible()
    row = staff.get_by_role("row", name=re.compile("Staff social media policy"))
    expect(row).to_contain_text("Not read")
    assert axe_violations(staff) == []
    assert not has_horizontal_scroll(staff)

    row.get_by_role("link", name="Staff social media policy").click()
    expect(staff.get_by_text("Please read this policy and")).to_be_visible()
    staff.get_by_role("button", name="I have read and understood version 2.1").click()
    expect(staff.get_by_text("You have confirmed that you have read version 2.1")).to_be_visible()
    assert axe_violations(staff) == []

    staff.goto(live_server.url + "/staff/my-policies/")
    expect(staff.get_by_role("row", name=re.compile("Staff social media policy"))).to_contain_text("Read")

    # HR changes a section (as approved) and issues a substantive version 3.
    section = PolicySectionPage.objects.child_of(policy).get(number="6")
    section.body = [{"type": "paragraph", "value": "<p>Staff must decline every friend request from a parent.</p>"}]
    section.save_revision().publish(skip_permission_checks=True)
    hr_context = browser.new_context()
    hr = hr_context.new_page()
    sign_in(hr, live_server.url, "hr@oakbrook.example", next_path=f"/admin/policy-versions/{policy.pk}/issue/")
    hr.fill("textarea[name=summary_of_changes]", "Section 6 now says to decline every request from a parent.")
    hr.fill("input[name=approved_by]", "Full governing body")
    hr.fill("input[name=approved_on]", "2026-11-01")
    hr.fill("input[name=issued_on]", "2026-11-02")
    hr.get_by_role("button", name="Issue version").click()
    expect(hr.get_by_text("Version 3 of 'Staff social media policy' has been issued.")).to_be_visible()

    # The teacher is asked again, and sees what changed before confirming.
    staff.goto(live_server.url + "/staff/my-policies/")
    expect(staff.get_by_role("row", name=re.compile("Staff social media policy"))).to_contain_text("Needs re-reading")
    staff.get_by_role("link", name="Staff social media policy").click()
    expect(staff.get_by_text("This policy has changed since you confirmed version 2.1")).to_be_visible()
    changed = staff.locator("#what-changed")
    expect(changed).to_contain_text("6. Contact with parents and carers")
    expect(changed).to_contain_text("decline every friend request from a parent")
    assert axe_violations(staff) == []
    staff.get_by_role("button", name="I have read and understood version 3").click()
    expect(staff.get_by_text("You have confirmed that you have read version 3")).to_be_visible()
    staff_context.close()
    hr_context.close()


def test_hr_sees_who_has_not_read(page, live_server, demo_school):
    sign_in(page, live_server.url, "hr@oakbrook.example", next_path="/admin/policy-reading/")
    expect(page.get_by_role("heading", name="Policy reading")).to_be_visible()
    page.get_by_role("link", name="Staff social media policy").click()
    expect(page.get_by_role("cell", name=re.compile("staff@oakbrook.example"))).to_be_visible()
    page.get_by_role("button", name="Send reminders to everyone who has not read it").click()
    expect(page.get_by_text(re.compile(r"Sent \d+ reminders"))).to_be_visible()
