from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "guidance"
    verbose_name = "Guidance answers"

    def ready(self):
        from . import signals  # noqa: F401  (they register themselves)
