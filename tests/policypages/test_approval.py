"""Policy changes are published only through the governors' approval workflow."""

import pytest

from policypages.models import PolicySectionPage
from tests.factories import section_body

pytestmark = pytest.mark.django_db


def test_policy_editors_cannot_publish_a_policy_section_themselves(policy, hr_user, tree):
    section = PolicySectionPage.objects.child_of(policy).first()
    perms = section.permissions_for_user(hr_user)
    assert perms.can_edit() and not perms.can_publish()
    assert perms.can_submit_for_moderation()
    assert tree.parents.permissions_for_user(hr_user).can_publish()  # but they run the parents' page


def test_a_governor_approves_and_the_change_goes_live(policy, hr_user, governor, client):
    section = PolicySectionPage.objects.child_of(policy).first().specific
    section.body = section_body("Approved wording.")
    revision = section.save_revision(user=hr_user)
    workflow = section.get_workflow()
    assert workflow.name == "Governing body approval"
    state = workflow.start(section, hr_user)
    assert "Approved wording." not in client.get(section.url).content.decode()

    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(section, governor)
    task_state.task.specific.on_action(task_state, governor, "approve")

    section.refresh_from_db()
    assert section.live_revision_id == revision.pk
    assert "Approved wording." in client.get(section.url).content.decode()


def test_staff_cannot_approve(policy, hr_user, staff_user):
    section = PolicySectionPage.objects.child_of(policy).first().specific
    section.save_revision(user=hr_user)
    state = section.get_workflow().start(section, hr_user)
    task = state.current_task_state.task.specific
    assert not task.user_can_access_editor(section, staff_user)
    assert not task.get_actions(section, staff_user)


@pytest.mark.parametrize(
    "role, admin_status",
    [("staff_user", 403), ("hr_user", 200), ("governor", 200), ("senior_leader", 200), ("site_admin", 200)],
)
def test_admin_access_by_role(client, request, role, admin_status):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/admin/").status_code == admin_status


def test_only_publishers_can_make_a_section_staff_only(policy, hr_user, site_admin, client):
    # Privacy changes who can read a policy at once, without approval, so Wagtail ties it to publishing.
    section = PolicySectionPage.objects.child_of(policy).first()
    assert not section.permissions_for_user(hr_user).can_set_view_restrictions()
    assert section.permissions_for_user(site_admin).can_set_view_restrictions()
    client.force_login(hr_user)
    response = client.post(f"/admin/pages/{section.pk}/privacy/", {"restriction_type": "login"})
    assert response.status_code in (302, 403)
    assert not section.get_view_restrictions().exists()


def test_hr_edits_a_section_in_the_admin_and_submits_it_to_governors(client, policy, hr_user):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    section = PolicySectionPage.objects.child_of(policy).get(number="1")
    client.force_login(hr_user)
    assert client.get(f"/admin/pages/{section.pk}/edit/").status_code == 200
    data = nested_form_data(
        {
            "number": "1",
            "title": "Who this policy is for",
            "slug": section.slug,
            "body": streamfield([("paragraph", rich_text("Everyone who works here, paid or unpaid."))]),
        }
    )
    data["action-submit"] = "Submit to Governing body approval"
    response = client.post(f"/admin/pages/{section.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    section.refresh_from_db()
    assert "Everyone who works here" in str(section.get_latest_revision().content["body"])
    assert section.current_workflow_state.status == "in_progress"
    assert section.title == "Section 1"  # not live until governors approve
