"""Who can read what: anonymous parents, signed-in staff, staff-only policies and sections."""

import pytest

from tests.policypages.factories import PolicySectionPageFactory, make_policy

pytestmark = pytest.mark.django_db


def test_staff_hub_sends_anonymous_visitors_to_sign_in(client, tree):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/")


def test_staff_hub_opens_for_signed_in_staff(client, tree, staff_user):
    client.force_login(staff_user)
    assert client.get("/staff/").status_code == 200


def test_parents_section_is_public(client, tree):
    response = client.get("/parents/")
    assert response.status_code == 200


def test_staff_only_section_is_left_out_of_the_public_policy(client, mixed_policy):
    response = client.get("/policies/mixed/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rule 1 says staff must be kind." in html
    assert "extension 4321" not in html
    assert "Internal procedure" not in html
    assert "1 section for staff only" in html


def test_staff_only_section_is_shown_to_signed_in_staff(client, mixed_policy, staff_user):
    client.force_login(staff_user)
    html = client.get("/policies/mixed/").content.decode()
    assert "extension 4321" in html
    assert "3. Internal procedure" in html


def test_staff_only_section_page_requires_sign_in(client, mixed_policy, staff_user):
    response = client.get("/policies/mixed/internal/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(staff_user)
    assert client.get("/policies/mixed/internal/").status_code == 200


def test_public_section_pager_skips_staff_only_sections_for_anonymous(client, mixed_policy):
    html = client.get("/policies/mixed/section-2/").content.decode()
    assert "Internal procedure" not in html


def test_staff_only_policy_requires_sign_in(client, tree, staff_user):
    make_policy(tree.policies, sections=1, title="Staff only", slug="staff-only", staff_only=True)
    assert client.get("/policies/staff-only/").status_code == 302
    assert client.get("/policies/staff-only/section-1/").status_code == 302
    index_html = client.get("/policies/").content.decode()
    assert "Staff only" not in index_html
    client.force_login(staff_user)
    assert client.get("/policies/staff-only/section-1/").status_code == 200
    assert "Staff only" in client.get("/policies/").content.decode()


def test_draft_sections_are_never_shown(client, tree, staff_user):
    policy = make_policy(tree.policies, sections=1, title="Drafty", slug="drafty")
    PolicySectionPageFactory(parent=policy, number="2", title="Unfinished", slug="unfinished", live=False)
    client.force_login(staff_user)
    html = client.get("/policies/drafty/").content.decode()
    assert "Unfinished" not in html
    assert client.get("/policies/drafty/unfinished/").status_code == 404
