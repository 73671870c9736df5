from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The lowest layer: what every other app needs and nothing of theirs. Page privacy, the published
    snapshot and the content version, the page cache, HTTP, upload and CSV helpers, counters, security headers."""

    name = "core"
    verbose_name = "Core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import content  # noqa: F401  (receivers that change the content version)
