"""Confirming a policy version: receipts, duplicates, stale versions, re-reading, and My policies."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from policypages.models import PolicySectionPage, PolicyVersion, ReadReceipt
from policypages.reading import ReadingState, status_for
from tests.accounts.factories import UserFactory
from tests.policypages.factories import issue as issue_policy
from tests.policypages.factories import make_policy, section_body

pytestmark = pytest.mark.django_db


def issue(policy, label, change_type=PolicyVersion.SUBSTANTIVE, summary="Changes."):
    return issue_policy(
        policy,
        label,
        issued_on=datetime.date(2026, 9, 1),
        approved_on=datetime.date(2026, 8, 1),
        change_type=change_type,
        summary=summary,
    )


def edit(policy, number, text):
    section = PolicySectionPage.objects.child_of(policy).get(number=number)
    section.body = section_body(text)
    section.save_revision().publish(skip_permission_checks=True)


def confirm(client, version):
    return client.post("/policies/social-media/confirm/", {"version": version.pk}, follow=True)


def test_staff_confirm_the_current_version(client, policy, staff_user):
    v1 = issue(policy, "1")
    client.force_login(staff_user)
    page = client.get("/policies/social-media/").content.decode()
    assert "I have read and understood version 1" in page
    response = confirm(client, v1)
    html = response.content.decode()
    assert "You have confirmed that you have read version 1" in html
    assert "You confirmed version 1 on" in html
    receipt = ReadReceipt.objects.get()
    assert (receipt.user, receipt.policy, receipt.version) == (staff_user, policy, v1)


def test_confirming_twice_records_one_receipt(client, policy, staff_user):
    v1 = issue(policy, "1")
    client.force_login(staff_user)
    confirm(client, v1)
    html = confirm(client, v1).content.decode()
    assert "You already confirmed version 1 on" in html
    assert ReadReceipt.objects.count() == 1


def test_a_version_replaced_while_reading_is_not_confirmed(client, policy, staff_user):
    v1 = issue(policy, "1")
    client.force_login(staff_user)
    client.get("/policies/social-media/")  # the page is open on version 1 ...
    edit(policy, "1", "Staff must now be extra kind.")
    issue(policy, "2")  # ... when HR issues version 2
    response = client.post("/policies/social-media/confirm/", {"version": v1.pk})
    assert response["Location"] == "/policies/social-media/#what-changed"
    html = client.get(response["Location"]).content.decode()
    assert "Version 2 replaced version 1 while you were reading" in html
    assert not ReadReceipt.objects.exists()


@pytest.mark.parametrize("bad", ["", "abc", "999999", "-1"])
def test_nonsense_versions_are_refused_plainly(client, policy, staff_user, bad):
    issue(policy, "1")
    client.force_login(staff_user)
    response = client.post("/policies/social-media/confirm/", {"version": bad}, follow=True)
    assert "That is not a version of this policy." in response.content.decode()
    assert not ReadReceipt.objects.exists()


def test_a_version_of_another_policy_is_refused(client, policy, tree, staff_user):
    issue(policy, "1")
    other = make_policy(tree.policies, sections=1, slug="other")
    other_version = issue(other, "1")
    client.force_login(staff_user)
    client.post("/policies/social-media/confirm/", {"version": other_version.pk})
    assert not ReadReceipt.objects.exists()


def test_anonymous_readers_cannot_confirm(client, policy):
    v1 = issue(policy, "1")
    assert "I have read and understood" not in client.get("/policies/social-media/").content.decode()
    response = client.post("/policies/social-media/confirm/", {"version": v1.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ReadReceipt.objects.exists()


def test_confirming_needs_the_csrf_token(policy, staff_user):
    v1 = issue(policy, "1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.post("/policies/social-media/confirm/", {"version": v1.pk}).status_code == 403
    assert not ReadReceipt.objects.exists()


def test_receipts_are_append_only(policy, staff_user):
    v1 = issue(policy, "1")
    receipt = ReadReceipt.objects.create(user=staff_user, policy=policy, version=v1)
    with pytest.raises(ValidationError):
        receipt.save()
    with pytest.raises(ValidationError):
        receipt.delete()


def test_substantive_version_asks_again_and_shows_what_changed(client, policy, staff_user):
    v1 = issue(policy, "1")
    client.force_login(staff_user)
    confirm(client, v1)
    edit(policy, "2", "Staff must never accept friend requests from parents.")
    issue(policy, "2", summary="Friend requests from parents are now forbidden.")
    assert status_for(staff_user, policy).state == ReadingState.NEEDS_REREAD
    html = client.get("/policies/social-media/").content.decode()
    assert "This policy has changed since you confirmed version 1" in html
    assert "What changed since version 1" in html
    assert "<ins>never accept friend requests from parents.</ins>" in html or "friend requests from parents" in html
    assert "Friend requests from parents are now forbidden." in html
    assert "I have read and understood version 2" in html


def test_editorial_version_changes_nobodys_status(client, policy, staff_user):
    v1 = issue(policy, "1")
    client.force_login(staff_user)
    confirm(client, v1)
    edit(policy, "2", "A typo fixed.")
    issue(policy, "1.1", change_type=PolicyVersion.EDITORIAL)
    status = status_for(staff_user, policy)
    assert status.state == ReadingState.READ
    html = client.get("/policies/social-media/").content.decode()
    assert "only changed wording" in html
    assert "What changed since" not in html


def test_my_policies_lists_only_my_own_statuses(client, tree, staff_user):
    read_policy = make_policy(tree.policies, sections=1, slug="read-one", title="Read one")
    todo_policy = make_policy(tree.policies, sections=1, slug="todo", title="To do")
    make_policy(tree.policies, sections=1, slug="optional", title="Optional", acknowledgement_required=False)
    issue(read_policy, "1")
    issue(todo_policy, "1")
    colleague = UserFactory(groups=["Staff"])
    ReadReceipt.objects.create(user=staff_user, policy=read_policy, version=read_policy.current_version)
    ReadReceipt.objects.create(user=colleague, policy=todo_policy, version=todo_policy.current_version)
    client.force_login(staff_user)
    html = client.get("/staff/my-policies/").content.decode()
    assert "You have 1 policy to read" in html
    assert "Read one" in html and "To do" in html and "Optional" not in html
    assert html.index("To do") < html.index("Read one")  # outstanding first
    assert html.count("Not read") == 1


def test_my_policies_needs_sign_in(client, tree):
    response = client.get("/staff/my-policies/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_new_starters_get_time_from_their_start_date(tree, settings):
    settings.POLICY_READ_WITHIN_DAYS = 10
    policy = make_policy(tree.policies, sections=1, slug="p")
    issue(policy, "1")  # issued 1 September 2026
    old_hand = UserFactory(groups=["Staff"], start_date=datetime.date(2020, 1, 6))
    new_starter = UserFactory(groups=["Staff"], start_date=datetime.date(2026, 11, 2))
    assert status_for(old_hand, policy).due == datetime.date(2026, 9, 11)
    assert status_for(new_starter, policy).due == datetime.date(2026, 11, 12)
    assert status_for(old_hand, policy, today=datetime.date(2026, 11, 3)).overdue
    assert not status_for(new_starter, policy, today=datetime.date(2026, 11, 3)).overdue


def test_a_policy_for_one_group_only_asks_that_group(client, tree, staff_user, governor):
    from django.contrib.auth.models import Group

    policy = make_policy(tree.policies, sections=1, slug="governance", title="Governance code")
    policy.applies_to.add(Group.objects.get(name="Governors"))
    policy.save_revision().publish(skip_permission_checks=True)
    issue(policy, "1")
    from policypages.reading import my_policies

    assert [s.requirement.policy.title for s in my_policies(governor)] == ["Governance code"]
    assert my_policies(staff_user) == []
    assert status_for(governor, policy).state == ReadingState.NOT_READ
