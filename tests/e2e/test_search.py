"""Staff search the way they think, from the staff hub; parents search the public answers."""

import re

from playwright.sync_api import expect

from .conftest import SEARCH_RESULT_LINKS, axe_violations, has_horizontal_scroll, sign_in


def test_staff_ask_a_question_and_get_the_answer_first(page, live_server, demo_school):
    sign_in(page, live_server.url, "staff@oakbrook.example", next_path="/staff/")
    box = page.get_by_label("What do you need to know?")
    box.fill("can I fr")
    # Suggestions as you type come from the API into the box's list.
    expect(page.locator("#hub-q-suggestions option").first).to_have_attribute(
        "value", re.compile("Can I"), timeout=5000
    )
    box.fill("frend request from parnet")
    box.press("Enter")
    expect(page.get_by_text("Showing results for")).to_contain_text("friend request from parent")
    # Search is sure of this one: it is the answer, in its own card, labelled for staff.
    first = page.locator(SEARCH_RESULT_LINKS).first
    expect(first).to_have_text("Can I friend a parent on Facebook?")
    expect(page.locator(".answer-card .audience")).to_have_text("For staff")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 740})
    assert not has_horizontal_scroll(page)
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Can I friend a parent on Facebook?")
    expect(
        page.get_by_role("link", name=re.compile("Staff social media policy 6. Contact with parents"))
    ).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Yes").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()


def test_parents_search_without_signing_in_and_never_see_staff_answers(page, live_server, demo_school):
    page.goto(live_server.url + "/search/?q=friend+request")
    titles = page.locator(SEARCH_RESULT_LINKS).all_inner_texts()
    assert "Why won't my child's teacher accept my friend request?" in titles
    assert "Can I friend a parent on Facebook?" not in titles
    assert axe_violations(page) == []


def test_a_search_with_no_answer_says_so_and_hr_teaches_search_the_answer(browser, live_server, demo_school):
    staff_context = browser.new_context(viewport={"width": 360, "height": 740})
    staff = staff_context.new_page()
    sign_in(staff, live_server.url, "staff@oakbrook.example")
    staff.goto(f"{live_server.url}/search/?q=zorbing+trip+insurance")
    # Nothing clears the bar: search says so, shows nothing, and Ask HR comes first with the words typed.
    expect(staff.get_by_role("heading", name=re.compile("No answer found for .zorbing trip insurance"))).to_be_visible()
    assert staff.locator(SEARCH_RESULT_LINKS).count() == 0
    expect(staff.locator(".no-answer").get_by_role("link", name="Ask HR")).to_have_attribute(
        "href", re.compile(r"q=zorbing")
    )
    assert axe_violations(staff) == []
    assert not has_horizontal_scroll(staff)

    hr_context = browser.new_context()
    hr = hr_context.new_page()
    sign_in(hr, live_server.url, "hr@oakbrook.example", next_path="/admin/search-report/")
    hr.get_by_role("link", name="Teach search: zorbing trip insurance").click()
    expect(hr.get_by_role("heading", name="Teach search")).to_be_visible()
    for width in (1280, 390):
        hr.set_viewport_size({"width": width, "height": 800})
        assert axe_violations(hr) == []
    guess = hr.locator(".teach-choices button").first
    title = re.search(r"“(.+)”", guess.inner_text()).group(1)
    guess.click()
    expect(hr.get_by_text(re.compile("Search finds it that way now"))).to_be_visible()
    assert axe_violations(hr) == []

    # The next person who asks it that way is given that answer.
    staff.goto(f"{live_server.url}/search/?q=zorbing+trip+insurance")
    expect(staff.locator(SEARCH_RESULT_LINKS).first).to_have_text(title)
    staff_context.close()
    hr_context.close()
