from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True  # this module holds a second config (for Wagtail's users app), so say which is ours
    name = "accounts"
    verbose_name = "Staff accounts"

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from core.privacy import also_refuse

        from . import changes, checks, mfa, wagtail_rules  # noqa: F401  (checks and signal receivers register themselves)

        authenticator_added.connect(mfa.record_first_enrolment, dispatch_uid="accounts.first_enrolment")
        # Pages for privileged groups are left out of listings and search until the session passes the second step.
        also_refuse(mfa.pages_needing_the_second_step)
        wagtail_rules.apply()


class SchoolUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the school's user and group screens (accounts.admin_viewsets)."""

    user_viewset = "accounts.admin_viewsets.SchoolUserViewSet"
    group_viewset = "accounts.admin_viewsets.SchoolGroupViewSet"
