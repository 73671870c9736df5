"""HR's search screens as Wagtail viewsets: the synonym groups (a snippet) and the searches report."""

from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import GlossaryTerm, SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = "Search synonyms"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]
    copy_view_enabled = False  # Wagtail 8.0's copy saves onto the original (schools/admin_viewsets.py)


class GlossaryTermViewSet(SnippetViewSet):
    """School terms of art search reads as their meaning: a general list ships; HR adds the school's own."""

    model = GlossaryTerm
    icon = "search"
    menu_label = "Search glossary"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["term", "meaning"]
    search_fields = ["term", "meaning"]
    copy_view_enabled = False


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


class SearchReportViewSet(ViewSet):
    name = "search_report"
    url_prefix = "search-report"
    icon = "search"
    menu_label = "Searches and answers"
    menu_order = 700
    menu_hook = "register_reports_menu_item"
    menu_item_class = SearchReportMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.search_report, name="index"),
            path("teach/", admin_views.teach, name="teach"),
            path("teach/add/", admin_views.add_phrasing, name="add_phrasing"),
            path("teach/new/", admin_views.new_answer, name="new_answer"),
        ]
