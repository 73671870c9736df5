"""Staff confirm a policy; HR prepares a substantive version and submits it once; a governor approves it on a
phone; staff are asked again and shown what changed."""

import re

from playwright.sync_api import expect

from guidance.models import GuidanceAnswerPage
from policypages.models import PolicyPage, PolicySectionPage

from .conftest import axe_violations, has_horizontal_scroll, sign_in


def answer_the_check(page, friend_request="Decline it, and keep in touch through the school's channels"):
    page.get_by_label(friend_request).check()
    page.get_by_role("group", name=re.compile("WhatsApp")).get_by_label("False").check()
    page.get_by_label("You are friends on Facebook with a pupil's parent").check()
    page.get_by_label("A former pupil aged 16 follows you on Instagram").check()
    page.get_by_role("button", name="Check my answers").click()


def test_confirm_then_reread_after_a_substantive_version(browser, live_server, demo_school):
    policy = PolicyPage.objects.get(slug="social-media")
    sections = PolicySectionPage.objects.child_of(policy)

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
    # Version 2 brought questions: one answered wrong shows the section that explains it, and a second try passes.
    staff.get_by_role("link", name="Check your understanding").click()
    answer_the_check(staff, friend_request="Accept it if you know them well")
    wrong = staff.locator(".check-question--wrong")
    expect(wrong).to_have_count(1)
    expect(wrong.get_by_role("link", name=re.compile("Contact with parents and carers"))).to_be_visible()
    # The wrong answer stays chosen, to be changed; each answer's button is big enough to tap and sits on its
    # line beside its words.
    expect(staff.get_by_label("Accept it if you know them well")).to_be_checked()
    for choice in wrong.locator(".choice").all():
        button, label = choice.locator("input").bounding_box(), choice.locator("label").bounding_box()
        assert button["width"] >= 24 and button["height"] >= 24
        assert abs(button["y"] - label["y"]) < 12 and button["x"] < label["x"]
    assert axe_violations(staff) == []
    assert not has_horizontal_scroll(staff)
    staff.get_by_label("Decline it, and keep in touch through the school's channels").check()
    staff.get_by_role("button", name="Check my answers").click()
    expect(staff.get_by_text("You have answered every question right")).to_be_visible()
    staff.get_by_role("button", name="I have read and understood version 2.1").click()
    expect(staff.get_by_text("You have confirmed that you have read version 2.1")).to_be_visible()
    assert axe_violations(staff) == []

    staff.goto(live_server.url + "/staff/my-policies/")
    expect(staff.get_by_role("row", name=re.compile("Staff social media policy"))).to_contain_text("Read")

    # HR prepares version 3: three sections changed and one added, each saved as a draft (nothing live yet)...
    changes = {
        "6": "Staff must decline every friend request from a parent.",
        "7": "Staff use only the school's approved accounts to message pupils.",
        "8": "Report any contact from a pupil on a personal account the same day.",
    }
    for number, sentence in changes.items():
        section = PolicySectionPage.objects.child_of(policy).get(number=number)
        section.body = [{"type": "paragraph", "value": f"<p>{sentence}</p>"}]
        section.save_revision()
    added = PolicySectionPage(
        number="14",
        title="Artificial intelligence tools",
        slug="artificial-intelligence-tools",
        body=[{"type": "paragraph", "value": "<p>Never paste pupils' names into an AI chatbot.</p>"}],
        live=False,
    )
    policy.add_child(instance=added)
    added.save_revision()
    staff.reload()
    expect(staff.get_by_text("decline every friend request")).to_have_count(0)

    # ... and submits it once, from the policy's editor, with its number and summary.
    hr_context = browser.new_context()
    hr = hr_context.new_page()
    sign_in(hr, live_server.url, "hr@oakbrook.example", next_path=f"/admin/pages/{policy.pk}/edit/")
    hr.get_by_label("Version number").fill("3")
    hr.get_by_label("Summary of changes").fill("Friend requests from parents are declined; a new section on AI.")
    hr.get_by_role("button", name="More actions").click()
    hr.get_by_role("button", name="Submit to Governing body approval").click()
    expect(hr.get_by_text(re.compile("has been sent for approval"))).to_be_visible()

    # The chair of governors, on a phone, sees exactly those changes marked, and approves.
    governor_context = browser.new_context(viewport={"width": 390, "height": 844})
    governor = governor_context.new_page()
    sign_in(governor, live_server.url, "governor@oakbrook.example", next_path="/admin/")
    governor.get_by_role("link", name="Review the changes to Staff social media policy").click()
    expect(governor.get_by_text("Friend requests from parents are declined; a new section on AI.")).to_be_visible()
    expect(governor.locator(".school-change")).to_have_count(4)
    expect(governor.locator(".school-change ins").first).to_be_visible()
    expect(governor.get_by_role("heading", name=re.compile("14. Artificial intelligence tools"))).to_be_visible()
    assert axe_violations(governor) == []
    assert not has_horizontal_scroll(governor)
    governor.get_by_label(re.compile("Comment")).fill("Agreed at the full governing body.")
    governor.get_by_role("button", name="Approve and issue version 3").click()
    expect(governor.get_by_text("Version 3 of 'Staff social media policy' is approved and issued.")).to_be_visible()
    governor_context.close()

    # The page, its version history and its PDF say version 3.
    staff.goto(live_server.url + policy.url)
    expect(staff.get_by_text("Never paste pupils' names into an AI chatbot.").first).to_be_visible()
    pdf = staff.request.get(live_server.url + policy.url + "pdf/")
    assert "version-3.pdf" in pdf.headers["content-disposition"]

    # An answer resting on section 6 now tells staff the policy changed under it, with a link to what changed.
    cites_six = GuidanceAnswerPage.objects.live().filter(policy_sections__number="6", policy_sections__in=sections)
    staff.goto(live_server.url + cites_six.first().url)
    expect(staff.get_by_text("The policy has changed since this answer was written")).to_be_visible()

    # The teacher is asked again, and sees what changed before confirming.
    staff.goto(live_server.url + "/staff/my-policies/")
    expect(staff.get_by_role("row", name=re.compile("Staff social media policy"))).to_contain_text("Needs re-reading")
    staff.get_by_role("link", name="Staff social media policy").click()
    expect(staff.get_by_text("This policy has changed since you confirmed version 2.1")).to_be_visible()
    changed = staff.locator("#what-changed")
    expect(changed).to_contain_text("6. Contact with parents and carers")
    expect(changed).to_contain_text("decline every friend request from a parent")
    assert axe_violations(staff) == []
    staff.get_by_role("link", name="Check your understanding").click()  # a new version: asked again
    answer_the_check(staff)
    staff.get_by_role("button", name="I have read and understood version 3").click()
    expect(staff.get_by_text("You have confirmed that you have read version 3")).to_be_visible()
    staff_context.close()

    # HR's reading page for the policy shows, per question, how many got it right first time (the same session:
    # a second sign-in inside the same 30 seconds would reuse the authenticator's code, which allauth refuses).
    hr.goto(f"{live_server.url}/admin/policy-reading/policy/{policy.pk}/")
    expect(hr.get_by_role("heading", name="Check your understanding: version 3")).to_be_visible()
    expect(hr.get_by_role("row", name=re.compile("WhatsApp"))).to_contain_text("1 (100%)")
    assert axe_violations(hr) == []

    # On HR's dashboard: section 6's change once, what it says now, and the answers resting on it to tick; one
    # ticked and marked checked, the rest left to check.
    hr.goto(f"{live_server.url}/admin/")
    change = hr.locator(".answer-change", has_text="6. Contact with parents and carers")
    expect(change).to_have_count(1)
    expect(change).to_contain_text("decline every friend request from a parent")
    for width in (390, 1280):
        hr.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(hr) == []
    first_answer = cites_six.first()
    change.get_by_label(first_answer.title).check()
    change.get_by_role("button", name="Still true: mark the ticked answers checked").click()
    expect(hr.get_by_text(re.compile(r"Marked 1 answer as checked"))).to_be_visible()
    hr_context.close()


def test_hr_sees_who_has_not_read(page, live_server, demo_school):
    sign_in(page, live_server.url, "hr@oakbrook.example", next_path="/admin/policy-reading/")
    expect(page.get_by_role("heading", name="Policy reading")).to_be_visible()
    page.get_by_role("link", name="Staff social media policy").click()
    expect(page.get_by_role("cell", name=re.compile("staff@oakbrook.example"))).to_be_visible()
    page.get_by_role("button", name="Send reminders to everyone who has not read it").click()
    expect(page.get_by_text(re.compile(r"Sent \d+ reminders"))).to_be_visible()
