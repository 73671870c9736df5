"""Guidance answers: where they live, who can read them, canonical redirects, links to policy sections."""

import pytest
from django.core.exceptions import ValidationError

from guidance.models import GuidanceAnswerPage
from policypages.models import PolicySectionPage
from tests.guidance.factories import make_answer as answer
from tests.policypages.factories import make_policy

pytestmark = pytest.mark.django_db


def test_staff_answers_need_sign_in_and_parents_answers_do_not(client, tree, staff_user):
    staff_answer = answer(tree.staff_guidance, "Can I friend a parent")
    parent_answer = answer(tree.parents_guidance, "Can I take photos", audience="parents")
    response = client.get(staff_answer.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(parent_answer.url).status_code == 200
    client.force_login(staff_user)
    assert client.get(staff_answer.url).status_code == 200


def test_answers_must_be_placed_for_their_audience(tree):
    misplaced = GuidanceAnswerPage(
        title="Public in staff", slug="x", short_answer="No", answer="<p>x</p>", audience="parents"
    )
    tree.staff_guidance.add_child(instance=misplaced)
    with pytest.raises(ValidationError, match="belong in the parents' guidance"):
        misplaced.full_clean()
    leaking = GuidanceAnswerPage(
        title="Staff in public", slug="y", short_answer="No", answer="<p>x</p>", audience="staff"
    )
    tree.parents_guidance.add_child(instance=leaking)
    with pytest.raises(ValidationError, match="belong in the staff hub's guidance"):
        leaking.full_clean()


def test_a_duplicate_redirects_to_its_canonical_answer(client, tree, staff_user):
    canonical = answer(tree.staff_guidance, "Can I be friends with a parent")
    duplicate = answer(tree.staff_guidance, "Parent friend request", canonical_answer=canonical)
    client.force_login(staff_user)
    response = client.get(duplicate.url)
    assert response.status_code == 301 and response["Location"] == canonical.url


def test_answer_shows_policy_sections_and_sections_show_answers(client, tree, staff_user):
    policy = make_policy(tree.policies, sections=5, slug="social-media", title="Social media")
    section = PolicySectionPage.objects.child_of(policy).get(number="5")
    cited = answer(tree.staff_guidance, "Can I friend a pupil")
    cited.policy_sections.set([section])
    cited.save_revision().publish(skip_permission_checks=True)
    client.force_login(staff_user)
    assert "Social media 5. Section 5" in client.get(cited.url).content.decode()
    assert "Can I friend a pupil" in client.get(section.url).content.decode()


def test_a_staff_answer_is_not_listed_on_a_public_section(client, tree):
    policy = make_policy(tree.policies, sections=1, slug="social-media")
    section = policy.get_children().specific().first()
    cited = answer(tree.staff_guidance, "Staff-only question")
    cited.policy_sections.set([section])
    cited.save_revision().publish(skip_permission_checks=True)
    html = client.get(section.url).content.decode()
    assert "Staff-only question" not in html


def test_the_answer_editor_names_each_section_with_its_policy_and_offers_live_ones(client, tree, hr_user):
    from tests.guidance.factories import make_answer
    from tests.policypages.factories import PolicySectionPageFactory, make_policy, section_body

    policy = make_policy(tree.policies, sections=2, slug="social-media", title="Staff social media policy")
    first = PolicySectionPage.objects.child_of(policy).order_by("path").first()
    draft = PolicySectionPageFactory(
        parent=policy, number="9", title="Purpose", slug="purpose", live=False, body=section_body("Draft.")
    )
    answer = make_answer(tree.staff_guidance, "Can I friend a parent?")
    answer.policy_sections.set([first])
    answer.save_revision().publish()
    client.force_login(hr_user)
    editor = client.get(f"/admin/pages/{answer.pk}/edit/").content.decode()
    assert f"Staff social media policy: {first.title}" in editor
    assert "Purpose" not in editor  # a draft nobody has published
    # A chosen section taken down since stays on the list, said to be unpublished, so saving does not drop it.
    first.unpublish()
    editor = client.get(f"/admin/pages/{answer.pk}/edit/").content.decode()
    assert f"Staff social media policy: {first.title} (not published)" in editor
    assert draft.pk
