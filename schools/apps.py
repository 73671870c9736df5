from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools"

    def ready(self):
        from wagtail.models import AbstractPage
        from wagtail.permissions import register_permission_policy

        from core.privacy import also_refuse

        from . import permissions, services, signals  # noqa: F401  (signals register themselves)

        also_refuse(services.other_schools_staff_pages)
        # Wagtail asks this policy for every page permission: in a trust, a school's people act on its pages only.
        register_permission_policy(AbstractPage, permissions.OwnSchoolsPagePermissionPolicy())
