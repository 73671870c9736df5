"""A page's place is part of its privacy (accounts.places): a staff-only page never becomes public by a
move, copy, alias, bulk move or the admin API; moving between places of different privacy needs the
set-privacy right; and whoever moves it, the page keeps the restrictions it had."""

import pytest
from django.db import transaction
from wagtail.models import Page, PageViewRestriction

from accounts.acting import acting_as
from accounts.places import PlaceRefused
from guidance.models import GuidanceAnswerPage
from tests.guidance.factories import make_answer
from tests.policypages.factories import PolicySectionPageFactory, make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_answer(tree):
    return make_answer(tree.staff_guidance, "Can I friend a parent", answer="<p>Extension 4321.</p>")


def readable_by_a_visitor(client, page):
    client.logout()
    response = client.get(Page.objects.get(pk=page.pk).url)
    return response.status_code == 200 and b"4321" in response.content


def test_hr_cannot_move_a_staff_answer_under_the_public_parents_page(client, tree, hr_user, staff_answer):
    """Issue 41, finding 3: POST /admin/pages/<staff answer>/move/<parents' questions>/confirm/."""
    client.force_login(hr_user)
    response = client.post(f"/admin/pages/{staff_answer.pk}/move/{tree.parents_guidance.pk}/confirm/", follow=True)
    assert "privacy change" in response.content.decode()
    assert Page.objects.get(pk=staff_answer.pk).get_parent().pk == tree.staff_guidance.pk
    assert not readable_by_a_visitor(client, staff_answer)


def test_a_site_admin_may_move_it_and_it_stays_staff_only(client, tree, site_admin, staff_answer):
    client.force_login(site_admin)
    client.post(f"/admin/pages/{staff_answer.pk}/move/{tree.parents_guidance.pk}/confirm/")
    moved = Page.objects.get(pk=staff_answer.pk)
    assert moved.get_parent().pk == tree.parents_guidance.pk
    assert PageViewRestriction.objects.filter(page=moved, restriction_type=PageViewRestriction.LOGIN).exists()
    assert not readable_by_a_visitor(client, staff_answer)


def test_the_bulk_move_and_the_admin_api_are_refused_too(client, tree, hr_user, staff_answer):
    client.force_login(hr_user)
    client.post(
        f"/admin/bulk/wagtailcore/page/move/?next=/admin/pages/&id={staff_answer.pk}",
        {"chooser": tree.parents_guidance.pk},
    )
    client.post(
        f"/admin/api/main/pages/{staff_answer.pk}/action/move/",
        {"destination_page_id": tree.parents_guidance.pk},
        content_type="application/json",
    )
    assert Page.objects.get(pk=staff_answer.pk).get_parent().pk == tree.staff_guidance.pk
    assert not readable_by_a_visitor(client, staff_answer)


def test_a_copy_or_alias_is_never_made_more_public_even_by_a_superuser(client, tree, staff_answer):
    from tests.accounts.factories import UserFactory
    from tests.conftest import with_mfa

    superuser = with_mfa(UserFactory(is_superuser=True))
    client.force_login(superuser)
    before = GuidanceAnswerPage.objects.count()
    for alias in ("", "on"):
        data = {
            "new_title": "Copied",
            "new_slug": f"copied{alias}",
            "new_parent_page": tree.parents_guidance.pk,
            "publish_copies": "on",
            "alias": alias,
        }
        response = client.post(f"/admin/pages/{staff_answer.pk}/copy/", data, follow=True)
        assert "would be read by more people" in response.content.decode()
    assert GuidanceAnswerPage.objects.count() == before
    client.post(
        f"/admin/api/main/pages/{staff_answer.pk}/action/copy/",
        {"destination_page_id": tree.parents_guidance.pk, "keep_live": True},
        content_type="application/json",
    )
    assert GuidanceAnswerPage.objects.count() == before


def test_in_code_the_move_is_refused_for_the_named_person(tree, hr_user, site_admin, staff_answer):
    with acting_as(hr_user), pytest.raises(PlaceRefused), transaction.atomic():
        Page.objects.get(pk=staff_answer.pk).move(tree.parents_guidance, pos="last-child")
    assert Page.objects.get(pk=staff_answer.pk).get_parent().pk == tree.staff_guidance.pk
    # Moved by the server itself (a command): allowed, and still kept staff-only.
    Page.objects.get(pk=staff_answer.pk).move(tree.parents_guidance, pos="last-child")
    assert PageViewRestriction.objects.filter(page_id=staff_answer.pk).exists()


def test_hr_still_moves_pages_between_places_of_the_same_privacy(client, tree, hr_user):
    first = make_policy(tree.policies, sections=1, title="First", slug="first")
    second = make_policy(tree.policies, sections=1, title="Second", slug="second")
    draft = PolicySectionPageFactory(parent=first, number="9", title="Draft", slug="draft", live=False)
    client.force_login(hr_user)
    client.post(f"/admin/pages/{draft.pk}/move/{second.pk}/confirm/")
    assert Page.objects.get(pk=draft.pk).get_parent().pk == second.pk


def test_only_the_privacy_right_lifts_a_restriction_but_deleting_a_page_takes_its_own(tree, hr_user, site_admin):
    restricted = make_answer(tree.parents_guidance, "Private one", audience="parents")
    restriction = PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    with acting_as(hr_user), pytest.raises(PlaceRefused), transaction.atomic():
        restriction.delete()
    assert PageViewRestriction.objects.filter(pk=restriction.pk).exists()
    with acting_as(hr_user):
        Page.objects.get(pk=restricted.pk).delete()  # HR may delete pages here; the restriction goes with it
    assert not PageViewRestriction.objects.filter(pk=restriction.pk).exists()
    other = make_answer(tree.parents_guidance, "Another private one", audience="parents")
    restriction = PageViewRestriction.objects.create(page=other, restriction_type=PageViewRestriction.LOGIN)
    with acting_as(site_admin):
        restriction.delete()


def test_restoring_an_old_revision_does_not_move_the_page_back(client, tree, site_admin, hr_user, staff_answer):
    """A revision made before a move, restored from a page object loaded before it, keeps the page where it is
    now (and its privacy): a save never moves a page."""
    revision = Page.objects.get(pk=staff_answer.pk).specific.save_revision()
    client.force_login(site_admin)
    client.post(f"/admin/pages/{staff_answer.pk}/move/{tree.parents_guidance.pk}/confirm/")
    with acting_as(hr_user):
        revision.as_object().save_revision().publish()
    assert Page.objects.get(pk=staff_answer.pk).get_parent().pk == tree.parents_guidance.pk
    assert Page.find_problems() == ([], [], [], [], [])
    assert not readable_by_a_visitor(client, staff_answer)
