"""On a phone, a teacher follows the answer's link, reports a declined contact with a screenshot and finds it in
'My submissions'; a senior leader opens it and acknowledges it; the audit log shows both."""

import io
import re

from PIL import Image
from playwright.sync_api import expect

from declarations.models import Record
from guidance.models import GuidanceAnswerPage

from .conftest import axe_violations, has_horizontal_scroll, sign_in, words_broken_across_lines


def screenshot_png():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 640), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_report_declined_contact_then_a_senior_leader_acknowledges_it(browser, live_server, demo_school):
    answer = GuidanceAnswerPage.objects.get(title="A pupil sent me a follow request on Instagram. What do I do?")
    phone = browser.new_context(viewport={"width": 360, "height": 780})
    staff = phone.new_page()
    sign_in(staff, live_server.url, "staff@oakbrook.example", next_path=answer.url)
    staff.get_by_role("link", name="Report contact you declined").click()
    expect(staff.get_by_role("heading", name="Report contact you declined")).to_be_visible()
    assert axe_violations(staff) == []
    assert not has_horizontal_scroll(staff)

    staff.get_by_label("A pupil", exact=True).check()
    staff.get_by_label("Which app or site").fill("Instagram")
    staff.get_by_label("When").fill("2026-11-20T19:30")
    staff.get_by_label("What they sent").fill("A follow request, then a message: 'hi sir is this you'.")
    staff.get_by_label("How you responded").fill("Declined the request and did not reply.")
    staff.get_by_label("I have kept copies").check()
    staff.get_by_label("Evidence").set_input_files(
        [{"name": "instagram.png", "mimeType": "image/png", "buffer": screenshot_png()}]
    )
    staff.get_by_role("button", name="Send").click()
    expect(staff.get_by_text(re.compile(r"Sent\. Your reference is RC-\d+"))).to_be_visible()
    record = Record.objects.get()
    expect(staff.get_by_role("heading", name=record.reference)).to_be_visible()
    expect(staff.get_by_role("link", name="instagram.png")).to_be_visible()
    assert axe_violations(staff) == []
    assert not has_horizontal_scroll(staff)

    staff.goto(live_server.url + "/staff/my-records/")
    expect(staff.get_by_role("row", name=re.compile(record.reference))).to_contain_text("Submitted")
    assert axe_violations(staff) == []
    assert not has_horizontal_scroll(staff)

    desk = browser.new_context()
    leader = desk.new_page()
    sign_in(leader, live_server.url, "head@oakbrook.example", next_path="/admin/declarations/record/")
    # On a phone the inbox keeps every word whole ("Rejected-contact", not "Reje / cted").
    leader.set_viewport_size({"width": 390, "height": 800})
    leader.reload()  # without the sign-in message, which fades in (axe reads its colours half-way)
    expect(leader.get_by_role("link", name=record.reference).first).to_be_visible()
    assert words_broken_across_lines(leader, "table.listing") == []
    assert axe_violations(leader) == []
    leader.set_viewport_size({"width": 1280, "height": 800})
    leader.get_by_role("link", name=record.reference).first.click()
    expect(leader.get_by_text("What was submitted")).to_be_visible()
    expect(leader.get_by_role("link", name="Download instagram.png")).to_be_visible()
    # The screenshot is shown in the page too, decoded by the browser (not only downloadable).
    shown = leader.get_by_role("img", name="Evidence attached: instagram.png")
    shown.scroll_into_view_if_needed()
    shown.evaluate("img => img.decode()")  # loaded lazily: wait until it is decoded
    assert shown.evaluate("img => img.naturalWidth") == 320
    leader.get_by_label("Status").select_option("acknowledged")
    leader.get_by_role("button", name="Save status and notes").click()
    expect(leader.get_by_text(f"Rejected-contact report {record.reference} saved.")).to_be_visible()
    log = leader.locator("table.listing")
    expect(log).to_contain_text("Submitted")
    expect(log).to_contain_text("Changed the status: submitted → acknowledged")

    staff.goto(live_server.url + record.get_absolute_url())
    expect(staff.get_by_text("Acknowledged")).to_be_visible()
    phone.close()
    desk.close()
