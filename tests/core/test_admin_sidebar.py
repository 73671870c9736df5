"""Wagtail's admin sidebar is kept per person where the cache is shared (core/admin_sidebar.py): it is built
once, shown again as built, never shown to someone else, and built afresh when what it shows may change."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from wagtail.models import GroupPagePermission

from accounts import roles
from core import admin_sidebar

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(monkeypatch, django_capture_on_commit_callbacks):
    """The memory cache of one test process behaves as a shared one. Counts how often Wagtail builds the
    sidebar, and yields a context manager that runs what a change commits."""
    monkeypatch.setattr(admin_sidebar, "is_shared_cache", lambda: True)
    built = []

    def counting(context):
        built.append(context["request"].user.pk)
        return wagtails(context)

    wagtails = admin_sidebar.wagtails_sidebar_props
    monkeypatch.setattr(admin_sidebar, "wagtails_sidebar_props", counting)
    cache.clear()
    yield built, lambda: django_capture_on_commit_callbacks(execute=True)
    cache.clear()


def sidebar(client):
    page = client.get("/admin/").content.decode()
    start = page.index('id="wagtail-sidebar-props"')
    return page[start : page.index("</script>", start)]


def test_the_sidebar_is_built_once_and_shown_as_built(client, hr_user, kept):
    built, _ = kept
    client.force_login(hr_user)
    first, second = sidebar(client), sidebar(client)
    assert first == second and "Search synonyms" in first
    assert built == [hr_user.pk]


def test_another_person_gets_their_own(client, hr_user, governor, kept):
    built, _ = kept
    client.force_login(hr_user)
    assert "Search synonyms" in sidebar(client)
    client.force_login(governor)
    assert "Search synonyms" not in sidebar(client)
    assert built == [hr_user.pk, governor.pk]


def test_a_change_to_a_groups_permissions_shows_at_once(client, hr_user, kept):
    _, committed = kept
    client.force_login(hr_user)
    assert "Search synonyms" in sidebar(client)
    editors = Group.objects.get(name=roles.POLICY_EDITORS)
    with committed():
        editors.permissions.remove(*Permission.objects.filter(codename__endswith="_synonymgroup"))
    assert "Search synonyms" not in sidebar(client)


def test_a_change_to_a_groups_page_permissions_shows_at_once(client, hr_user, kept):
    _, committed = kept
    client.force_login(hr_user)
    assert '"Pages"' in sidebar(client)
    with committed():
        for permission in GroupPagePermission.objects.filter(group__name=roles.POLICY_EDITORS):
            permission.delete()
    assert '"Pages"' not in sidebar(client)


def test_a_change_to_the_persons_groups_or_name_shows_at_once(client, hr_user, kept):
    _, committed = kept
    client.force_login(hr_user)
    assert "Users" not in sidebar(client)
    with committed():
        hr_user.groups.add(Group.objects.get(name=roles.SITE_ADMINS))
    assert "Users" in sidebar(client)
    with committed():
        hr_user.first_name = "Rowan"
        hr_user.save()
    assert "Rowan" in sidebar(client)


def test_without_a_shared_cache_it_is_built_every_time(client, hr_user, kept, monkeypatch):
    built, _ = kept
    monkeypatch.setattr(admin_sidebar, "is_shared_cache", lambda: False)
    client.force_login(hr_user)
    sidebar(client)
    sidebar(client)
    assert built == [hr_user.pk, hr_user.pk]
