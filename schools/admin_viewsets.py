"""The trust's list of schools, under Settings, for site administrators."""

from wagtail.admin.viewsets.model import ModelViewSet

from .models import School


class SchoolViewSet(ModelViewSet):
    model = School
    icon = "home"
    menu_label = "Schools"
    add_to_settings_menu = True
    list_display = ["name", "short_name", "urn", "site"]
    search_fields = ["name", "short_name", "urn"]
    form_fields = ["name", "short_name", "urn", "site", "email_domains", "directory_groups"]
    inspect_view_enabled = False
    # Wagtail 8.0's generic "copy" saves onto the object it copies: a "copy" of a school would rewrite that
    # school's email domains and site. Off for every viewset (tests/security/test_write_paths.py walks them).
    copy_view_enabled = False
