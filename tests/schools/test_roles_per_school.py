"""In a trust, a role acts within the person's own schools (issue 19): an HR editor of one school changes only
that school's pages, whatever path they take in the admin; its governors approve only its versions. The trust's
central team acts everywhere; a site with one school is as before."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Site

from accounts import roles
from policypages.branding import SchoolBranding
from policypages.models import PolicyPage
from schools.models import School
from sitesetup.setup import add_school
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa
from tests.policypages.factories import issue, make_policy

pytestmark = pytest.mark.django_db
ELM = "elm.localhost"


@pytest.fixture
def trust(tree, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ELM]
    elm_tree, _ = add_school("Elm Primary", ELM, short_name="Elm")
    oakbrook, elm = School.objects.get(site__is_default_site=True), School.objects.get(name="Elm Primary")
    oak_policy = make_policy(tree.policies, sections=2, title="Oakbrook trips", slug="oak-trips")
    elm_policy = make_policy(elm_tree.policies, sections=2, title="Elm trips", slug="elm-trips")
    for policy in (oak_policy, elm_policy):
        issue(policy, "1")

    def person(school, *groups):
        return with_mfa(UserFactory(groups=[roles.STAFF, *groups], school=school, in_central_team=school is None))

    return {
        "oak_policy": PolicyPage.objects.get(pk=oak_policy.pk),
        "elm_policy": PolicyPage.objects.get(pk=elm_policy.pk),
        "oak_home": tree.home,
        "elm_hr": person(elm, roles.POLICY_EDITORS),
        "central_hr": person(None, roles.POLICY_EDITORS),
        "elm_governor": person(elm, roles.GOVERNORS),
        "oak_governor": person(oakbrook, roles.GOVERNORS),
        "central_governor": person(None, roles.GOVERNORS),
    }


def page_urls(page_id):
    """Every admin URL that acts on one page by its id (the resolver walked, so a new one is covered too)."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("admin/pages/"):
                names = pattern.pattern.converters.keys() if hasattr(pattern.pattern, "converters") else ()
                if "<int:page_id>" in route and route.count("<") == 1 and not names - {"page_id"}:
                    found.append("/" + route.replace("<int:page_id>", str(page_id)).replace("^", "").replace("$", ""))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def refused(response):
    return response.status_code in (403, 404) or (response.status_code == 302 and response.url == "/admin/")


def test_every_admin_page_action_is_refused_for_another_schools_page(client, trust):
    urls = page_urls(trust["oak_policy"].pk)
    assert len(urls) > 10 and any(url.endswith("/edit/") for url in urls)
    client.force_login(trust["elm_hr"])

    def answer(url):
        response = client.get(url)
        if response.status_code == 405:  # lock, unlock: POST only
            return client.post(url)
        if response.status_code == 302 and response.url.startswith("/admin/pages/"):
            return client.get(response.url)  # the revisions index is the history page
        return response

    # Wagtail's "cancel the workflow?" modal checks no permission for anyone; it names no page content.
    modal = client.get(f"/admin/pages/workflow/confirm_cancellation/{trust['oak_policy'].pk}/")
    assert "Oakbrook trips" not in modal.content.decode()
    urls = [url for url in urls if "/confirm_cancellation/" not in url]
    allowed = [(url, answer(url).status_code) for url in urls if not refused(answer(url))]
    assert allowed == [], "\n".join(f"{u} {c}" for u, c in allowed)
    # Their own school's policy opens in the editor.
    assert client.get(f"/admin/pages/{trust['elm_policy'].pk}/edit/").status_code == 200


def test_another_schools_pages_cannot_be_changed_by_post(client, trust):
    client.force_login(trust["elm_hr"])
    oak = trust["oak_policy"]
    client.post(f"/admin/pages/{oak.pk}/delete/")
    client.post(f"/admin/pages/{oak.pk}/lock/")
    client.post(f"/admin/pages/{oak.pk}/edit/", {"title": "Changed by Elm", "slug": oak.slug})
    oak = PolicyPage.objects.get(pk=oak.pk)
    assert (
        oak.title == "Oakbrook trips"
        and not oak.locked
        and oak.get_latest_revision().content["title"] != ("Changed by Elm")
    )


def test_permissions_follow_the_school(trust):
    oak, elm = trust["oak_policy"], trust["elm_policy"]
    assert not oak.permissions_for_user(trust["elm_hr"]).can_edit()
    assert elm.permissions_for_user(trust["elm_hr"]).can_edit()
    assert not trust["oak_home"].permissions_for_user(trust["elm_hr"]).can_add_subpage()
    for policy in (oak, elm):
        assert policy.permissions_for_user(trust["central_hr"]).can_edit()


def test_a_schools_governors_approve_only_its_own_versions(trust):
    oak, elm = trust["oak_policy"], trust["elm_policy"]
    for policy in (oak, elm):
        policy = PolicyPage.objects.get(pk=policy.pk)
        policy.next_version_label, policy.next_version_summary = "2", "Reviewed."
        policy.save_revision(user=trust["central_hr"])
        policy.get_workflow().start(policy, trust["central_hr"])
    task = PolicyPage.objects.get(pk=oak.pk).current_workflow_state.current_task_state.task.specific
    assert task.get_actions(oak, trust["elm_governor"]) == []
    assert task.get_actions(elm, trust["elm_governor"]) != []
    assert task.get_actions(oak, trust["central_governor"]) != []

    def waiting(user):
        return {int(s.workflow_state.object_id) for s in task.get_task_states_user_can_moderate(user)}

    assert waiting(trust["elm_governor"]) == {elm.pk}
    assert waiting(trust["oak_governor"]) == {oak.pk}
    assert waiting(trust["central_governor"]) == {oak.pk, elm.pk}


def test_a_single_school_is_untouched(tree, hr_user, policy, django_assert_max_num_queries):
    assert School.objects.count() == 1
    assert policy.permissions_for_user(hr_user).can_edit()


def test_a_schools_hr_changes_only_its_own_schools_branding(client, trust):
    oak_site = Site.objects.get(is_default_site=True)
    elm_site = School.objects.get(short_name="Elm").site
    edit = "/admin/settings/policypages/schoolbranding/{}/"
    client.force_login(trust["elm_hr"])
    assert refused(client.get(edit.format(oak_site.pk)))
    client.post(edit.format(oak_site.pk), {"school_name": "Changed by Elm", "main_colour": "#1d4f7a"})
    assert SchoolBranding.for_site(oak_site).school_name != "Changed by Elm"
    # Their own school's opens, its site switcher offers only their school, and the settings menu takes them
    # there even from the trust's address.
    own = client.get(edit.format(elm_site.pk))
    assert own.status_code == 200 and f'value="{oak_site.pk}"' not in own.content.decode()
    assert client.get("/admin/settings/policypages/schoolbranding/").url == edit.format(elm_site.pk)
    client.force_login(trust["central_hr"])
    assert client.get(edit.format(oak_site.pk)).status_code == 200
    assert client.get(edit.format(elm_site.pk)).status_code == 200
