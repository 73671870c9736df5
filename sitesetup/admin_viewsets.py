"""Site administrators' screen for adding a school with its own site (admin_views)."""

from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import admin_views


class AddSchoolMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.ADD_SCHOOL)


class AddSchoolViewSet(ViewSet):
    name = "sitesetup_add_school"
    url_prefix = "schools/add-with-site"
    icon = "site"
    menu_label = "Add a school"
    add_to_settings_menu = True
    menu_item_class = AddSchoolMenuItem

    def get_urlpatterns(self):
        return [path("", admin_views.add_school_view, name="index")]
