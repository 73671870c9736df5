"""Issuing versions: snapshots, immutability, labels, comparison, the admin screens and who may use them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry, PageLogEntry

from policypages.models import PolicySectionPage, PolicyVersion
from policypages.services import compare_versions, suggested_next_label
from tests.policypages.factories import PolicySectionPageFactory, section_body
from tests.policypages.factories import issue as issue_policy

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 9, 1)


def issue(policy, label="1", user=None, change_type=PolicyVersion.SUBSTANTIVE, summary="First version."):
    return issue_policy(
        policy,
        label,
        issued_on=TODAY,
        approved_on=TODAY - datetime.timedelta(days=7),
        change_type=change_type,
        summary=summary,
        approved_by="Full governing body",
        user=user,
    )


def edit_section(policy, number, *sentences, title=None):
    section = PolicySectionPage.objects.child_of(policy).get(number=number)
    section.body = section_body(*sentences)
    if title:
        section.title = title
    section.save_revision().publish(skip_permission_checks=True)
    return section


def test_issuing_snapshots_every_live_section(policy, hr_user):
    version = issue(policy, user=hr_user)
    snapshot = list(version.sections.all())
    assert [s.number for s in snapshot] == ["1", "2", "3"]
    assert snapshot[0].revision_id == PolicySectionPage.objects.get(pk=snapshot[0].section_id).live_revision_id
    assert "Rule 1 says staff must be kind." in str(snapshot[0].body.render_as_block())


def test_a_past_version_keeps_its_wording_after_edits(client, policy, staff_user):
    issue(policy)
    edit_section(policy, "1", "Rule 1 now says staff must be very kind.")
    issue(policy, label="2", summary="Kinder.")
    client.force_login(staff_user)
    old = client.get("/policies/social-media/versions/1/").content.decode()
    new = client.get("/policies/social-media/").content.decode()
    assert "Rule 1 says staff must be kind." in old and "very kind" not in old
    assert "This is a past version" in old
    assert "very kind" in new


def test_unpublished_changes_are_not_issued(policy):
    section = PolicySectionPage.objects.child_of(policy).get(number="2")
    section.body = section_body("Draft wording nobody approved.")
    section.save_revision()  # a draft, not published
    version = issue(policy)
    assert "Draft wording" not in str(version.sections.get(number="2").body.render_as_block())


def test_versions_cannot_be_changed_or_deleted(policy):
    version = issue(policy)
    version.summary_of_changes = "Rewritten history"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    with pytest.raises(ValidationError):
        version.sections.first().delete()
    assert PolicyVersion.objects.get(pk=version.pk).summary_of_changes == "First version."


@pytest.mark.parametrize("label", ["", "v2", "2.x", "1", "0.9", "1.0.0.1"])
def test_bad_or_backwards_labels_are_refused(policy, label):
    issue(policy, label="1")
    with pytest.raises(ValidationError) as excinfo:
        issue(policy, label=label)
    assert "label" in excinfo.value.error_dict


def test_labels_move_forward(policy):
    assert suggested_next_label(policy) == "1"
    issue(policy, label="1")
    assert suggested_next_label(policy) == "2"
    assert suggested_next_label(policy, substantive=False) == "1.1"
    issue(policy, label="1.1", change_type=PolicyVersion.EDITORIAL)
    assert suggested_next_label(policy, substantive=False) == "1.2"


def test_a_policy_with_no_published_sections_cannot_be_issued(tree):
    from tests.policypages.factories import PolicyPageFactory

    empty = PolicyPageFactory(parent=tree.policies)
    with pytest.raises(ValidationError):
        issue(empty)


def test_issuing_is_written_to_the_audit_log(policy, hr_user):
    issue(policy, user=hr_user)
    entry = PageLogEntry.objects.get(action="policypages.issue_version")
    assert entry.page_id == policy.pk and entry.user_id == hr_user.pk and entry.data["label"] == "1"
    assert not ModelLogEntry.objects.filter(action="policypages.issue_version").exists()


def test_compare_reports_added_removed_changed_and_unchanged(policy):
    v1 = issue(policy)
    edit_section(policy, "2", "Rule 2 says staff must be patient.", "Second paragraph of section 2.", title="Patience")
    PolicySectionPage.objects.child_of(policy).get(number="3").delete()
    PolicySectionPageFactory(parent=policy, number="4", title="New rules", slug="new", body=section_body("Brand new."))
    v2 = issue(policy, label="2", summary="Changed.")
    changes = {c.heading: c for c in compare_versions(v1, v2)}
    assert changes["1. Section 1"].status == "unchanged"
    changed = changes["2. Patience"]
    assert changed.status == "changed" and changed.old_heading == "2. Section 2"
    assert (
        "<del>kind.</del>" in changed.changed_lines[0].html and "<ins>patient.</ins>" in changed.changed_lines[0].html
    )
    assert changes["4. New rules"].status == "added"
    assert changes["3. Section 3"].status == "removed"


def test_compare_escapes_what_editors_typed(policy):
    v1 = issue(policy)
    edit_section(policy, "1", "Use &lt;script&gt;alert(1)&lt;/script&gt; never.")
    v2 = issue(policy, label="2")
    html = "".join(str(line.html) for c in compare_versions(v1, v2) for line in c.lines)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_compare_page_for_staff(client, policy, staff_user):
    issue(policy)
    edit_section(policy, "1", "Rule 1 now says staff must be very kind.")
    issue(policy, label="2")
    client.force_login(staff_user)
    html = client.get("/policies/social-media/compare/?from=1&to=2").content.decode()
    assert "What changed from version 1 to version 2" in html
    assert "<ins>now</ins>" in html


def test_past_versions_and_comparisons_need_sign_in(client, policy):
    issue(policy)
    issue(policy, label="2")
    for url in ("/policies/social-media/versions/1/", "/policies/social-media/compare/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_version_is_404(client, policy, staff_user):
    client.force_login(staff_user)
    assert client.get("/policies/social-media/versions/9/").status_code == 404
    assert client.get("/policies/social-media/compare/").status_code == 404  # nothing to compare yet


def test_version_history_table_is_shown_to_every_reader(client, policy):
    issue(policy, summary="First version, agreed with unions.")
    html = client.get("/policies/social-media/").content.decode()
    assert "Version history" in html and "First version, agreed with unions." in html
    assert "Full governing body" in html


def test_staff_only_snapshot_sections_are_hidden_from_anonymous(anon_request, tree):
    from tests.policypages.factories import make_policy

    policy = make_policy(tree.policies, sections=1, slug="p2")
    PolicySectionPageFactory(parent=policy, number="2", title="Secret", slug="secret", staff_only=True)
    version = issue(policy)
    assert [s.number for s in version.sections_for(anon_request)] == ["1"]


# --- the admin screens ----------------------------------------------------------------------


def test_hr_sees_the_issued_versions_with_who_approved_them(client, policy, hr_user, governor):
    from policypages.services import issue_version

    issue_version(
        policy,
        label="1",
        issued_on=datetime.date(2026, 9, 1),
        summary_of_changes="First issue.",
        change_type="substantive",
        approved_by="Governing body approval (A Governor)",
        approved_on=datetime.date(2026, 9, 1),
        issued_by=hr_user,
        approver=governor,
        approval_comment="Agreed at the September meeting.",
    )
    client.force_login(hr_user)
    listing = client.get(f"/admin/policy-versions/{policy.pk}/").content.decode()
    assert "First issue." in listing and "Agreed at the September meeting." in listing
    assert "Governing body approval (A Governor)" in listing
    # Versions are issued by the governors' approval only (tests/policypages/test_next_version.py).
    assert client.get(f"/admin/policy-versions/{policy.pk}/issue/").status_code == 404


def test_the_editor_shows_a_versions_button_on_policies(client, policy, hr_user):
    client.force_login(hr_user)
    html = client.get(f"/admin/pages/{policy.pk}/edit/").content.decode()
    assert f"/admin/policy-versions/{policy.pk}/" in html


@pytest.mark.parametrize("role", ["governor", "senior_leader"])
def test_roles_that_cannot_edit_the_policy_cannot_abandon_its_prepared_version(client, policy, role, request):
    section = PolicySectionPage.objects.child_of(policy).first()
    section.body = section_body("A prepared change.")
    section.save_revision()
    client.force_login(request.getfixturevalue(role))
    response = client.post(f"/admin/policy-versions/{policy.pk}/next/abandon/")
    assert response.status_code in (302, 403)
    assert PolicySectionPage.objects.get(pk=section.pk).has_unpublished_changes


def test_plain_staff_cannot_reach_the_version_admin(client, policy, staff_user):
    client.force_login(staff_user)
    response = client.get(f"/admin/policy-versions/{policy.pk}/")
    assert response.status_code == 403  # a page saying the account does not open the admin
    assert client.get(f"/admin/policy-versions/{policy.pk}/next/").status_code in (302, 403)


def test_policies_with_issued_versions_cannot_be_deleted(client, policy, site_admin):
    issue(policy)
    client.force_login(site_admin)
    response = client.post(f"/admin/pages/{policy.pk}/delete/")
    assert response.status_code == 302
    policy.refresh_from_db()
    assert PolicyVersion.objects.filter(policy=policy).exists()


def test_an_editorial_version_with_a_dot_in_its_label_opens(client, policy, staff_user):
    issue(policy)
    edit_section(policy, "1", "Rule 1 says staff must be kind, and polite.")
    issue(policy, label="1.1", change_type=PolicyVersion.EDITORIAL, summary="A word added.")
    client.force_login(staff_user)
    response = client.get("/policies/social-media/versions/1.1/")
    assert response.status_code == 200
    assert "and polite" in response.content.decode()
