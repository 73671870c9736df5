"""Policy changes are published only through the governors' approval workflow."""

import pytest

from policypages.models import PolicySectionPage
from tests.policypages.factories import section_body

pytestmark = pytest.mark.django_db


def test_policy_editors_cannot_publish_a_policy_section_themselves(policy, hr_user, tree):
    section = PolicySectionPage.objects.child_of(policy).first()
    perms = section.permissions_for_user(hr_user)
    assert perms.can_edit() and not perms.can_publish()
    assert not perms.can_submit_for_moderation()  # it goes to governors inside its policy's next version
    assert policy.permissions_for_user(hr_user).can_submit_for_moderation()
    assert tree.parents.permissions_for_user(hr_user).can_publish()  # but they run the parents' page


def test_a_governor_approves_and_the_change_goes_live(policy, hr_user, governor, client):
    section = PolicySectionPage.objects.child_of(policy).first().specific
    section.body = section_body("Approved wording.")
    revision = section.save_revision(user=hr_user)
    policy.next_version_label = "1"
    policy.next_version_summary = "First issue."
    policy.save_revision(user=hr_user)
    workflow = policy.get_workflow()
    assert workflow.name == "Governing body approval"
    state = workflow.start(policy, hr_user)
    assert "Approved wording." not in client.get(section.url).content.decode()

    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, governor, "approve")

    section.refresh_from_db()
    assert section.live_revision_id == revision.pk
    assert "Approved wording." in client.get(section.url).content.decode()
    assert policy.issued_versions.get().label == "1"


def test_staff_cannot_approve(policy, hr_user, staff_user):
    policy.save_revision(user=hr_user)
    state = policy.get_workflow().start(policy, hr_user)
    task = state.current_task_state.task.specific
    assert not task.user_can_access_editor(policy, staff_user)
    assert not task.get_actions(policy, staff_user)


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


def test_hr_edits_a_section_in_the_admin_and_saves_it_as_a_draft_of_the_next_version(client, policy, hr_user):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    section = PolicySectionPage.objects.child_of(policy).get(number="1")
    client.force_login(hr_user)
    editor = client.get(f"/admin/pages/{section.pk}/edit/").content.decode()
    assert "goes live until the governors approve that version" in editor
    assert "action-submit" not in editor and "action-publish" not in editor
    data = nested_form_data(
        {
            "number": "1",
            "title": "Who this policy is for",
            "slug": section.slug,
            "body": streamfield([("paragraph", rich_text("Everyone who works here, paid or unpaid."))]),
        }
    )
    response = client.post(f"/admin/pages/{section.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    section.refresh_from_db()
    assert "Everyone who works here" in str(section.get_latest_revision().content["body"])
    assert section.title == "Section 1"  # not live until governors approve
    assert [s.pk for s in policy.draft_version().changed_sections] == [section.pk]
