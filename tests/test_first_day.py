"""What a new school hits on its first day (issue 15): each item with the test that fails without its fix."""

import pytest

from tests.factories import make_policy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/pages/", "/admin/declarations/record/", "/admin/reports/site-history/"]
)
def test_staff_opening_the_admin_get_a_page_not_a_loop(client, staff_user, path):
    client.force_login(staff_user)
    response = client.get(path)
    assert response.status_code == 403
    html = response.content.decode()
    assert "does not open the admin" in html and 'href="/staff/"' in html
    # Following where the site sends them ends somewhere: no redirect chain at all.
    assert "Location" not in response


def test_signing_in_with_next_admin_does_not_loop_either(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/accounts/login/?next=/admin/", follow=True)
    assert len(response.redirect_chain) <= 2
    assert response.status_code in (200, 403)


def _every_page(tree):
    from declarations.models import RecordFormPage
    from tests.factories import make_answer

    policy = make_policy(tree.policies, sections=2, slug="draft-policy")
    answer = make_answer(tree.staff_guidance, "Can I friend a parent?")
    return [
        tree.home,
        tree.staff,
        tree.parents,
        tree.policies,
        policy,
        policy.get_children().first().specific,
        tree.staff_guidance,
        answer,
        RecordFormPage.objects.first(),
    ]


def test_every_page_type_shows_its_draft_and_past_revisions_in_the_admin(client, tree, site_admin):
    client.force_login(site_admin)
    pages = _every_page(tree)
    from wagtail.models import get_page_models

    ours = {model for model in get_page_models() if model._meta.app_label != "wagtailcore"}
    assert {type(page.specific) for page in pages} == ours  # a new page type must be added here
    for page in pages:
        page = page.specific
        first = page.save_revision()
        page.title = page.title + " (draft)"
        page.save_revision()
        draft = client.get(f"/admin/pages/{page.pk}/view_draft/")
        assert draft.status_code == 200, (type(page).__name__, draft.status_code)
        if page.__class__.__name__ != "HomePage":  # the home page shows the school's name, not its title
            assert "(draft)" in draft.content.decode(), type(page).__name__
        past = client.get(f"/admin/pages/{page.pk}/revisions/{first.pk}/view/")
        assert past.status_code == 200, type(page).__name__


def test_an_imported_draft_policy_can_be_viewed(client, tree, site_admin, tmp_path):
    from django.core.management import call_command

    source = tmp_path / "policy.md"
    source.write_text("# Trips policy\n\n## 1. Purpose\n\nWhy we run trips.\n\n## 2. Approval\n\nWho approves trips.\n")
    call_command("import_policy", str(source), title="Trips policy")
    from policypages.models import PolicyPage

    policy = PolicyPage.objects.get(title="Trips policy")
    assert not policy.live
    client.force_login(site_admin)
    response = client.get(f"/admin/pages/{policy.pk}/view_draft/")
    assert response.status_code == 200 and "Approval" in response.content.decode()


def test_the_demo_settings_show_the_real_error_pages_unless_asked():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    for value, expected in ((None, "False"), ("1", "True"), ("", "False")):
        env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
        env["DJANGO_SETTINGS_MODULE"] = "schoolsite.settings.dev"
        if value is not None:
            env["DEBUG"] = value
        result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)
        assert result.stdout.strip() == expected, (value, result.stderr[-500:])


def test_the_sign_in_wall_says_who_it_is_for_and_offers_no_sign_up(client, tree):
    response = client.get("/staff/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "Staff sign-in" in html and "Parents and carers" in html and 'href="/parents/"' in html
    assert "There is no sign-up" in html or "no sign-up" in html
    assert "/accounts/signup/" not in html and "sign up" not in html.lower().replace("no sign-up", "")
    assert "Ask the school office" in html


def test_the_staff_hub_does_not_ask_signed_in_people_to_sign_in(client, tree, staff_user):
    client.force_login(staff_user)
    html = client.get("/staff/").content.decode()
    assert "Sign in with your school account" not in html


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/account/", "/admin/users/"])
def test_admin_pages_ask_no_third_party_for_anything(client, tree, site_admin, path):
    import re

    client.force_login(site_admin)
    html = client.get(path).content.decode()
    # src/href/srcset/action pointing off the site (links to documentation aside, nothing is fetched).
    fetched = re.findall(r'(?:src|srcset|data-src)="(https?:)?//([^/"]+)', html)
    assert not fetched, fetched
    assert "gravatar" not in html.lower()
