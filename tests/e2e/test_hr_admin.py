"""HR in the Wagtail admin: prepares a version, a governor sends it back and then approves it, and readers see
it; a prepared version abandoned leaves the live policy untouched."""

import re

from playwright.sync_api import expect

from policypages.models import PolicyPage, PolicySectionPage

from .conftest import axe_violations, sign_in


def test_hr_prepares_a_version_the_governor_sends_back_then_approves(browser, live_server, demo_school):
    policy = PolicyPage.objects.get(slug="social-media")
    section = PolicySectionPage.objects.child_of(policy).get(number="4")
    section.title = section.title + " "  # HR's draft: nothing live changes yet
    section.save_revision()

    hr_context = browser.new_context()
    hr = hr_context.new_page()
    sign_in(hr, live_server.url, "hr@oakbrook.example", next_path="/admin/")
    expect(hr.get_by_text("Policies overdue or due for review")).to_be_visible()
    hr.goto(f"{live_server.url}/admin/pages/{policy.pk}/edit/")
    expect(hr.get_by_label("Version number")).to_have_value("3")  # suggested: after 2.1
    hr.get_by_label("Editorial: wording or layout only").check()
    hr.get_by_label("Version number").fill("2.2")
    hr.get_by_label("Summary of changes").fill("Typo fixed in section 4.")
    hr.get_by_role("button", name="More actions").click()
    hr.get_by_role("button", name="Submit to Governing body approval").click()
    expect(hr.get_by_text(re.compile("has been sent for approval"))).to_be_visible()

    governor_context = browser.new_context()
    governor = governor_context.new_page()
    sign_in(governor, live_server.url, "governor@oakbrook.example", next_path="/admin/")
    governor.get_by_role("link", name="Review the changes to Staff social media policy").click()
    governor.get_by_label(re.compile("Comment")).fill("Say which typo, please.")
    governor.get_by_role("button", name="Send back to HR").click()
    expect(governor.get_by_text("has been sent back to HR with your comment")).to_be_visible()

    # Sent back: the live policy is as it was, and HR sees why.
    governor.goto(live_server.url + "/policies/social-media/")
    assert "Typo fixed" not in governor.get_by_role("region", name="Version history table").inner_text()
    hr.goto(f"{live_server.url}/admin/pages/{policy.pk}/edit/")
    expect(hr.get_by_text("Say which typo, please.").first).to_be_visible()
    hr.get_by_label("Summary of changes").fill("Typo fixed in section 4's heading.")
    hr.get_by_role("button", name="More actions").click()
    hr.get_by_role("button", name=re.compile("Resubmit to")).click()
    expect(hr.get_by_text(re.compile("has been sent for approval"))).to_be_visible()

    governor.goto(live_server.url + "/admin/")
    governor.get_by_role("link", name="Review the changes to Staff social media policy").click()
    assert axe_violations(governor) == []
    governor.get_by_role("button", name="Approve and issue version 2.2").click()
    expect(governor.get_by_text("Version 2.2 of 'Staff social media policy' is approved and issued.")).to_be_visible()

    governor.goto(live_server.url + "/policies/social-media/")
    history = governor.get_by_role("region", name="Version history table")
    assert "Typo fixed in section 4's heading." in history.inner_text()
    assert "version 2.2" in governor.locator(".print-meta").first.inner_text()
    hr_context.close()
    governor_context.close()


def test_hr_abandons_a_prepared_version_and_the_live_policy_is_untouched(page, live_server, demo_school):
    policy = PolicyPage.objects.get(slug="social-media")
    section = PolicySectionPage.objects.child_of(policy).get(number="6")
    section.body = [{"type": "paragraph", "value": "<p>Words nobody approved.</p>"}]
    section.save_revision()
    sign_in(page, live_server.url, "hr@oakbrook.example", next_path="/admin/")
    page.goto(f"{live_server.url}/admin/policy-versions/{policy.pk}/")  # without the "signed in" message, fading in
    expect(page.get_by_text("Being prepared: not yet submitted to the governors.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Abandon the prepared version").click()
    expect(page.get_by_text("was abandoned: the policy reads as it did")).to_be_visible()
    page.goto(live_server.url + "/policies/social-media/")
    expect(page.get_by_text("Words nobody approved.")).to_have_count(0)
    assert not PolicySectionPage.objects.get(pk=section.pk).has_unpublished_changes


def test_hr_makes_the_site_the_schools_own_without_code(page, live_server, demo_school):
    sign_in(page, live_server.url, "hr@oakbrook.example", next_path="/admin/")
    page.goto(live_server.url + "/admin/settings/policypages/schoolbranding/")
    page.fill("input[name=school_name]", "Oakbrook Academy Trust")
    page.fill("input[name=main_colour]", "#ffd966")  # a pale yellow: white text on it cannot be read
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("This colour is too light")).to_be_visible()

    page.fill("input[name=main_colour]", "#004225")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("This colour is too light")).to_have_count(0)

    page.goto(live_server.url + "/parents/")
    assert page.title().endswith("· Oakbrook Academy Trust")
    header_colour = page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert header_colour == "rgb(0, 66, 37)"
