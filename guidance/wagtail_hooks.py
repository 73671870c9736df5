from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core import published
from policypages.wagtail_hooks import DashboardPanel

from . import admin_views, hub, questions

hooks.register("staff_hub_context", hub.staff_hub_context)
hooks.register("parents_page_context", hub.parents_page_context)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("guidance/import/", admin_views.import_answers_view, name="guidance_import"),
        path("guidance/import/template.csv", admin_views.template_csv, name="guidance_import_template"),
        path("guidance/checks/<int:check_id>/checked/", admin_views.mark_checked, name="guidance_check_done"),
        path("guidance/questions/", admin_views.questions_view, name="guidance_questions"),
        path("guidance/questions/draft/", admin_views.draft_answer_view, name="guidance_question_draft"),
        path("guidance/questions/set-aside/", admin_views.set_aside_view, name="guidance_question_set_aside"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        # The menu is drawn on every admin page: the indexes come from the published snapshot, not 4 queries.
        indexes = published.current().derived("guidance indexes", admin_views.guidance_indexes)
        return admin_views.can_import(request.user, indexes)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem("Import answers", reverse("guidance_import"), icon_name="upload", order=240)


class AnswersToCheckPanel(DashboardPanel):
    """Answers resting on a policy section an issued version changed or removed, for whoever may edit them."""

    name = "answers_to_check"
    order = 120
    template_name = "guidance/admin/answers_to_check_panel.html"

    def get_context_data(self, parent_context):
        return {"checks": admin_views.checks_for(self.request.user), "request": self.request}


@hooks.register("construct_homepage_panels")
def add_answers_to_check_panel(request, panels):
    panels.append(AnswersToCheckPanel(request))


class QuestionsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_answer_questions(request.user)


@hooks.register("register_admin_menu_item")
def register_questions_menu_item():
    return QuestionsMenuItem("Questions asked", reverse("guidance_questions"), icon_name="help", order=235)


class QuestionsWaitingPanel(DashboardPanel):
    """How many questions people sent from search wait for HR, on HR's dashboard."""

    name = "questions_waiting"
    order = 125
    template_name = "guidance/admin/questions_waiting_panel.html"

    def get_context_data(self, parent_context):
        return {"waiting": questions.waiting_count()}


@hooks.register("construct_homepage_panels")
def add_questions_waiting_panel(request, panels):
    if admin_views.can_answer_questions(request.user):
        panels.append(QuestionsWaitingPanel(request))
