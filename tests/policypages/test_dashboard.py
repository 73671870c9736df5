import datetime

import pytest

from tests.policypages.factories import issue, make_policy

pytestmark = pytest.mark.django_db


def test_dashboard_lists_policies_due_for_review_to_editors(client, tree, hr_user):
    for slug, due in (("late", datetime.date(2020, 1, 1)), ("fresh", datetime.date(2099, 1, 1))):
        # Issued, as live policies are (the dashboard lists live text no version holds in a panel of its own).
        issue(make_policy(tree.policies, sections=1, slug=slug, title=f"{slug.title()} policy", next_review_due=due))
    client.force_login(hr_user)
    html = client.get("/admin/").content.decode()
    assert "Policies overdue or due for review" in html
    assert "Late policy" in html and "Overdue" in html
    assert "Fresh policy" not in html


def test_dashboard_panel_is_not_shown_to_people_who_cannot_edit_policies(client, tree, governor):
    make_policy(tree.policies, sections=1, slug="late", title="Late policy", next_review_due=datetime.date(2020, 1, 1))
    client.force_login(governor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Late policy" not in response.content.decode()


def test_staff_without_admin_access_are_kept_out_of_the_admin(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/admin/")
    assert response.status_code == 403  # a page saying so and where to go (no redirect loop)
