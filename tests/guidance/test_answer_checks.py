"""Answers that stay true (issue 20, third part): a version that changes or removes a section an answer rests on
flags the answer for HR, and staff reading it are told, until HR publishes it again or marks it checked."""

import pytest

from guidance.models import AnswerCheck
from policypages.models import PolicySectionPage
from tests.guidance.factories import make_answer
from tests.policypages.factories import issue, make_policy, section_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(tree):
    policy = make_policy(tree.policies, sections=3, title="Social media", slug="social-media")
    issue(policy, "1")
    one, two, three = PolicySectionPage.objects.child_of(policy).order_by("path")
    answer = make_answer(tree.staff_guidance, "Can I friend a parent?")
    answer.policy_sections.set([two])
    answer.save_revision().publish()
    untouched = make_answer(tree.staff_guidance, "Can I post about a trip?")
    untouched.policy_sections.set([one])
    untouched.save_revision().publish()
    return policy, answer, untouched, two


def change(section, text):
    section = PolicySectionPage.objects.get(pk=section.pk)
    section.body = section_body(text)
    section.save_revision().publish(skip_permission_checks=True)


def test_a_version_that_changes_a_cited_section_flags_the_answer(cited, staff_user, client):
    policy, answer, untouched, two = cited
    change(two, "Staff must decline every friend request from a parent.")
    issue(policy, "2")
    check = AnswerCheck.objects.get()
    assert check.answer_id == answer.pk and check.change == "changed" and check.since_label == "1"
    assert not AnswerCheck.objects.filter(answer=untouched).exists()  # its section did not change

    client.force_login(staff_user)
    page = client.get(answer.url).content.decode()
    assert "The policy has changed since this answer was written" in page
    assert "compare/?from=1&amp;to=2" in page
    assert "has changed since" not in client.get(untouched.url).content.decode()


def test_parents_are_not_shown_a_staff_check(cited, client):
    policy, answer, _untouched, two = cited
    change(two, "New words.")
    issue(policy, "2")
    assert "has changed since" not in client.get(answer.url).content.decode()  # sent to sign in, in fact


def test_a_removed_section_flags_the_answer_too(cited):
    policy, answer, _untouched, two = cited
    PolicySectionPage.objects.get(pk=two.pk).unpublish()
    issue(policy, "2")
    assert AnswerCheck.objects.get(answer=answer).change == "removed"


def test_an_editorial_version_that_leaves_cited_words_alone_flags_nothing(cited):
    policy, _answer, _untouched, _two = cited
    issue(policy, "1.1", change_type="editorial")
    assert not AnswerCheck.objects.exists()


def test_publishing_the_answer_again_checks_it(cited, hr_user, staff_user, client):
    policy, answer, _untouched, two = cited
    change(two, "New words.")
    issue(policy, "2")
    client.force_login(hr_user)
    assert "Answers to check" in client.get("/admin/").content.decode()
    assert "The policy changed under this answer" in client.get(f"/admin/pages/{answer.pk}/edit/").content.decode()
    answer.save_revision(user=hr_user).publish(user=hr_user)
    check = AnswerCheck.objects.get()
    assert check.checked_at and check.checked_by == hr_user
    client.force_login(staff_user)
    assert "has changed since" not in client.get(answer.url).content.decode()


def test_hr_marks_an_answer_still_true_and_others_cannot(cited, hr_user, governor, staff_user, client):
    policy, answer, _untouched, two = cited
    change(two, "New words.")
    issue(policy, "2")
    check = AnswerCheck.objects.get()
    for outsider in (governor, staff_user):
        client.force_login(outsider)
        client.post(f"/admin/guidance/checks/{check.pk}/checked/")
        assert AnswerCheck.objects.get().checked_at is None
    client.force_login(hr_user)
    response = client.post(f"/admin/guidance/checks/{check.pk}/checked/", follow=True)
    assert "is marked as checked" in response.content.decode()
    assert AnswerCheck.objects.get().checked_by == hr_user
    client.force_login(staff_user)
    assert "has changed since" not in client.get(answer.url).content.decode()  # the cached page follows


def test_an_editorial_version_flags_nothing_even_where_it_changed_words(cited):
    policy, _answer, _untouched, two = cited
    change(two, "Staff decline friend requests from parents, politely.")
    issue(policy, "1.1", change_type="editorial")
    assert not AnswerCheck.objects.exists()  # HR said: wording only, nothing of substance


def test_hr_reads_the_change_once_and_marks_several_answers_checked_together(cited, tree, hr_user, client):
    policy, answer, _untouched, two = cited
    others = []
    for title in ("Can I follow a parent on Instagram?", "Can a parent add me on Facebook?"):
        other = make_answer(tree.staff_guidance, title)
        other.policy_sections.set([two])
        other.save_revision().publish()
        others.append(other)
    change(two, "Staff must decline every friend request from a parent, and tell the DSL.")
    issue(policy, "2")
    assert AnswerCheck.objects.filter(checked_at=None).count() == 3
    client.force_login(hr_user)
    dashboard = client.get("/admin/").content.decode()
    # One change, with what changed, and its three answers beneath it (not three copies of the change).
    assert dashboard.count("was changed in version 2") == 1
    assert "Staff must decline every friend request from a parent, and tell the DSL." in dashboard
    for title in ("Can I friend a parent?", "Can I follow a parent on Instagram?", "Can a parent add me on Facebook?"):
        assert title in dashboard
    ticked = AnswerCheck.objects.filter(answer__in=[answer, others[0]])
    response = client.post("/admin/guidance/checks/checked/", {"check": [c.pk for c in ticked]}, follow=True)
    assert "Marked 2 answers as checked" in response.content.decode()
    assert list(AnswerCheck.objects.filter(checked_at=None).values_list("answer_id", flat=True)) == [others[1].pk]
    assert set(AnswerCheck.objects.exclude(checked_at=None).values_list("checked_by", flat=True)) == {hr_user.pk}


def test_nothing_ticked_is_a_message_and_a_governor_cannot_mark(cited, hr_user, governor, client):
    policy, _answer, _untouched, two = cited
    change(two, "New words.")
    issue(policy, "2")
    check = AnswerCheck.objects.get()
    client.force_login(hr_user)
    response = client.post("/admin/guidance/checks/checked/", {}, follow=True)
    assert "Tick the answers that are still true" in response.content.decode()
    client.force_login(governor)
    client.post("/admin/guidance/checks/checked/", {"check": [check.pk]})
    assert AnswerCheck.objects.get().checked_at is None
