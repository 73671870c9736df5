"""HR in the Wagtail admin: sees reviews due, issues a version, and readers see it."""

from playwright.sync_api import expect

from policypages.models import PolicyPage

from .conftest import sign_in


def test_hr_issues_a_new_version_and_readers_see_it(page, live_server, demo_school):
    policy = PolicyPage.objects.get(slug="social-media")
    sign_in(page, live_server.url, "hr@oakbrook.example", next_path="/admin/")
    assert page.get_by_text("Policies overdue or due for review").is_visible()
    assert page.get_by_role("link", name="Staff acceptable use of IT").is_visible()

    # From the policy's edit screen, the header's "Versions and issuing" button leads to the issue screen.
    page.goto(f"{live_server.url}/admin/pages/{policy.pk}/edit/")
    page.goto(f"{live_server.url}/admin/policy-versions/{policy.pk}/")
    page.get_by_role("link", name="Issue a new version").click()
    assert page.input_value("input[name=label]") == "3"
    page.get_by_label("Editorial: wording or layout only").check()
    page.fill("input[name=label]", "2.2")
    page.fill("textarea[name=summary_of_changes]", "Typo fixed in section 4.")
    page.fill("input[name=approved_by]", "Chair of governors")
    page.fill("input[name=approved_on]", "2026-11-01")
    page.get_by_role("button", name="Issue version").click()
    expect(page.get_by_text("Version 2.2 of 'Staff social media policy' has been issued.")).to_be_visible()
    expect(page.get_by_role("cell", name="Typo fixed in section 4.")).to_be_visible()

    page.goto(live_server.url + "/policies/social-media/")
    history = page.get_by_role("region", name="Version history table")
    assert "Typo fixed in section 4." in history.inner_text()
    assert "Version 2.2" in page.locator(".print-meta").first.inner_text()
