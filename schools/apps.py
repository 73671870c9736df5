from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools"

    def ready(self):
        from core.privacy import also_refuse

        from . import services, signals  # noqa: F401  (signals register themselves)

        also_refuse(services.other_schools_staff_pages)
