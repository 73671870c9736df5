"""HR's screens for policies, as Wagtail viewsets: importing a policy, a policy's versions (the governors'
screen among them) and who has read what. The views themselves are in import_admin, admin_views and
reading_admin; each checks its own permission."""

from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from core import published

from . import admin_views, adoption_admin, import_admin, reading_admin


class ImportPolicyMenuItem(MenuItem):
    def is_shown(self, request):
        # Drawn on every admin page: the indexes come from the published snapshot, not a query.
        indexes = published.current().derived("policy indexes", import_admin.live_policy_indexes)
        return import_admin.can_import(request.user, indexes)


class PolicyImportViewSet(ViewSet):
    name = "policypages_import"
    url_prefix = "policies/import"
    icon = "upload"
    menu_label = "Import a policy"
    menu_order = 235
    add_to_admin_menu = True
    menu_item_class = ImportPolicyMenuItem

    def get_urlpatterns(self):
        return [path("", import_admin.import_policy_view, name="index")]


class PolicyVersionsViewSet(ViewSet):
    """A policy's versions, the next version's redline for the governors, and abandoning a prepared version.
    Reached from the policy's page header ("Versions and issuing") and the dashboard, not the menu."""

    name = "policypages_versions"
    url_prefix = "policy-versions"

    def get_urlpatterns(self):
        return [
            path("<int:page_id>/", admin_views.versions, name="index"),
            path("<int:page_id>/next/", admin_views.next_version, name="next"),
            path("<int:page_id>/next/abandon/", admin_views.abandon, name="abandon"),
        ]


class ReadingMenuItem(MenuItem):
    def is_shown(self, request):
        return reading_admin.can_see_totals(request.user)


class PolicyReadingViewSet(ViewSet):
    name = "policypages_reading"
    url_prefix = "policy-reading"
    icon = "tasks"
    menu_label = "Policy reading"
    menu_order = 250
    add_to_admin_menu = True
    menu_item_class = ReadingMenuItem

    def get_urlpatterns(self):
        return [
            path("", reading_admin.overview, name="overview"),
            path("policy/<int:policy_id>/", reading_admin.policy_detail, name="policy"),
            path("people/", reading_admin.people, name="people"),
            path("people/<int:user_id>/", reading_admin.person_detail, name="person"),
        ]


class TrustPoliciesMenuItem(MenuItem):
    def is_shown(self, request):
        return adoption_admin.can_see(request.user)


class TrustPoliciesViewSet(ViewSet):
    """In a trust: each school adopts the trust's policies and re-adopts their new versions (adoption.py)."""

    name = "policypages_trust"
    url_prefix = "trust-policies"
    icon = "doc-full"
    menu_label = "Trust policies"
    menu_order = 240
    add_to_admin_menu = True
    menu_item_class = TrustPoliciesMenuItem

    def get_urlpatterns(self):
        return [
            path("", adoption_admin.overview, name="index"),
            path("adopt/<int:school_id>/<int:policy_id>/", adoption_admin.adopt, name="adopt"),
            path("task/<int:task_id>/", adoption_admin.task_detail, name="task"),
            path("task/<int:task_id>/start/", adoption_admin.start, name="start"),
        ]
