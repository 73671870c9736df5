"""What a new school hits on its first day (issue 15): each item with the test that fails without its fix."""

import pytest

from tests.policypages.factories import make_policy

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
    from tests.guidance.factories import make_answer

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


def test_each_form_says_truthfully_who_reads_it(client, tree, staff_user):
    from django.contrib.auth.models import Group, Permission

    client.force_login(staff_user)
    expected = {
        "relationship": "Only you, HR and the senior leadership team can read what you send.",
        "rejected_contact": "Only you, the designated safeguarding lead and the senior leadership team can read",
        "abuse": "Only you, the designated safeguarding lead and the senior leadership team can read",
        "account_request": "Only you, HR and the senior leadership team can read what you send.",
    }
    from declarations.models import RecordFormPage

    for page in RecordFormPage.objects.all():
        html = client.get(page.url).content.decode().replace("&#x27;", "'")
        assert expected[page.form] in html, page.form
    # The sentence follows the rules, not a template: take HR off declarations and the form says so.
    Group.objects.get(name="Policy editors").permissions.remove(Permission.objects.get(codename="review_relationship"))
    page = RecordFormPage.objects.get(form="relationship")
    assert "Only you and the senior leadership team can read" in client.get(page.url).content.decode()


def test_submitted_dates_read_as_people_write_them_in_the_schools_time(client, tree, staff_user, senior_leader):
    from declarations.models import Record
    from tests.declarations.conftest import form_data

    client.force_login(staff_user)
    client.post("/records/submit/relationship/", form_data("relationship", since="2019-06-01"))
    client.post("/records/submit/rejected_contact/", form_data("rejected_contact", contacted_at="2026-07-20T19:30"))
    relationship, contact = Record.objects.order_by("pk")
    mine = client.get(relationship.get_absolute_url()).content.decode()
    assert "1 June 2019" in mine and "2019-06-01" not in mine
    # 19:30 typed in July is British Summer Time: shown as typed, not as 18:30 UTC or with an offset.
    theirs = client.get(contact.get_absolute_url()).content.decode()
    assert "20 July 2026, 19:30" in theirs and "+00:00" not in theirs
    client.force_login(senior_leader)
    inbox = client.get(f"/admin/declarations/record/inspect/{contact.pk}/").content.decode()
    assert "20 July 2026, 19:30" in inbox
    csv = client.get(f"/admin/records/export/{staff_user.pk}/").content.decode()
    assert "1 June 2019" in csv and "20 July 2026, 19:30" in csv and "+00:00" not in csv


def test_an_overdue_confirmation_says_so_and_gives_the_year(client, tree, staff_user):
    import datetime

    from tests.policypages.factories import issue

    policy = make_policy(tree.policies, sections=1, slug="old")
    issue(policy, issued_on=datetime.date(2025, 9, 1))
    staff_user.start_date = datetime.date(2020, 1, 1)
    staff_user.save()
    client.force_login(staff_user)
    banner = client.get(policy.url).content.decode()
    assert "this is overdue" in banner and "15 September 2025" in banner
    hub = client.get("/staff/").content.decode()
    assert "overdue: was due 15 Sep 2025" in hub


def test_hr_find_a_policys_sections_in_order_numbered_from_the_policy(client, tree, hr_user):
    import re

    from tests.policypages.factories import PolicySectionPageFactory

    policy = make_policy(tree.policies, sections=3, slug="numbered")
    # Section 2 changed last: Wagtail's listing would put it first.
    PolicySectionPageFactory(parent=policy, number="4", title="Added later", slug="later", live=False)
    second = policy.get_children().get(slug="section-2").specific
    second.title = "Section 2 (edited)"
    second.save_revision()
    client.force_login(hr_user)
    editor = client.get(f"/admin/pages/{policy.pk}/edit/").content.decode()
    headings = re.findall(r">(\d\. [^<]+)</a></td>", editor)
    # Each as HR's newest draft has it: the next version's headings.
    assert headings == ["1. Section 1", "2. Section 2 (edited)", "3. Section 3", "4. Added later"]
    assert "Changed in the next version" in editor and "New in the next version" in editor
    listing = client.get(f"/admin/pages/{policy.pk}/").content.decode()
    order = [listing.index(title) for title in ("1. Section 1", "2. Section 2", "3. Section 3", "4. Added later")]
    assert order == sorted(order)


def test_each_section_of_a_policy_has_one_link_not_three(client, tree):
    policy = make_policy(tree.policies, sections=2, slug="one-link")
    html = client.get(policy.url).content.decode()
    assert "on its own" not in html and "Link to this section" not in html
    section = policy.get_children().first()
    assert html.count(f'href="{section.url}"') == 1


@pytest.fixture
def reported(client, tree, staff_user):
    from declarations.models import Record
    from tests.declarations.conftest import form_data, pdf, png

    client.force_login(staff_user)
    client.post("/records/submit/abuse/", {**form_data("abuse"), "evidence": [png(), pdf()]})
    client.logout()
    return Record.objects.get()


def test_reviewers_see_evidence_images_and_pdfs_in_the_page_and_can_still_download(client, reported, senior_leader):
    client.force_login(senior_leader)
    html = client.get(f"/admin/declarations/record/inspect/{reported.pk}/").content.decode()
    image, document = reported.evidence.order_by("pk")
    assert f'<img class="evidence-view" src="{image.get_absolute_url()}?view=inline"' in html
    assert f'<iframe class="evidence-view evidence-view--pdf" src="{document.get_absolute_url()}?view=inline"' in html
    shown = client.get(image.get_absolute_url() + "?view=inline")
    assert shown["Content-Disposition"].startswith("inline") and "sandbox" in shown["Content-Security-Policy"]
    framed = client.get(document.get_absolute_url() + "?view=inline")
    assert framed["Content-Disposition"].startswith("inline")
    assert "frame-ancestors 'self'" in framed["Content-Security-Policy"] and framed["X-Frame-Options"] == "SAMEORIGIN"
    assert framed["X-Content-Type-Options"] == "nosniff"
    assert client.get(document.get_absolute_url())["Content-Disposition"].startswith("attachment")


def test_text_evidence_is_never_shown_inline(client, tree, staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from declarations.models import EvidenceFile
    from tests.declarations.conftest import form_data

    client.force_login(staff_user)
    client.post(
        "/records/submit/abuse/",
        {**form_data("abuse"), "evidence": [SimpleUploadedFile("notes.txt", b"<script>alert(1)</script>")]},
    )
    item = EvidenceFile.objects.get()
    response = client.get(item.get_absolute_url() + "?view=inline")
    assert response["Content-Disposition"].startswith("attachment")


def test_the_dashboard_counts_new_records_since_the_reviewer_last_looked(client, reported, senior_leader, staff_user):
    from tests.declarations.conftest import form_data

    client.force_login(senior_leader)
    assert "1 new" in client.get("/admin/").content.decode()
    client.get("/admin/declarations/record/")
    assert "Nothing new since you last looked" in client.get("/admin/").content.decode()
    client.force_login(staff_user)
    client.post("/records/submit/relationship/", form_data("relationship"))
    client.force_login(senior_leader)
    dashboard = client.get("/admin/").content.decode()
    assert "1 new" in dashboard and "2 waiting to be acknowledged" in dashboard


def test_governors_dashboard_has_no_records_panel(client, reported, governor):
    client.force_login(governor)
    assert "Confidential records" not in client.get("/admin/").content.decode()


def test_a_reply_the_submitter_has_not_seen_is_marked(client, reported, senior_leader, staff_user):
    client.force_login(senior_leader)
    client.post(f"/admin/records/{reported.pk}/message/", {"text": "Thank you, we have reported the account."})
    client.force_login(staff_user)
    assert "New reply" in client.get("/staff/my-records/").content.decode()
    assert "New reply" in client.get("/staff/").content.decode()  # the hub says so too, on its own
    client.get(reported.get_absolute_url())
    assert "New reply" not in client.get("/staff/my-records/").content.decode()
    assert "New reply" not in client.get("/staff/").content.decode()
