"""Admin panels of the answer editor."""

from wagtail.admin.panels import Panel


class AnswerChecksPanel(Panel):
    """At the top of an answer's editor: the policy changes it has not been checked against yet."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "guidance/admin/answer_checks_panel.html"

        def is_shown(self):
            return bool(self.instance.pk) and self.instance.checks.filter(checked_at__isnull=True).exists()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["checks"] = self.instance.checks.filter(checked_at__isnull=True).select_related("version__policy")
            return context
