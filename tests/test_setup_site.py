from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupApprovalTask, PageViewRestriction, Site, WorkflowPage, WorkflowTask

from accounts.roles import GOVERNORS, ROLES
from hub.models import HomePage, ParentsPage, StaffHubPage
from policypages.models import PolicyApprovalTask, PolicyIndexPage
from sitesetup.setup import WORKFLOW_NAME, setup_site


def test_setup_site_builds_the_empty_tree(bare_site):
    tree, report = setup_site("Test School")
    assert report
    assert Site.objects.get(is_default_site=True).root_page_id == tree.home.pk
    assert StaffHubPage.objects.child_of(tree.home).count() == 1
    assert ParentsPage.objects.child_of(tree.home).count() == 1
    assert PolicyIndexPage.objects.child_of(tree.home).count() == 1
    assert PageViewRestriction.objects.filter(page=tree.staff, restriction_type="login").exists()
    assert not PageViewRestriction.objects.filter(page=tree.parents).exists()


def test_setup_site_is_idempotent(db, capsys):
    setup_site()
    _, report = setup_site()
    assert report == []
    assert HomePage.objects.count() == 1
    call_command("setup_site")
    assert "nothing to change" in capsys.readouterr().out


def test_groups_and_governors_workflow(db):
    tree, _ = setup_site()
    assert set(Group.objects.values_list("name", flat=True)) >= {role.name for role in ROLES}
    link = WorkflowPage.objects.get(page=tree.policies)
    assert link.workflow.name == WORKFLOW_NAME and link.workflow.active
    task = PolicyApprovalTask.objects.get(workflow_tasks__workflow=link.workflow)
    assert list(task.groups.values_list("name", flat=True)) == [GOVERNORS]


def test_a_site_set_up_before_versions_were_approved_whole_gets_the_policy_task(db):
    tree, _ = setup_site()
    workflow = WorkflowPage.objects.get(page=tree.policies).workflow
    new = PolicyApprovalTask.objects.get()
    old = GroupApprovalTask.objects.create(name="Governors' approval")
    old.groups.set(new.groups.all())
    WorkflowTask.objects.filter(workflow=workflow).update(task=old)  # as such a site has it
    new.delete()
    _, report = setup_site()
    assert [t.specific_class for t in workflow.tasks.all()] == [PolicyApprovalTask]
    assert any("Replaced task" in line for line in report)
    assert setup_site()[1] == []  # and it stays that way


def test_setup_site_restores_a_removed_permission(db):
    setup_site()
    editors = Group.objects.get(name="Policy editors")
    editors.permissions.clear()
    _, report = setup_site()
    assert any("Policy editors" in line for line in report)
    assert editors.permissions.filter(codename="view_policyversion").exists()


def test_each_group_has_exactly_the_permissions_roles_gives_it(db):
    setup_site()
    for role in ROLES:
        group = Group.objects.get(name=role.name)
        actual = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert actual == set(role.permissions), role.name


def test_reading_report_permissions_by_role(db):
    setup_site()
    names = {g.name for g in Group.objects.filter(permissions__codename="view_readreceipt")}
    totals = {g.name for g in Group.objects.filter(permissions__codename="view_reading_totals")}
    assert names == {"Policy editors", "Senior leaders", "Site admins"}
    assert totals == {"Governors"}


def test_wagtails_unused_starter_groups_are_removed_and_a_used_one_kept(bare_site):
    from tests.accounts.factories import UserFactory

    # What Wagtail's first migrations make on a new database (the test database's snapshot starts without them).
    for name in ("Moderators", "Editors"):
        Group.objects.get_or_create(name=name)
    UserFactory(groups=["Editors"])
    setup_site("Test School")
    names = set(Group.objects.values_list("name", flat=True))
    assert "Moderators" not in names  # it would show under a policy's "Applies to" as if it meant something
    assert "Editors" in names  # somebody is in it: the school's to remove
