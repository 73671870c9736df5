from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The lowest layer: what every other app needs and nothing of theirs. Page privacy, the published
    snapshot and the content version, the page cache, HTTP, upload and CSV helpers, counters, security headers,
    the admin sidebar kept per person."""

    name = "core"
    verbose_name = "Core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import admin_sidebar, content  # noqa: F401  (their receivers: what changes the content version, the sidebar)

        admin_sidebar.use_the_kept_sidebar()
