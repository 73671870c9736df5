"""Builds the empty site: page tree, groups and the governors' approval workflow. Idempotent.

Every function returns a list of human-readable lines saying what it created or changed, so the
management command can report it; running twice reports nothing new the second time.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    Site,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.roles import GOVERNORS, ROLES
from core.content import content_changed
from declarations.models import RecordFormPage
from guidance.models import GuidanceIndexPage
from hub.models import HomePage, ParentsPage, StaffHubPage
from policypages.models import PolicyApprovalTask, PolicyIndexPage
from schools.models import School
from sitesearch.glossary import DEFAULT_TERMS
from sitesearch.models import GlossaryTerm, SynonymGroup
from sitesearch.synonyms import DEFAULT_GROUPS

WORKFLOW_NAME = "Governing body approval"
TASK_NAME = "Governors' approval"


@dataclass
class SiteTree:
    home: HomePage
    staff: StaffHubPage
    parents: ParentsPage
    policies: PolicyIndexPage
    staff_guidance: Page = None
    parents_guidance: Page = None


def _child_of_type(parent, model):
    return model.objects.child_of(parent).first()


def _ensure_child(parent, model, report, **fields):
    page = _child_of_type(parent, model)
    if page is None:
        page = model(**fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        report.append(f"Created page '{page.title}' at {page.url_path}")
    return page


def ensure_site_tree(site_name="Our school"):
    report = []
    root = Page.get_first_root_node()
    # The default site's home (in a trust, the first school's); else the first home there is.
    default = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = default.root_page.specific if default else None
    if not isinstance(home, HomePage):
        home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title=site_name,
            slug="home",
            intro="<p>Our school's policies and guidance for staff and parents.</p>",
        )
        # Wagtail's first migration leaves a placeholder 'Welcome' page using the 'home' slug.
        for placeholder in root.get_children().filter(slug="home"):
            if placeholder.specific_class is Page and not placeholder.get_children().exists():
                placeholder.delete()
                report.append("Removed Wagtail's placeholder welcome page")
            else:
                home.slug = "school-home"
        root.add_child(instance=home)
        home.save_revision().publish()
        report.append(f"Created home page '{home.title}'")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=site_name)
        report.append("Created the default site")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or site_name
        site.save()
        report.append("Pointed the default site at the home page")

    return school_pages(home, report), report


def school_pages(home, report):
    """The pages every school has under its home: the staff hub (for signed-in staff only), the parents' page,
    the policies, the two guidance indexes and the confidential forms."""
    staff = _ensure_child(
        home,
        StaffHubPage,
        report,
        title="Staff hub",
        slug="staff",
        show_in_menus=True,
        intro="<p>Guidance, policies and forms for the school's staff.</p>",
    )
    if not PageViewRestriction.objects.filter(page=staff).exists():
        PageViewRestriction.objects.create(page=staff, restriction_type=PageViewRestriction.LOGIN)
        report.append("Made the staff hub visible to signed-in users only")
    parents = _ensure_child(
        home,
        ParentsPage,
        report,
        title="Parents and carers",
        slug="parents",
        show_in_menus=True,
        intro="<p>What our policies mean for families, and how to raise a concern.</p>",
    )
    policies = _ensure_child(
        home,
        PolicyIndexPage,
        report,
        title="Policies",
        slug="policies",
        show_in_menus=True,
        intro="<p>The school's policies, with their status and version history.</p>",
    )

    staff_guidance = _ensure_child(
        staff,
        GuidanceIndexPage,
        report,
        title="Staff guidance",
        slug="guidance",
        intro="<p>Quick answers to the questions staff ask most, with the policy each one rests on.</p>",
    )
    parents_guidance = _ensure_child(
        parents,
        GuidanceIndexPage,
        report,
        title="Questions from parents",
        slug="questions",
        intro="<p>Answers to questions families often ask us.</p>",
    )
    ensure_record_forms(staff, report)
    return SiteTree(
        home=home,
        staff=staff,
        parents=parents,
        policies=policies,
        staff_guidance=staff_guidance,
        parents_guidance=parents_guidance,
    )


def add_school(name, hostname, *, short_name="", urn="", port=80):
    """Another school of a trust: its own Wagtail site (reached at `hostname`), with the pages every school
    has, and the School it serves. The roles' page permissions and the approval workflow cover it too."""
    report = []
    root = Page.get_first_root_node()
    home = HomePage(
        title=name,
        slug=_free_slug(root, slugify(short_name or name) or "school"),
        intro=f"<p>{name}'s policies and guidance for staff and parents.</p>",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=name)
    report.append(f"Created the site {hostname} for {name}")
    tree = school_pages(home, report)
    school = School(name=name, short_name=short_name, urn=urn, site=site)
    school.full_clean()
    school.save()
    report.append(f"Created the school '{name}'")
    report += ensure_groups(tree)
    report += ensure_approval_workflow(tree)
    return tree, report


def _free_slug(parent, base):
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


RECORD_FORM_PAGES = [
    (
        "relationship",
        "Declare a relationship",
        "declare-a-relationship",
        "<p>Use this if you know a pupil, a former pupil or a parent outside school: family, a family friend, "
        "being a parent here yourself, or private work such as tutoring or childcare. Declaring it protects you.</p>",
        "A senior leader will read it and may talk to you about keeping school matters separate.",
    ),
    (
        "rejected_contact",
        "Report contact you declined",
        "report-declined-contact",
        "<p>Use this when a pupil, a former pupil under 18 or a parent tried to contact you on social media and you "
        "said no. Keep the screenshots: do not delete the messages.</p>",
        "A senior leader or the safeguarding lead will read it. If a child may be at risk, also tell the "
        "safeguarding lead in person today.",
    ),
    (
        "abuse",
        "Report online abuse or impersonation",
        "report-online-abuse",
        "<p>Use this if you are abused, threatened or impersonated online because of your work. Do not reply. "
        "Take screenshots showing the date, time and web address.</p>",
        "A senior leader will contact you. The school aims to have abusive content removed within 24 hours.",
    ),
    (
        "account_request",
        "Ask to open an official school account",
        "request-an-official-account",
        "<p>Every social media account run for the school needs a senior leader's approval before it is created, "
        "with at least two administrators and two moderators.</p>",
        "A senior leader will approve or refuse the request and tell you why.",
    ),
]


def ensure_record_forms(staff, report):
    """The four confidential forms are part of every site, not demo content: staff need them from day one."""

    existing = set(RecordFormPage.objects.child_of(staff).values_list("form", flat=True))
    for form, title, slug, intro, after in RECORD_FORM_PAGES:
        if form in existing:
            continue
        page = RecordFormPage(form=form, title=title, slug=slug, intro=intro, after_submit=after)
        staff.add_child(instance=page)
        page.save_revision().publish()
        report.append(f"Created form page '{title}'")


def ensure_groups(tree):
    """Create each role's group with exactly the permissions roles.py gives it (extra ones are removed)."""
    report = []
    # Every school's pages (a trust's schools share the roles, for now: see docs/roles.md).
    places = {
        "home": list(HomePage.objects.all()),
        "staff": list(StaffHubPage.objects.all()),
        "parents": list(ParentsPage.objects.all()),
        "policies": list(PolicyIndexPage.objects.all()),
    }
    for role in ROLES:
        group, created = Group.objects.get_or_create(name=role.name)
        if created:
            report.append(f"Created group '{role.name}'")
        wanted = set()
        for dotted in role.permissions:
            app_label, codename = dotted.split(".")
            wanted.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        current = set(group.permissions.all())
        if wanted != current:
            group.permissions.set(wanted)
            report.append(f"Set {len(wanted)} permissions on '{role.name}'")
        wanted_page_perms = set()
        for place, types in role.page_permissions.items():
            for page in places[place]:
                for permission_type in types:
                    wanted_page_perms.add((page.pk, f"{permission_type}_page"))
        existing = {
            (gpp.page_id, gpp.permission.codename): gpp
            for gpp in GroupPagePermission.objects.filter(group=group).select_related("permission")
        }
        for key, gpp in existing.items():
            if key not in wanted_page_perms:
                gpp.delete()
                report.append(f"Removed page permission {key[1]} on page {key[0]} from '{role.name}'")
        for page_id, codename in wanted_page_perms - set(existing):
            GroupPagePermission.objects.create(group=group, page_id=page_id, permission_type=codename[: -len("_page")])
            report.append(f"Gave '{role.name}' {codename.replace('_page', '')} on page {page_id}")
    report += _remove_wagtails_starter_groups()
    return report


# Wagtail's first migration makes these two; the roles here replace them. Left, they show up wherever groups
# are offered (a policy's "Applies to", the user editor) as if they meant something.
WAGTAIL_STARTER_GROUPS = ("Moderators", "Editors")


def _remove_wagtails_starter_groups():
    """Wagtail's starter groups, removed while nobody is in them (a school that uses one keeps it)."""
    report = []
    for group in Group.objects.filter(name__in=WAGTAIL_STARTER_GROUPS, user__isnull=True).exclude(
        name__in=[role.name for role in ROLES]
    ):
        group.delete()
        report.append(f"Removed Wagtail's unused starter group '{group.name}'")
    return report


def ensure_approval_workflow(tree):
    """The 'Governing body approval' workflow on every policy index, so every policy version needs governors."""
    report = []
    governors = Group.objects.get(name=GOVERNORS)
    task = PolicyApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = PolicyApprovalTask.objects.create(name=TASK_NAME)
        report.append(f"Created task '{TASK_NAME}'")
    if not task.groups.filter(pk=governors.pk).exists():
        task.groups.add(governors)
        report.append(f"Governors can approve '{TASK_NAME}'")
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if created:
        report.append(f"Created workflow '{WORKFLOW_NAME}'")
    replaced, waiting = _replace_plain_group_task(workflow, task)
    report += replaced
    if not waiting and not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for index in PolicyIndexPage.objects.all():
        link = WorkflowPage.objects.filter(page=index).first()
        if link is None:
            WorkflowPage.objects.create(page=index, workflow=workflow)
            report.append(f"Assigned '{WORKFLOW_NAME}' to {index.url_path}")
        elif link.workflow_id != workflow.pk:
            report.append(f"Left {index.url_path} on its own workflow '{link.workflow.name}'")
    return report


def ensure_default_synonyms():
    """Ship the curated synonym groups once; after that they are HR's to edit."""

    if SynonymGroup.objects.exists():
        return []
    SynonymGroup.objects.bulk_create(SynonymGroup(terms=terms, note=note) for terms, note in DEFAULT_GROUPS)
    return [f"Added {len(DEFAULT_GROUPS)} default search synonym groups"]


def ensure_default_glossary():
    """Ship the general glossary of school terms once; after that it is HR's to extend."""
    if GlossaryTerm.objects.exists():
        return []
    GlossaryTerm.objects.bulk_create(GlossaryTerm(term=term, meaning=meaning) for term, meaning in DEFAULT_TERMS)
    content_changed()  # bulk_create sends no signal: search must read the glossary again
    return [f"Added {len(DEFAULT_TERMS)} school terms to the search glossary"]


def ensure_school(tree):
    """The school the default site serves, with everyone who has no school yet filed under it: a single school
    is still a School, so a trust is only a second school away. A site that already has schools keeps them."""
    if School.objects.exists():
        return []
    site = tree.home.get_site()
    name = (site.site_name if site else "") or tree.home.title
    school = School.objects.create(name=name, site=site)
    get_user_model().objects.filter(school__isnull=True).update(school=school)
    return [f"Created the school '{name}'"]


@transaction.atomic
def setup_site(site_name="Our school"):
    tree, report = ensure_site_tree(site_name)
    report += ensure_school(tree)
    report += ensure_groups(tree)
    report += ensure_approval_workflow(tree)
    report += ensure_default_synonyms()
    report += ensure_default_glossary()
    return tree, report


def _replace_plain_group_task(workflow, task):
    """Sites set up before versions were approved whole used Wagtail's plain group task: the policy task takes
    its place (same groups), once nothing is waiting on the old one, so no approval in progress is cut off."""
    report, waiting = [], False
    for link in WorkflowTask.objects.filter(workflow=workflow).select_related("task"):
        old = link.task.specific
        if type(old) is not GroupApprovalTask:
            continue
        if TaskState.objects.filter(task=old, status=TaskState.STATUS_IN_PROGRESS).exists():
            report.append(f"Left task '{old.name}' in place until the approvals waiting on it are decided")
            waiting = True
            continue
        task.groups.add(*old.groups.all())
        link.task = task
        link.save(update_fields=["task"])
        old.active = False
        old.save(update_fields=["active"])
        report.append(f"Replaced task '{old.name}' with '{task.name}' (policy versions)")
    return report, waiting
