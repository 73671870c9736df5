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


@register()
def the_real_client_address_is_known_behind_a_proxy(app_configs, **kwargs):
    """Behind a proxy (SECURE_PROXY_SSL_HEADER), every request's own address is the proxy's: unless the site is
    told how to find the real one, the per-address limits count the whole school, or everyone, as one person,
    and one person's failed sign-ins lock everyone out."""
    behind_a_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    told = settings.ALLAUTH_TRUSTED_PROXY_COUNT or settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
    if behind_a_proxy and not told:
        return [
            Error(
                "SECURE_PROXY_SSL_HEADER says the site is behind a proxy, but not how to find the visitor's own "
                "address: every sign-in and question would be counted as the proxy's, so one person's failed "
                "sign-ins could lock everyone out.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of gunicorn (1 for one nginx), or "
                "TRUSTED_CLIENT_IP_HEADER to the header your proxy sets (docs/deployment.md).",
                id="accounts.E002",
            )
        ]
    return []
