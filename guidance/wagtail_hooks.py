from wagtail import hooks

from policypages.wagtail_hooks import DashboardPanel

from . import admin_views, hub, questions
from .admin_viewsets import AnswerChecksViewSet, GuidanceImportViewSet, QuestionsViewSet

hooks.register("staff_hub_context", hub.staff_hub_context)
hooks.register("parents_page_context", hub.parents_page_context)


@hooks.register("register_admin_viewset")
def register_guidance_viewsets():
    return [GuidanceImportViewSet(), AnswerChecksViewSet(), QuestionsViewSet()]


class AnswersToCheckPanel(DashboardPanel):
    """Answers resting on a policy section an issued version changed or removed, for whoever may edit them."""

    name = "answers_to_check"
    order = 120
    template_name = "guidance/admin/answers_to_check_panel.html"

    def get_context_data(self, parent_context):
        return {"changes": admin_views.changes_to_check(self.request.user), "request": self.request}


@hooks.register("construct_homepage_panels")
def add_answers_to_check_panel(request, panels):
    panels.append(AnswersToCheckPanel(request))


class QuestionsWaitingPanel(DashboardPanel):
    """How many questions people sent from search wait for HR, on HR's dashboard."""

    name = "questions_waiting"
    order = 125
    template_name = "guidance/admin/questions_waiting_panel.html"

    def get_context_data(self, parent_context):
        return {"waiting": questions.waiting_count(self.request.user)}


@hooks.register("construct_homepage_panels")
def add_questions_waiting_panel(request, panels):
    if admin_views.can_answer_questions(request.user):
        panels.append(QuestionsWaitingPanel(request))
