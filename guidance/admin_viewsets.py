"""HR's screens for guidance, as Wagtail viewsets: importing answers, answers to check after a policy changed,
and the questions people sent from search. The views are in admin_views; each checks its own permission."""

from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from core import published

from . import admin_views


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        # The menu is drawn on every admin page: the indexes come from the published snapshot, not 4 queries.
        indexes = published.current().derived("guidance indexes", admin_views.guidance_indexes)
        return admin_views.can_import(request.user, indexes)


class GuidanceImportViewSet(ViewSet):
    name = "guidance_import"
    url_prefix = "guidance/import"
    icon = "upload"
    menu_label = "Import answers"
    menu_order = 240
    add_to_admin_menu = True
    menu_item_class = ImportMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.import_answers_view, name="index"),
            path("template.csv", admin_views.template_csv, name="template"),
        ]


class AnswerChecksViewSet(ViewSet):
    """Marking an answer checked against a policy change (from the dashboard panel and the answer's editor)."""

    name = "guidance_checks"
    url_prefix = "guidance/checks"

    def get_urlpatterns(self):
        return [
            path("<int:check_id>/checked/", admin_views.mark_checked, name="checked"),
            path("checked/", admin_views.mark_several_checked, name="several_checked"),
        ]


class QuestionsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_answer_questions(request.user)


class QuestionsViewSet(ViewSet):
    name = "guidance_questions"
    url_prefix = "guidance/questions"
    icon = "help"
    menu_label = "Questions asked"
    menu_order = 235
    add_to_admin_menu = True
    menu_item_class = QuestionsMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.questions_view, name="index"),
            path("draft/", admin_views.draft_answer_view, name="draft"),
            path("set-aside/", admin_views.set_aside_view, name="set_aside"),
        ]
