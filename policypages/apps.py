from django.apps import AppConfig


class PolicyPagesConfig(AppConfig):
    name = "policypages"
    verbose_name = "Policies"

    def ready(self):
        from . import adoption, signals  # noqa: F401  (their receivers)
