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
