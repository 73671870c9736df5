"""Nobody grants themselves access to confidential records: only a superuser changes who is in the reviewer
groups (audited, and the senior leaders are told), and no group editor offers record permissions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from wagtail.models import ModelLogEntry

from accounts import roles
from accounts.guards import reviewer_groups
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa

pytestmark = pytest.mark.django_db


def refused(response):
    # Wagtail answers a refused admin screen with a redirect to the dashboard and "Sorry, you do not have
    # permission"; our own views answer 403.
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def _group(name):
    return Group.objects.get(name=name)


def test_the_reviewer_groups_are_the_ones_with_record_permissions(tree):
    assert set(reviewer_groups().values_list("name", flat=True)) == {
        roles.POLICY_EDITORS,
        roles.SENIOR_LEADERS,
        roles.SAFEGUARDING_LEAD,
    }


def _user_form_data(user, groups):
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "groups": [g.pk for g in groups],
    }


def test_a_site_admin_cannot_join_senior_leaders(client, site_admin):
    client.force_login(site_admin)
    page = client.get(f"/admin/users/edit/{site_admin.pk}/")
    assert page.status_code == 200
    leaders = _group(roles.SENIOR_LEADERS)
    assert f'value="{leaders.pk}"' not in page.content.decode()
    client.post(f"/admin/users/edit/{site_admin.pk}/", _user_form_data(site_admin, [*site_admin.groups.all(), leaders]))
    assert not site_admin.groups.filter(name=roles.SENIOR_LEADERS).exists()


def test_a_site_admin_cannot_put_someone_else_in_a_reviewer_group_or_make_a_superuser(client, site_admin, staff_user):
    client.force_login(site_admin)
    data = _user_form_data(staff_user, [_group(roles.STAFF), _group(roles.SAFEGUARDING_LEAD)])
    data["is_superuser"] = "on"
    client.post(f"/admin/users/edit/{staff_user.pk}/", data)
    staff_user.refresh_from_db()
    assert not staff_user.is_superuser
    assert list(staff_user.groups.values_list("name", flat=True)) == [roles.STAFF]
    client.post(
        "/admin/users/new/",
        {
            **_user_form_data(staff_user, [_group(roles.SENIOR_LEADERS)]),
            "email": "new@school.example",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
            "is_superuser": "on",
        },
    )
    from accounts.models import User

    new = User.objects.filter(email="new@school.example").first()
    assert new is None or (not new.is_superuser and not new.groups.filter(name=roles.SENIOR_LEADERS).exists())


def test_a_site_admin_cannot_edit_a_reviewers_account(client, site_admin, senior_leader):
    client.force_login(site_admin)
    assert refused(client.get(f"/admin/users/edit/{senior_leader.pk}/"))
    assert refused(client.post(f"/admin/users/delete/{senior_leader.pk}/"))
    assert type(senior_leader).objects.filter(pk=senior_leader.pk).exists()


def test_a_reviewers_groups_cannot_be_changed_by_a_site_admin(client, tree, hr_user):
    site_admin = with_mfa(UserFactory(groups=[roles.STAFF, roles.SITE_ADMINS]))
    client.force_login(site_admin)
    hr_user.groups.add(_group(roles.STAFF))
    # HR is a reviewer, so their account is the superuser's to edit: refused, and nothing changes.
    response = client.post(f"/admin/users/edit/{hr_user.pk}/", _user_form_data(hr_user, [_group(roles.STAFF)]))
    assert refused(response)
    assert hr_user.groups.filter(name=roles.POLICY_EDITORS).exists()


def test_reviewer_groups_cannot_be_edited_or_deleted_by_a_site_admin(client, site_admin):
    client.force_login(site_admin)
    for name in (roles.SENIOR_LEADERS, roles.POLICY_EDITORS, roles.SAFEGUARDING_LEAD):
        group = _group(name)
        assert refused(client.get(f"/admin/groups/edit/{group.pk}/"))
        assert refused(client.post(f"/admin/groups/edit/{group.pk}/", {"name": "Renamed"}))
        assert refused(client.post(f"/admin/groups/delete/{group.pk}/"))
        assert Group.objects.filter(pk=group.pk, name=name).exists()
    assert client.get(f"/admin/groups/edit/{_group(roles.STAFF).pk}/").status_code == 200


def test_no_group_editor_offers_record_permissions(client, site_admin, tree):
    superuser = with_mfa(UserFactory(is_superuser=True))
    record_permission_ids = set(
        Permission.objects.filter(content_type__app_label="declarations").values_list("pk", flat=True)
    )
    for editor in (site_admin, superuser):
        client.force_login(editor)
        for url in ("/admin/groups/new/", f"/admin/groups/edit/{_group(roles.SENIOR_LEADERS).pk}/"):
            response = client.get(url)
            if response.status_code != 200:
                continue
            form = response.context["form"]
            offered = set(form.fields["permissions"].queryset.values_list("pk", flat=True))
            assert not offered & record_permission_ids, (editor, url)
    # A superuser saving the senior leaders' group keeps its record permissions (roles as code gave them).
    client.force_login(superuser)
    leaders = _group(roles.SENIOR_LEADERS)
    before = set(leaders.permissions.filter(content_type__app_label="declarations"))
    page = client.get(f"/admin/groups/edit/{leaders.pk}/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {"name": leaders.name, "permissions": [p.pk for p in form.initial.get("permissions", [])]}
    for formset in ("page_permissions", "collection_permissions", "document_permissions", "image_permissions"):
        data.update(
            {f"{formset}-TOTAL_FORMS": "0", f"{formset}-INITIAL_FORMS": "0", f"{formset}-MAX_NUM_FORMS": "1000"}
        )
    client.post(f"/admin/groups/edit/{leaders.pk}/", data)
    assert set(leaders.permissions.filter(content_type__app_label="declarations")) == before


def test_every_membership_change_is_logged_and_the_senior_leaders_told(
    tree, senior_leader, staff_user, django_capture_on_commit_callbacks
):
    superuser = with_mfa(UserFactory(is_superuser=True))
    from wagtail.log_actions import LogContext

    with django_capture_on_commit_callbacks(execute=True), LogContext(user=superuser):
        staff_user.groups.add(_group(roles.SAFEGUARDING_LEAD))
    entry = ModelLogEntry.objects.get(action="accounts.reviewer_group.join", object_id=str(staff_user.pk))
    assert entry.user == superuser and entry.data["group"] == roles.SAFEGUARDING_LEAD
    # The person hears at their own address, the senior leaders separately; both name what changed.
    to_person, to_leaders = mail.outbox
    assert to_person.to == [staff_user.email] and to_leaders.to == [senior_leader.email]
    assert str(staff_user) in to_leaders.body and "added to Safeguarding lead" in to_leaders.body
    assert "added to Safeguarding lead" in to_person.body and str(superuser) in to_person.body
    with django_capture_on_commit_callbacks(execute=True):
        _group(roles.SAFEGUARDING_LEAD).user_set.remove(staff_user)
    assert ModelLogEntry.objects.filter(action="accounts.reviewer_group.leave", object_id=str(staff_user.pk)).exists()
    assert len(mail.outbox) == 4 and "removed from Safeguarding lead" in mail.outbox[3].body
    with django_capture_on_commit_callbacks(execute=True):
        staff_user.groups.add(_group(roles.GOVERNORS))  # not a group that needs two-step verification
    assert len(mail.outbox) == 4
