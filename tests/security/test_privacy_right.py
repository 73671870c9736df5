"""Privacy is not a side effect of publish rights: only site admins (and superusers) change who may read a
page. HR may publish the staff hub and the parents' pages, and still cannot make the staff hub public."""

import pytest
from wagtail.models import PageViewRestriction

from tests.policypages.factories import PolicySectionPageFactory, make_policy

pytestmark = pytest.mark.django_db


def _privacy_url(page):
    return f"/admin/pages/{page.pk}/privacy/"


def test_hr_cannot_make_the_staff_hub_public(client, tree, hr_user):
    client.force_login(hr_user)
    assert tree.staff.permissions_for_user(hr_user).can_publish()  # they do publish the hub's pages
    assert not tree.staff.permissions_for_user(hr_user).can_set_view_restrictions()
    response = client.post(_privacy_url(tree.staff), {"restriction_type": "none"})
    assert response.status_code in (302, 403)
    assert PageViewRestriction.objects.filter(page=tree.staff).exists()
    assert client.get(_privacy_url(tree.staff)).status_code in (302, 403)


def test_hr_cannot_make_a_section_staff_only_or_public(client, tree, hr_user):
    policy = make_policy(tree.policies, sections=1, slug="p")
    private = PolicySectionPageFactory(parent=policy, number="2", slug="private", staff_only=True)
    client.force_login(hr_user)
    client.post(_privacy_url(policy), {"restriction_type": "login"})
    client.post(_privacy_url(private), {"restriction_type": "none"})
    assert not PageViewRestriction.objects.filter(page=policy).exists()
    assert PageViewRestriction.objects.filter(page=private).exists()


def test_site_admins_change_privacy(client, tree, site_admin):
    client.force_login(site_admin)
    assert client.get(_privacy_url(tree.parents)).status_code == 200
    client.post(_privacy_url(tree.parents), {"restriction_type": "login"})
    assert PageViewRestriction.objects.filter(page=tree.parents).exists()


@pytest.mark.parametrize("role", ["hr_user", "governor", "senior_leader", "safeguarding_lead"])
def test_no_other_role_changes_privacy(client, tree, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for page in (tree.staff, tree.parents, tree.policies, tree.home):
        assert not page.permissions_for_user(user).can_set_view_restrictions(), (role, page)
        client.post(_privacy_url(page), {"restriction_type": "none" if page == tree.staff else "login"})
    assert list(PageViewRestriction.objects.values_list("page_id", flat=True)) == [tree.staff.pk]
