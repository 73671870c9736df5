"""A new school's first day (issue 15), in a real browser at a phone's and a desktop's width: staff who open the
admin, the sign-in wall a parent meets, the designed error pages, tables on a phone, reviewers' new records,
evidence and replies, and the admin screens this project adds, each checked with axe-core."""

import re

from playwright.sync_api import expect

from declarations.models import Record
from policypages.models import PolicyPage, PolicySectionPage

from .conftest import axe_violations, has_horizontal_scroll, sign_in
from .test_confidential_records import screenshot_png

WIDTHS = (1280, 360)


def check_page(page, where):
    problems = [f"{where}: {violation}" for violation in axe_violations(page)]
    if has_horizontal_scroll(page):
        problems.append(f"{where}: scrolls sideways")
    return problems


def test_staff_opening_the_admin_are_told_where_to_go(page, live_server, demo_school):
    sign_in(page, live_server.url, "staff@oakbrook.example", next_path="/staff/")
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(live_server.url + "/admin/pages/")
        assert response.status == 403 and page.url.endswith("/admin/pages/")  # no redirect, let alone a loop
        expect(page.get_by_role("heading", name="Your account does not open the admin")).to_be_visible()
        problems += check_page(page, f"/admin/ at {width}px")
    page.get_by_role("link", name="Go to the staff hub").click()
    assert page.url.endswith("/staff/")
    assert problems == []


def test_a_parent_meets_a_sign_in_wall_that_explains_itself(page, live_server, demo_school):
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + "/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff hub").click()
        expect(page.get_by_role("heading", name="Staff sign-in")).to_be_visible()
        expect(page.get_by_text("you do not need an account")).to_be_visible()
        assert page.get_by_text(re.compile("sign up", re.I)).count() == 0
        assert page.locator("a[href*='signup']").count() == 0
        problems += check_page(page, f"sign-in at {width}px")
    page.get_by_role("link", name="the parents' page").click()
    assert page.url.endswith("/parents/")
    assert problems == []


def test_the_demo_shows_the_sites_own_error_pages(page, live_server, demo_school):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(live_server.url + "/no-such-page/")
        assert response.status == 404
        html = page.content()
        assert "URLconf" not in html and "Traceback" not in html and "DEBUG = True" not in html
        expect(page.get_by_role("searchbox").first).to_be_visible()
        assert check_page(page, f"404 at {width}px") == []


def cell_fits(page, locator):
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1


def test_my_tables_stack_readably_on_a_phone(browser, live_server, demo_school):
    phone = browser.new_context(viewport={"width": 360, "height": 780})
    page = phone.new_page()
    sign_in(page, live_server.url, "staff@oakbrook.example", next_path="/staff/my-policies/")
    due = page.locator("td[data-label='Due']").first
    expect(due).to_be_visible()
    assert cell_fits(page, due)
    assert "Due:" in due.evaluate("td => getComputedStyle(td, '::before').content")
    assert check_page(page, "My policies at 360px") == []
    page.goto(live_server.url + "/staff/report-online-abuse/")
    page.get_by_label("What happened").fill("A fake account using my name.")
    page.get_by_label("Where").fill("https://social.example/fake")
    page.get_by_label("When").fill("2026-11-19T08:00")
    page.get_by_role("button", name="Send").click()
    page.goto(live_server.url + "/staff/my-records/")
    status = page.locator("td[data-label='Status']").first
    expect(status).to_be_visible()
    assert cell_fits(page, status)
    assert check_page(page, "My submissions at 360px") == []
    phone.close()


def test_a_reviewer_sees_whats_new_views_evidence_and_the_reply_is_marked(browser, live_server, demo_school):
    phone = browser.new_context(viewport={"width": 360, "height": 780})
    staff = phone.new_page()
    sign_in(staff, live_server.url, "staff@oakbrook.example", next_path="/staff/report-declined-contact/")
    staff.get_by_label("A pupil", exact=True).check()
    staff.get_by_label("Which app or site").fill("Instagram")
    staff.get_by_label("When").fill("2026-11-20T19:30")
    staff.get_by_label("What they sent").fill("A follow request.")
    staff.get_by_label("How you responded").fill("Declined it.")
    staff.get_by_label("Evidence").set_input_files(
        [{"name": "instagram.png", "mimeType": "image/png", "buffer": screenshot_png()}]
    )
    staff.get_by_role("button", name="Send").click()
    record = Record.objects.get()

    problems = []
    desk = browser.new_context()
    leader = desk.new_page()
    sign_in(leader, live_server.url, "dsl@oakbrook.example", next_path="/admin/")
    for width in WIDTHS:
        leader.set_viewport_size({"width": width, "height": 900})
        leader.goto(live_server.url + "/admin/")
        panel = leader.locator("section", has_text="since you last looked at the inbox").last
        expect(panel).to_contain_text("1 new" if width == 1280 else "Nothing new")
        problems += check_page(leader, f"dashboard at {width}px")
        leader.get_by_role("link", name="Open the confidential records").click()
        problems += check_page(leader, f"inbox at {width}px")
        # On a phone the filters are folded away: the first record comes before them.
        if width == 360:
            expect(leader.locator("details.school-filters")).not_to_have_attribute("open", "")
        leader.get_by_role("link", name=record.reference).first.click()
        shown = leader.get_by_role("img", name="Evidence attached: instagram.png")
        shown.scroll_into_view_if_needed()
        shown.evaluate("img => img.decode()")  # loaded lazily: wait until it is decoded
        assert shown.evaluate("img => img.naturalWidth") == 320
        problems += check_page(leader, f"record at {width}px")
        if width == 360:
            leader.get_by_label("Message to the person who submitted it").fill(
                "Thank you. We have reported the account."
            )
            leader.get_by_role("button", name="Send message").click()
    desk.close()
    assert problems == []

    staff.goto(live_server.url + "/staff/my-records/")
    expect(staff.get_by_text("New reply")).to_be_visible()
    staff.get_by_role("link", name=record.reference).click()
    expect(staff.get_by_text("We have reported the account")).to_be_visible()
    staff.goto(live_server.url + "/staff/my-records/")
    expect(staff.get_by_text("New reply")).to_have_count(0)
    phone.close()


HR_SCREENS = [
    "/admin/",
    "/admin/policy-reading/",
    "/admin/policy-reading/people/",
]


def test_the_admin_screens_this_project_adds_are_accessible(page, live_server, demo_school):
    policy = PolicyPage.objects.get(slug="social-media")
    screens = [
        *HR_SCREENS,
        f"/admin/policy-reading/policy/{policy.pk}/",
        f"/admin/policy-versions/{policy.pk}/",
        f"/admin/policy-versions/{policy.pk}/next/",
        f"/admin/pages/{policy.pk}/edit/",
        f"/admin/pages/{policy.pk}/",
    ]
    # A prepared change, so the next version's screen has something to show.
    section = PolicySectionPage.objects.child_of(policy).get(number="6")
    section.body = [{"type": "paragraph", "value": "<p>Staff must decline every friend request from a parent.</p>"}]
    section.save_revision()
    sign_in(page, live_server.url, "hr@oakbrook.example", next_path="/admin/")
    problems = []
    for path in screens:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            problems += [f"{path} at {width}px: {v}" for v in axe_violations(page)]
    assert problems == []


def test_the_old_unreadable_overdue_badge_would_be_caught(page, live_server, demo_school):
    """Wagtail's status label on its critical background (what the review panel used) fails the contrast check."""
    sign_in(page, live_server.url, "hr@oakbrook.example", next_path="/admin/")
    page.goto(live_server.url + "/admin/")  # without the "signed in" message, which fades in
    expect(page.locator(".school-badge--overdue").first).to_be_visible()
    assert axe_violations(page) == []
    page.evaluate(
        """() => { const badge = document.querySelector('.school-badge--overdue');
                   badge.className = 'w-status w-status--label w-bg-critical-200'; }"""
    )
    assert any(v.startswith("color-contrast:") for v in axe_violations(page))


def test_hr_import_answers_from_a_spreadsheet_in_the_admin(page, live_server, demo_school, tmp_path):
    from guidance.models import GuidanceAnswerPage

    sheet = tmp_path / "answers.csv"
    sheet.write_text(
        'question,answer,audience\nCan I bring my dog to sports day?,"Only assistance dogs, on a lead.",everyone\n'
    )
    sign_in(page, live_server.url, "hr@oakbrook.example", next_path="/admin/")
    page.get_by_role("link", name="Import answers").click()
    problems = check_page(page, "import screen")
    page.get_by_label("Spreadsheet (CSV)").set_input_files(str(sheet))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("What importing answers.csv would do")).to_be_visible()
    problems += check_page(page, "import preview")
    assert not GuidanceAnswerPage.objects.filter(title="Can I bring my dog to sports day?").exists()
    page.get_by_role("button", name="Import 1 answer").click()
    expect(page.get_by_text("Imported answers.csv: 1 created")).to_be_visible()
    assert GuidanceAnswerPage.objects.get(title="Can I bring my dog to sports day?").live
    assert problems == []


def test_people_land_where_their_work_is_after_signing_in(browser, live_server, demo_school):
    """HR, on a phone: the second step in plain words (axe at 390 px), then the admin's dashboard; staff, on a
    desktop: their staff hub."""
    from sitesetup.demo import current_totp_code

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    hr = phone.new_page()
    hr.goto(f"{live_server.url}/accounts/login/")
    assert axe_violations(hr) == []
    hr.fill("input[name=login]", "hr@oakbrook.example")
    hr.fill("input[name=password]", "oakbrook-demo-2026")
    hr.click("form button[type=submit]")
    expect(hr.get_by_role("heading", name="Two-step verification")).to_be_visible()
    assert axe_violations(hr) == []
    assert not has_horizontal_scroll(hr)
    hr.get_by_label("Code").fill(current_totp_code("hr@oakbrook.example"))
    hr.get_by_role("button", name="Continue").click()
    expect(hr).to_have_url(re.compile(r"/admin/$"))
    phone.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    staff = desk.new_page()
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.fill("input[name=login]", "staff@oakbrook.example")
    staff.fill("input[name=password]", "oakbrook-demo-2026")
    staff.click("form button[type=submit]")
    expect(staff).to_have_url(re.compile(r"/staff/$"))
    assert axe_violations(staff) == []
    desk.close()
