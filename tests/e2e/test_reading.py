"""What parents and staff do in a real browser (accessibility of every page: test_every_page.py)."""

import re

from .conftest import sign_in


def test_a_parent_reads_the_public_policy(page, live_server, demo_school):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Policies").click()
    page.get_by_role("link", name="Staff social media policy").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Staff social media policy"
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name="5. Contact with pupils and former pupils"
    ).click()
    assert page.url.endswith("#section-5")
    assert page.get_by_text("Document status").first.is_visible()
    assert page.get_by_text("If you are abused or impersonated online").count() == 0  # staff-only section
    page.get_by_role("heading", level=2).filter(has_text=re.compile(r"^5\. ")).get_by_role("link").click()
    page.get_by_role("link", name=re.compile("Next section")).click()
    assert "Contact with parents and carers" in page.get_by_role("heading", level=1).inner_text()


def test_the_staff_hub_asks_a_parent_to_sign_in(page, live_server, demo_school):
    page.goto(live_server.url + "/staff/")
    assert "/accounts/login/" in page.url


def test_staff_sign_in_and_read_staff_only_sections_and_past_versions(page, live_server, demo_school):
    sign_in(page, live_server.url, "staff@oakbrook.example", next_path="/policies/social-media/")
    assert page.get_by_role("heading", name="9. If you are abused or impersonated online").is_visible()
    page.get_by_role("link", name="Version 1", exact=True).click()
    assert "This is a past version" in page.content()
    page.goto(live_server.url + "/policies/social-media/compare/?from=1&to=2")
    assert page.get_by_role("heading", name=re.compile("13. What we ask of parents")).is_visible()
