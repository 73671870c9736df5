"""A version is what HR prepares, governors approve and staff read (issue 16): the sections' drafts belong to the
policy's next version, it is submitted once, the governors see it marked against the issued version, and their
approval publishes it and issues it in one go."""

import pytest
from wagtail.models import PageLogEntry, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from policypages import versioning
from policypages.models import PolicyPage, PolicySectionPage, PolicyVersion
from policypages.reading import ReadingState, confirm_read, status_for
from tests.policypages.factories import PolicySectionPageFactory, issue, section_body

pytestmark = pytest.mark.django_db


def sections_of(policy):
    return list(PolicySectionPage.objects.child_of(policy).order_by("path"))


def draft(section, *sentences, title=None, user=None):
    """HR saves a draft of a section, as the editor's 'Save draft' does."""
    section = PolicySectionPage.objects.get(pk=section.pk)
    section.body = section_body(*sentences)
    if title:
        section.title = title
    section.save_revision(user=user)
    return section


def policy_form(policy, *, label="2", summary="Friend requests from parents: declined, and reported.", **extra):
    data = nested_form_data(
        {
            "title": policy.title,
            "slug": policy.slug,
            "summary": policy.summary,
            "acknowledgement_required": "on",
            "next_version_label": label,
            "next_version_change_type": "substantive",
            "next_version_summary": summary,
            "understanding_check": streamfield([]),
        }
    )
    data.update(extra)
    return data


def submit(client, policy, **form):
    """HR presses 'Submit to Governing body approval' in the policy's editor."""
    data = policy_form(policy, **form)
    data["action-submit"] = "Submit to Governing body approval"
    return client.post(f"/admin/pages/{policy.pk}/edit/", data)


@pytest.fixture
def issued(policy):
    issue(policy, "1")
    return PolicyPage.objects.get(pk=policy.pk)


@pytest.fixture
def prepared(issued, hr_user, client):
    """Three sections changed and one added by HR, submitted once."""
    one, two, three = sections_of(issued)
    draft(one, "Rule 1 says staff must be kind and patient.", "Second paragraph of section 1.", user=hr_user)
    draft(two, "Rule 2 now says staff decline every friend request from a parent.", user=hr_user)
    draft(three, "Rule 3 says staff must be kind.", "Second paragraph of section 3.", title="Reporting", user=hr_user)
    PolicySectionPageFactory(
        parent=issued, number="4", title="Parents", slug="parents", live=False, body=section_body("A new rule.")
    )
    client.force_login(hr_user)
    response = submit(client, issued)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    return PolicyPage.objects.get(pk=issued.pk)


def test_hr_is_told_which_step_of_approval_it_went_to_not_moderation(issued, hr_user, client):
    client.force_login(hr_user)
    one, _, _ = sections_of(issued)
    draft(one, "Rule 1 says staff must be kind and patient.", user=hr_user)
    page = client.get(submit(client, issued)["Location"]).content.decode()
    assert "has been sent for approval: Governors&#x27; approval." in page
    assert "submitted for moderation" not in page


def test_hr_submits_once_and_the_governor_sees_exactly_those_changes_marked(prepared, governor, client):
    assert prepared.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 1  # one submission
    client.force_login(governor)
    home = client.get("/admin/").content.decode()
    assert "Policy versions waiting for your approval" in home and "Social media" in home
    page = client.get(f"/admin/policy-versions/{prepared.pk}/next/").content.decode()
    assert "Friend requests from parents: declined, and reported." in page
    assert "<del>kind.</del> <ins>kind and patient.</ins>" in page  # words marked within a changed line
    assert "4. Parents" in page and "Added" in page
    assert "Previously: 3. Section 3" in page  # a renamed section says so
    assert page.count('class="school-change"') == 4  # the three changed and the one added, nothing else
    assert "Approve and issue version 2" in page


def test_approval_publishes_every_change_and_issues_the_version_at_once(prepared, governor, staff_user, client, rf):
    request = rf.get("/")
    request.user = staff_user
    confirm_read(staff_user, prepared, PolicyVersion.objects.get(policy=prepared, label="1").pk)
    assert "decline every friend request" not in client.get(prepared.url).content.decode()  # not live yet

    client.force_login(governor)
    response = client.post(
        f"/admin/policy-versions/{prepared.pk}/next/", {"action": "approve", "comment": "Agreed at the FGB."}
    )
    assert response.status_code == 302

    version = PolicyVersion.objects.get(policy=prepared, label="2")
    assert version.approver == governor and version.approval_comment == "Agreed at the FGB."
    assert version.summary_of_changes == "Friend requests from parents: declined, and reported."
    assert [s.heading for s in version.sections.all()] == ["1. Section 1", "2. Section 2", "3. Reporting", "4. Parents"]
    assert all(not s.has_unpublished_changes and s.live for s in sections_of(prepared))
    policy = PolicyPage.objects.get(pk=prepared.pk)
    assert policy.next_version_label == "" and policy.next_version_summary == ""  # the next one starts empty
    assert policy.current_workflow_state is None
    assert PageLogEntry.objects.filter(page=policy, action="policypages.issue_version").exists()

    client.force_login(staff_user)
    page = client.get(policy.url).content.decode()
    assert "decline every friend request" in page and "Version 2" in page
    assert status_for(staff_user, policy).state == ReadingState.NEEDS_REREAD  # asked to read it again


def test_sections_are_locked_while_the_governors_decide(prepared, hr_user, client):
    section = sections_of(prepared)[0]
    assert section.get_lock() and section.get_lock().for_user(hr_user)
    client.force_login(hr_user)
    data = nested_form_data(
        {
            "number": "1",
            "title": "Section 1",
            "slug": section.slug,
            "body": streamfield([("paragraph", rich_text("Sneaked in after submission."))]),
        }
    )
    client.post(f"/admin/pages/{section.pk}/edit/", data)
    assert "Sneaked in" not in str(PolicySectionPage.objects.get(pk=section.pk).get_latest_revision().content)


def test_sending_back_keeps_every_edit_and_the_live_policy(prepared, governor, hr_user, client):
    client.force_login(governor)
    # A send-back says why.
    client.post(f"/admin/policy-versions/{prepared.pk}/next/", {"action": "reject", "comment": ""})
    assert prepared.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    client.post(f"/admin/policy-versions/{prepared.pk}/next/", {"action": "reject", "comment": "Name the DSL."})

    policy = PolicyPage.objects.get(pk=prepared.pk)
    assert policy.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not PolicyVersion.objects.filter(policy=policy, label="2").exists()
    assert "decline every friend request" not in client.get(policy.url).content.decode()
    two = sections_of(policy)[1]
    assert two.has_unpublished_changes and "decline every friend" in str(two.get_latest_revision().content)
    assert two.get_lock() is None  # HR can work on it again

    client.force_login(hr_user)
    assert "Name the DSL." in client.get(f"/admin/pages/{policy.pk}/edit/").content.decode()
    assert "Name the DSL." in client.get(f"/admin/policy-versions/{policy.pk}/").content.decode()


def test_a_version_goes_to_the_governors_only_with_a_number_after_the_current_one_and_a_summary(
    issued, hr_user, client
):
    draft(sections_of(issued)[0], "New words.", user=hr_user)
    client.force_login(hr_user)
    response = submit(client, issued, summary="")
    assert response.status_code == 200 and "Say what changed" in response.content.decode()
    response = submit(client, issued, label="1")
    assert response.status_code == 200 and "is not after the current version 1" in response.content.decode()
    assert PolicyPage.objects.get(pk=issued.pk).current_workflow_state is None


def test_a_failed_issue_leaves_the_approval_the_pages_and_the_versions_as_they_were(
    prepared, governor, client, monkeypatch
):
    from django.core.exceptions import ValidationError

    def refuse(*args, **kwargs):
        raise ValidationError("Version 2 has just been issued by someone else.")

    monkeypatch.setattr(versioning, "issue_version", refuse)
    client.force_login(governor)
    response = client.post(f"/admin/policy-versions/{prepared.pk}/next/", {"action": "approve"}, follow=True)
    assert "has just been issued by someone else" in response.content.decode()
    policy = PolicyPage.objects.get(pk=prepared.pk)
    assert policy.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert "Rule 2 now" not in str(sections_of(policy)[1].live_revision.content)
    assert not sections_of(policy)[3].live
    assert list(policy.issued_versions.values_list("label", flat=True)) == ["1"]


def test_abandoning_a_prepared_version_leaves_the_live_policy_untouched(issued, hr_user, client):
    one = sections_of(issued)[0]
    draft(one, "Words nobody approved.", user=hr_user)
    new = PolicySectionPageFactory(parent=issued, number="9", slug="nine", live=False, body=section_body("Draft."))
    client.force_login(hr_user)
    response = client.post(f"/admin/policy-versions/{issued.pk}/next/abandon/", follow=True)
    assert "was abandoned" in response.content.decode()
    one = PolicySectionPage.objects.get(pk=one.pk)
    assert not one.has_unpublished_changes and one.get_latest_revision_as_object().body.raw_data[0]["value"] == (
        "<p>Rule 1 says staff must be kind.</p>"
    )
    assert not PolicySectionPage.objects.filter(pk=new.pk).exists()
    assert versioning.draft_version(PolicyPage.objects.get(pk=issued.pk)) is None
    assert PageLogEntry.objects.filter(action="policypages.abandon_version").exists()


def test_a_version_with_the_governors_cannot_be_abandoned(prepared, hr_user, client):
    client.force_login(hr_user)
    response = client.post(f"/admin/policy-versions/{prepared.pk}/next/abandon/", follow=True)
    assert "wait for them to approve it or send it back" in response.content.decode()
    assert PolicyPage.objects.get(pk=prepared.pk).current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


@pytest.mark.parametrize("role", ["staff_user", "senior_leader", "safeguarding_lead"])
def test_nobody_else_sees_or_decides_a_prepared_version(prepared, client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(f"/admin/policy-versions/{prepared.pk}/next/").status_code in (302, 403)
    client.post(f"/admin/policy-versions/{prepared.pk}/next/", {"action": "approve"})
    assert not PolicyVersion.objects.filter(policy=prepared, label="2").exists()


def test_hr_sees_the_marked_changes_but_cannot_approve_them(prepared, hr_user, client):
    client.force_login(hr_user)
    page = client.get(f"/admin/policy-versions/{prepared.pk}/next/").content.decode()
    assert "With the governors for approval" in page and "Approve and issue" not in page
    response = client.post(f"/admin/policy-versions/{prepared.pk}/next/", {"action": "approve"}, follow=True)
    assert "Sorry, you do not have permission" in response.content.decode()  # Wagtail's answer to a refusal
    assert not PolicyVersion.objects.filter(policy=prepared, label="2").exists()


# --- no section goes live outside a version: every way Wagtail offers, for every role ---------------


@pytest.mark.parametrize("role", ["hr_user", "site_admin", "governor", "superuser"])
def test_no_role_holds_a_right_to_publish_policy_text_outside_a_version(issued, tree, request, role):
    if role == "superuser":
        from tests.accounts.factories import UserFactory

        user = UserFactory(is_superuser=True)
    else:
        user = request.getfixturevalue(role)
    section = sections_of(issued)[0]
    perms = section.permissions_for_user(user)
    assert not perms.can_publish() and not perms.can_unpublish() and not perms.can_submit_for_moderation()
    assert not perms.can_delete() and not perms.can_move() and not perms.can_unschedule()
    policy_perms = issued.permissions_for_user(user)
    assert not policy_perms.can_publish()
    assert not policy_perms.can_publish_subpage()
    assert not tree.policies.permissions_for_user(user).can_publish_subpage()


def test_a_site_admin_cannot_publish_a_section_through_any_admin_route(issued, site_admin, client):
    section = sections_of(issued)[0]
    client.force_login(site_admin)
    body = streamfield([("paragraph", rich_text("Published without approval."))])
    form = nested_form_data({"number": "1", "title": "Section 1", "slug": section.slug, "body": body})
    client.post(f"/admin/pages/{section.pk}/edit/", {**form, "action-publish": "Publish"})
    new = nested_form_data({"number": "7", "title": "Seven", "slug": "seven", "body": body})
    client.post(f"/admin/pages/add/policypages/policysectionpage/{issued.pk}/", {**new, "action-publish": "Publish"})
    client.post(f"/admin/pages/{section.pk}/unpublish/", {})
    client.post(f"/admin/pages/multiple/publish/?id={section.pk}", {})
    client.post(f"/admin/pages/{section.pk}/delete/", {})

    assert "Published without approval" not in client.get(issued.url).content.decode()
    assert not PolicySectionPage.objects.filter(slug="seven", live=True).exists()
    assert PolicySectionPage.objects.get(pk=section.pk).live


def test_the_copy_of_a_policy_is_never_published_from_the_copy_screen(issued, site_admin, tree, client):
    client.force_login(site_admin)
    client.post(
        f"/admin/pages/{issued.pk}/copy/",
        {
            "new_title": "Copy",
            "new_slug": "copy",
            "new_parent_page": tree.policies.pk,
            "copy_subpages": "on",
            "publish_copies": "on",
        },
    )
    copy = PolicyPage.objects.filter(slug="copy").first()
    assert copy is None or (not copy.live and not PolicySectionPage.objects.child_of(copy).live().exists())


def test_live_text_that_no_version_holds_is_listed_for_hr(issued, hr_user, client):
    section = sections_of(issued)[1]
    section.body = section_body("Published the old way, before versions were approved whole.")
    section.save_revision().publish(skip_permission_checks=True)  # as sites did before this change
    assert [s.pk for s in versioning.unissued_live_sections(issued)] == [section.pk]
    client.force_login(hr_user)
    page = client.get(f"/admin/policy-versions/{issued.pk}/").content.decode()
    assert "is not in any issued version" in page and section.heading in page


def test_redline_marks_a_moved_section(issued):
    one, two, three = sections_of(issued)
    three.move(issued, pos="first-child")
    changes = {c.heading: c for c in versioning.redline(PolicyPage.objects.get(pk=issued.pk))}
    assert changes["3. Section 3"].moved and not changes["2. Section 2"].moved


def test_a_policy_page_visitor_sees_only_the_issued_text(prepared, client):
    client.logout()
    page = client.get(prepared.url).content.decode()
    assert "Rule 2 says staff must be kind." in page and "decline every friend request" not in page


def remove(section, user=None):
    """HR ticks 'Remove this section in the next version' and saves the draft."""
    section = PolicySectionPage.objects.get(pk=section.pk)
    section.remove_in_next_version = True
    section.save_revision(user=user)
    return section


def approve(policy, governor):
    state = PolicyPage.objects.get(pk=policy.pk).current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, governor, "approve")


def test_a_section_removed_in_a_version_leaves_when_it_is_approved(issued, hr_user, governor, client):
    three = remove(sections_of(issued)[2], user=hr_user)
    assert client.get(three.url).status_code == 200  # still there until the governors approve
    changes = {c.heading: c.status for c in versioning.redline(issued)}
    assert changes["3. Section 3"] == "removed"
    client.force_login(hr_user)
    assert "Removed in the next version" in client.get(f"/admin/pages/{issued.pk}/edit/").content.decode()
    assert submit(client, issued, summary="Section 3 is no longer needed.").status_code == 302

    approve(issued, governor)
    version = PolicyVersion.objects.get(policy=issued, label="2")
    assert [s.number for s in version.sections.all()] == ["1", "2"]
    assert not PolicySectionPage.objects.get(pk=three.pk).live
    # Gone, it is no longer part of what the next version prepares.
    assert versioning.draft_version(PolicyPage.objects.get(pk=issued.pk)) is None


def test_abandoning_a_removal_keeps_the_section(issued, hr_user, client):
    three = remove(sections_of(issued)[2], user=hr_user)
    client.force_login(hr_user)
    client.post(f"/admin/policy-versions/{issued.pk}/next/abandon/")
    three = PolicySectionPage.objects.get(pk=three.pk)
    assert three.live and not three.has_unpublished_changes
    assert not three.get_latest_revision_as_object().remove_in_next_version


def test_hr_dashboard_lists_policies_whose_live_text_no_version_holds(issued, tree, hr_user, governor, client):
    from tests.policypages.factories import make_policy

    never_issued = make_policy(tree.policies, sections=1, title="Never issued", slug="never-issued")
    assert versioning.policies_with_unissued_text() == {
        never_issued.pk: [PolicySectionPage.objects.child_of(never_issued).get().pk]
    }
    section = sections_of(issued)[0]
    section.body = section_body("Published the old way.")
    section.save_revision().publish(skip_permission_checks=True)
    assert versioning.policies_with_unissued_text()[issued.pk] == [section.pk]

    client.force_login(hr_user)
    home = client.get("/admin/").content.decode()
    assert "Policies whose live text is not an issued version" in home
    assert "Social media" in home and "Never issued" in home
    client.force_login(governor)  # only those who can put it right see it
    assert "Policies whose live text is not an issued version" not in client.get("/admin/").content.decode()


def test_the_unissued_text_check_reads_the_same_few_queries_for_any_number_of_policies(
    tree, django_assert_max_num_queries
):
    from tests.policypages.factories import make_policy

    for n in range(6):
        issue(make_policy(tree.policies, sections=4, title=f"P{n}", slug=f"p{n}"), "1")
    with django_assert_max_num_queries(4):
        assert versioning.policies_with_unissued_text() == {}


# --- who approves: governors; the owner for an editorial version where the school allows it; never oneself ---


def editorial_version_by(policy, client, submitter, owner):
    PolicyPage.objects.filter(pk=policy.pk).update(policy_owner=owner)
    policy = PolicyPage.objects.get(pk=policy.pk)
    draft(sections_of(policy)[0], "Rule 1 says staff must be kind (typo fixed).")
    client.force_login(submitter)
    data = policy_form(policy, label="1.1", summary="A typo fixed.")
    data["next_version_change_type"] = "editorial"
    data["action-submit"] = "Submit to Governing body approval"
    assert client.post(f"/admin/pages/{policy.pk}/edit/", data).status_code == 302
    return PolicyPage.objects.get(pk=policy.pk)


def test_the_owner_approves_an_editorial_version_where_the_school_allows_it(issued, hr_user, client):
    from accounts import roles
    from policypages.models import PolicyApprovalTask
    from tests.accounts.factories import UserFactory
    from tests.conftest import with_mfa

    owner = with_mfa(UserFactory(groups=[roles.STAFF, roles.POLICY_EDITORS]))
    policy = editorial_version_by(issued, client, hr_user, owner)
    task_state = policy.current_workflow_state.current_task_state
    assert task_state.task.specific.get_actions(policy, owner) == []  # not unless the school allows it

    PolicyApprovalTask.objects.update(owner_approves_editorial=True)
    task = PolicyApprovalTask.objects.get()
    assert task.get_actions(policy, owner) and task.get_task_states_user_can_moderate(owner).count() == 1
    client.force_login(owner)
    client.post(f"/admin/policy-versions/{policy.pk}/next/", {"action": "approve"})
    version = PolicyVersion.objects.get(policy=policy, label="1.1")
    assert version.approver == owner and version.approved_by.startswith("Policy owner (editorial version)")


def test_the_owner_cannot_approve_a_substantive_version_or_their_own(issued, hr_user, client):
    from policypages.models import PolicyApprovalTask

    PolicyApprovalTask.objects.update(owner_approves_editorial=True)
    policy = editorial_version_by(issued, client, hr_user, hr_user)  # HR owns it and submitted it
    task = PolicyApprovalTask.objects.get()
    assert task.get_actions(policy, hr_user) == [] and not task.get_task_states_user_can_moderate(hr_user).exists()
    client.force_login(hr_user)
    client.post(f"/admin/policy-versions/{policy.pk}/next/", {"action": "approve"})
    assert not PolicyVersion.objects.filter(policy=policy, label="1.1").exists()


def test_nobody_approves_a_version_they_submitted(issued, site_admin, client):
    from policypages.models import PolicyApprovalTask
    from tests.accounts.factories import UserFactory
    from tests.conftest import with_mfa

    chair = with_mfa(UserFactory(is_superuser=True))
    policy = editorial_version_by(issued, client, chair, None)
    assert policy.current_workflow_state.requested_by == chair
    assert PolicyApprovalTask.objects.get().get_actions(policy, chair) == []


# --- a whole version approved for a later go-live date --------------------------------------------------


def test_a_version_approved_for_a_later_date_goes_live_whole_on_that_date(issued, hr_user, governor, client):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    go_live = timezone.now() + datetime.timedelta(days=3)
    one = draft(sections_of(issued)[0], "From January, staff must be kind.", user=hr_user)
    client.force_login(hr_user)
    data = policy_form(issued, summary="Kindness from January.")
    data["go_live_at"] = go_live.strftime("%Y-%m-%d %H:%M")
    data["action-submit"] = "Submit to Governing body approval"
    assert client.post(f"/admin/pages/{issued.pk}/edit/", data).status_code == 302
    approve(issued, governor)

    policy = PolicyPage.objects.get(pk=issued.pk)
    assert not policy.issued_versions.filter(label="2").exists()  # approved, not yet live
    assert "From January" not in client.get(policy.url).content.decode()
    assert policy.draft_version().stage == "approved, waiting to go live"
    assert PolicySectionPage.objects.get(pk=one.pk).get_lock().for_user(hr_user)  # what goes live is what was approved
    assert policy.get_lock().for_user(hr_user)
    assert versioning.issue_due_versions() == []  # not due yet
    assert "goes live, whole, on" in client.get(f"/admin/policy-versions/{policy.pk}/").content.decode()

    versions = versioning.issue_due_versions(now=go_live + datetime.timedelta(minutes=1))
    assert [v.label for v in versions] == ["2"]
    assert versions[0].approver == governor and versions[0].issued_on == timezone.localdate()
    assert "From January" in client.get(policy.url).content.decode()
    assert PolicyPage.objects.get(pk=issued.pk).draft_version() is None
    call_command("issue_scheduled_versions", stdout=open("/dev/null", "w"))  # nothing left, nothing twice
    assert PolicyVersion.objects.filter(policy=policy, label="2").count() == 1


def test_reordering_sections_prepares_the_next_version_and_readers_keep_the_issued_order(
    issued, hr_user, governor, client
):
    one, two, three = sections_of(issued)
    client.force_login(hr_user)
    # Wagtail's "sort menu order": section 3 dragged to the top.
    assert client.post(f"/admin/pages/{three.pk}/set_position/?position=0").status_code == 200
    policy = PolicyPage.objects.get(pk=issued.pk)
    assert [s.pk for s in sections_of(policy)] == [three.pk, one.pk, two.pk]  # the next version's order
    page = client.get(policy.url).content.decode()
    assert page.index("Rule 1 says") < page.index("Rule 3 says")  # readers: the issued order
    draft_version = policy.draft_version()
    assert draft_version.reordered and draft_version.changed_sections == []
    assert [c.heading for c in versioning.redline(policy) if c.moved] == ["3. Section 3"]

    assert submit(client, policy, summary="Reporting comes first.").status_code == 302
    assert client.post(f"/admin/pages/{one.pk}/set_position/?position=0").status_code in (302, 403)  # locked
    approve(policy, governor)
    version = PolicyVersion.objects.get(policy=policy, label="2")
    assert [s.number for s in version.sections.all()] == ["3", "1", "2"]
    page = client.get(policy.url).content.decode()
    assert page.index("Rule 3 says") < page.index("Rule 1 says")


def test_abandoning_a_new_order_puts_the_sections_back(issued, hr_user, client):
    one, two, three = sections_of(issued)
    client.force_login(hr_user)
    client.post(f"/admin/pages/{three.pk}/set_position/?position=0")
    client.post(f"/admin/policy-versions/{issued.pk}/next/abandon/")
    assert [s.pk for s in sections_of(issued)] == [one.pk, two.pk, three.pk]
    assert PolicyPage.objects.get(pk=issued.pk).draft_version() is None


def test_after_approval_search_and_the_pdf_hold_the_new_text(
    prepared, governor, staff_user, client, django_capture_on_commit_callbacks
):
    import io

    from pypdf import PdfReader

    client.force_login(staff_user)
    assert "decline every friend request" not in str(client.get("/api/search/", {"q": "decline friend request"}).json())
    with django_capture_on_commit_callbacks(execute=True):
        approve(prepared, governor)
    found = client.get("/api/search/", {"q": "decline every friend request from a parent"}).json()
    # The index was brought up to date with the version: the section is found by its new words, shown in its snippet.
    assert found["results"][0]["title"] == "Social media 2. Section 2"
    assert "decline" in found["results"][0]["snippet"].lower()
    pdf = client.get(prepared.url + "pdf/")
    assert 'version-2.pdf"' in pdf["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "decline every friend request from a parent" in " ".join(text.split()) and "Version 2" in text


def test_a_single_school_is_not_offered_the_trusts_tickbox(issued, hr_user, client):
    client.force_login(hr_user)
    one = sections_of(issued)[0]
    editor = client.get(f"/admin/pages/{one.pk}/edit/").content.decode()
    assert "Body" in editor or "body" in editor
    assert "schools write their own version of this section" not in editor.lower()


def test_view_draft_shows_the_whole_policy_as_its_next_version_would_read(issued, hr_user, client):
    one, two, three = sections_of(issued)
    draft(one, "Rule 1 now says staff must be patient too.", user=hr_user)
    PolicySectionPageFactory(
        parent=issued, number="4", title="Parents", slug="parents", live=False, body=section_body("A brand new rule.")
    )
    three.remove_in_next_version = True
    three.save_revision(user=hr_user)
    client.force_login(hr_user)
    page = client.get(f"/admin/pages/{issued.pk}/view_draft/").content.decode()
    assert "no published sections" not in page
    assert "staff must be patient too" in page and "A brand new rule." in page
    assert "Rule 2" in page  # unchanged sections as they are
    assert three.title not in page.split("policy-body", 1)[1]  # to be removed: left out
    assert "2 of 3 new or changed" in page
    # Readers still see the current version.
    live = client.get(issued.url).content.decode()
    assert "A brand new rule." not in live and "patient too" not in live
