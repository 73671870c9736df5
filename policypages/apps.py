from django.apps import AppConfig


class PolicyPagesConfig(AppConfig):
    name = "policypages"
    verbose_name = "Policies"
