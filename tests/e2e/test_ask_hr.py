"""Ask HR: a member of staff's search finds nothing, they send the question with their name on a phone; HR turns
it into an answer in one click and publishes it; the asker is emailed a link. A parent asks without an account."""

import re

from django.core import mail
from playwright.sync_api import expect

from guidance.models import GuidanceAnswerPage, Question

from .conftest import axe_violations, sign_in


def test_a_question_from_an_empty_search_becomes_a_published_answer(browser, live_server, demo_school):
    staff_context = browser.new_context(viewport={"width": 360, "height": 740})
    staff = staff_context.new_page()
    sign_in(staff, live_server.url, "staff@oakbrook.example")
    staff.goto(f"{live_server.url}/search/?q=zorbing+trip+insurance")
    staff.get_by_role("link", name="Ask HR").click()
    expect(staff.get_by_label("Your question")).to_have_value("zorbing trip insurance")
    assert axe_violations(staff) == []
    staff.get_by_label("Your question").fill("Who insures a zorbing trip?")
    staff.get_by_role("button", name="Send the question").click()
    expect(staff.get_by_text("Choose whether to send it with your name or anonymously").first).to_be_visible()
    staff.get_by_label(re.compile("With my name")).check()
    staff.get_by_role("button", name="Send the question").click()
    expect(staff.get_by_role("heading", name="Thank you: your question has been sent")).to_be_visible()

    hr_context = browser.new_context()
    hr = hr_context.new_page()
    sign_in(hr, live_server.url, "hr@oakbrook.example", next_path="/admin/")
    hr.get_by_role("link", name=re.compile("1 question from search waits")).click()
    expect(hr.get_by_text("Who insures a zorbing trip?", exact=True)).to_be_visible()
    assert axe_violations(hr) == []
    hr.get_by_role("button", name=re.compile("Write an answer")).click()
    expect(hr.locator("#id_title")).to_have_value("Who insures a zorbing trip?")
    hr.locator("#id_short_answer").fill("The school's trip cover")
    answer_box = hr.locator("#panel-child-content-answer-section").get_by_role("textbox")
    answer_box.click()
    answer_box.press_sequentially("The school's insurance covers every approved trip.")
    expect(answer_box).to_contain_text("covers every approved trip")
    hidden = hr.locator("input[name=answer]")
    expect(hidden).to_have_value(re.compile("covers every approved trip"))
    hr.get_by_role("button", name="More actions").click()
    hr.get_by_role("button", name="Publish").click()
    expect(hr.get_by_text(re.compile("has been published"))).to_be_visible()

    answer = GuidanceAnswerPage.objects.get(title="Who insures a zorbing trip?")
    assert answer.live and Question.objects.get().status == Question.Status.ANSWERED
    told = [m for m in mail.outbox if m.subject == "Your question has been answered"]
    assert [m.to for m in told] == [["staff@oakbrook.example"]] and answer.full_url in told[0].body
    staff.goto(f"{live_server.url}/search/?q=zorbing+trip")
    expect(staff.get_by_role("link", name="Who insures a zorbing trip?")).to_be_visible()
    staff_context.close()
    hr_context.close()


def test_a_parent_asks_the_school_without_an_account(page, live_server, demo_school):
    page.goto(f"{live_server.url}/search/?q=zorbing")
    page.get_by_role("link", name="Ask the school").click()
    page.get_by_label("Your question").fill("Do pupils need a helmet for zorbing?")
    page.get_by_label(re.compile("Your email address")).fill("parent@example.com")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send the question").click()
    expect(page.get_by_text("We will email you when it has an answer.")).to_be_visible()
    question = Question.objects.get()
    assert question.audience == "parents" and question.asked_by is None
