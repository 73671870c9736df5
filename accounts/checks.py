from django.conf import settings
from django.core.checks import Error, register

from .adapters import MULTI_TENANT_NAMES


@register()
def microsoft_sign_in_is_for_one_tenant(app_configs, **kwargs):
    if "microsoft" in settings.SOCIALACCOUNT_PROVIDERS and settings.MICROSOFT_TENANT_ID.lower() in MULTI_TENANT_NAMES:
        return [
            Error(
                "Microsoft sign-in is on but MICROSOFT_TENANT_ID is not the school's tenant "
                f"({settings.MICROSOFT_TENANT_ID or 'not set'}): anyone with a Microsoft work account could "
                "sign in and claim an account by its email address.",
                hint="Set MICROSOFT_TENANT_ID to the Directory (tenant) ID from Entra ID > Overview.",
                id="accounts.E001",
            )
        ]
    return []
