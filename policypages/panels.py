"""Admin panels of the policy editor."""

from wagtail.admin.panels import MultiFieldPanel, Panel


class SectionsPanel(Panel):
    """The policy's sections in order, numbered, with their status and a link to edit each: HR find a section
    from its policy (Wagtail's page listing would show them by last update, without numbers)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "policypages/admin/sections_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            policy = self.instance
            sections = policy.section_drafts() if policy.pk else []
            context.update(policy=policy, sections=sections)
            return context


class NextVersionPanel(MultiFieldPanel):
    """The label, kind and summary of the version HR is preparing, with where it stands: being prepared,
    with the governors, or sent back with their comment, and a link to every change it holds."""

    class BoundPanel(MultiFieldPanel.BoundPanel):
        template_name = "policypages/admin/next_version_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["draft"] = self.instance.draft_version() if self.instance.pk else None
            return context
