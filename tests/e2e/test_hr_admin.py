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
    assert "version 2.2" in page.locator(".print-meta").first.inner_text()


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
