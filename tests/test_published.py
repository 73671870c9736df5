"""The published snapshot (core/published.py) and the section bodies rendered once per content version:
they answer as Wagtail and the database would, change at once, and never carry one reader's page to another."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from accounts import roles
from core import published
from tests.accounts.factories import UserFactory
from tests.policypages.factories import issue, make_policy, section_body

pytestmark = pytest.mark.django_db


def test_every_page_type_takes_its_restrictions_from_the_snapshot():
    # A page type without it would still be correct (Wagtail's own check), only slower; this keeps them all fast.
    page_models = [m for m in apps.get_models() if issubclass(m, Page) and m is not Page]
    assert page_models
    for model in page_models:
        assert issubclass(model, published.RestrictionsFromSnapshot), model


@pytest.mark.parametrize(
    "hostname, port",
    [("testserver", 80), ("school.example", 80), ("school.example", 8000), ("other.example", 443), ("x", 1)],
)
def test_the_snapshot_chooses_the_site_wagtail_would(tree, hostname, port):
    Site.objects.create(hostname="school.example", port=8000, root_page=tree.parents, site_name="Parents")
    Site.objects.create(hostname="other.example", port=80, root_page=tree.staff, site_name="Staff")
    chosen = published.current().site_for(hostname, port)
    try:
        expected = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        expected = None
    assert (chosen and chosen.pk) == (expected and expected.pk)


def test_routing_from_the_snapshot_agrees_with_the_tree(client, tree, staff_user):
    policy = make_policy(tree.policies, sections=2, slug="conduct")
    issue(policy)
    client.force_login(staff_user)
    assert client.get("/policies/conduct/section-1/").status_code == 200
    assert client.get("/policies/conduct/pdf/").status_code == 200  # a routable page's own sub-path
    assert client.get("/policies/conduct/versions/1/").status_code == 200
    assert client.get("/policies/conduct/versions/9/").status_code == 404
    assert client.get("/policies/conduct/section-9/").status_code == 404
    assert client.get("/policies/nothing-here/").status_code == 404

    section = policy.get_children().get(slug="section-1").specific
    section.unpublish()
    assert client.get("/policies/conduct/section-1/").status_code == 404
    section.slug = "renamed"
    section.save_revision().publish()
    assert client.get("/policies/conduct/renamed/").status_code == 200
    assert client.get("/policies/conduct/section-1/").status_code == 404


def test_a_live_page_under_a_draft_parent_is_served_as_wagtail_would(client, tree):
    policy = make_policy(tree.policies, sections=1, slug="draft-parent")
    policy.unpublish()
    assert client.get("/policies/draft-parent/").status_code == 404
    assert client.get("/policies/draft-parent/section-1/").status_code == 200


def test_a_group_restriction_and_a_change_of_its_groups_apply_at_once(client, tree):
    policy = make_policy(tree.policies, sections=1, slug="leaders-only")
    leaders = Group.objects.get(name=roles.SENIOR_LEADERS)
    restriction = PageViewRestriction.objects.create(page=policy, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([leaders])
    teacher = UserFactory(groups=[roles.STAFF])
    client.force_login(teacher)
    assert client.get("/policies/leaders-only/section-1/").status_code == 302
    assert "Leaders-only" not in client.get("/policies/").content.decode()

    restriction.groups.add(Group.objects.get(name=roles.STAFF))  # only the groups change: no save of the row
    assert client.get("/policies/leaders-only/section-1/").status_code == 200


def test_a_staff_only_section_never_reaches_a_visitor_after_staff_have_read_it(client, mixed_policy, staff_user):
    client.force_login(staff_user)
    assert "extension 4321" in client.get("/policies/mixed/").content.decode()
    assert "extension 4321" in client.get("/policies/mixed/internal/").content.decode()
    client.logout()
    assert "extension 4321" not in client.get("/policies/mixed/").content.decode()
    assert client.get("/policies/mixed/internal/").status_code == 302


def test_a_section_made_staff_only_leaves_the_public_policy_at_once(client, tree, settings):
    settings.PAGE_CACHE_ENABLED = False  # the body fragments, not the visitors' whole-page cache
    policy = make_policy(tree.policies, sections=2, slug="conduct")
    assert "Rule 2 says" in client.get("/policies/conduct/").content.decode()
    section = policy.get_children().get(slug="section-2")
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    assert "Rule 2 says" not in client.get("/policies/conduct/").content.decode()


def test_a_new_version_of_a_section_shows_at_once_to_staff(client, tree, staff_user):
    policy = make_policy(tree.policies, sections=1, slug="conduct")
    client.force_login(staff_user)
    assert "Rule 1 says" in client.get("/policies/conduct/section-1/").content.decode()
    section = policy.get_children().get(slug="section-1").specific
    section.body = section_body("A rewritten rule.")
    section.save_revision().publish()
    for address in ("/policies/conduct/section-1/", "/policies/conduct/"):
        html = client.get(address).content.decode()
        assert "A rewritten rule." in html and "Rule 1 says" not in html


def test_a_form_link_reads_differently_to_visitors_whoever_rendered_it_first(client, tree, staff_user, settings):
    settings.PAGE_CACHE_ENABLED = False
    form = tree.staff.get_children().type(apps.get_model("declarations", "RecordFormPage")).first()
    body = [{"type": "form_link", "value": {"page": form.pk, "label": "Declare it", "text": ""}}]
    make_policy(tree.policies, sections=0, slug="forms")
    policy = Page.objects.get(slug="forms").specific
    from tests.policypages.factories import PolicySectionPageFactory

    PolicySectionPageFactory(parent=policy, number="1", title="Forms", slug="forms-section", body=body)
    client.force_login(staff_user)
    assert "(staff sign-in)" not in client.get("/policies/forms/").content.decode()
    client.logout()
    assert "(staff sign-in)" in client.get("/policies/forms/").content.decode()


def test_one_persons_reading_status_never_reaches_anothers_page(client, tree):
    policy = make_policy(tree.policies, sections=1, slug="conduct")
    version = issue(policy)
    reader, other = UserFactory(groups=[roles.STAFF]), UserFactory(groups=[roles.STAFF])
    client.force_login(reader)
    client.post("/policies/conduct/confirm/", {"version": version.pk})
    assert "You confirmed version 1" in client.get("/policies/conduct/").content.decode()
    client.force_login(other)
    html = client.get("/policies/conduct/").content.decode()
    assert "You confirmed" not in html and "Please read this policy" in html  # the receipt is the reader's alone


def test_a_rebranding_shows_at_once_on_signed_in_pages(client, tree, staff_user):
    from policypages.branding import SchoolBranding

    client.force_login(staff_user)
    assert "Test School" in client.get("/staff/").content.decode()
    branding = SchoolBranding.for_site(tree.home.get_site())
    branding.school_name = "Riverside Academy"
    branding.save()
    assert "Riverside Academy" in client.get("/staff/").content.decode()
