"""Two-step verification (allauth MFA) is required for roles that can publish or see confidential records."""

from allauth.mfa.models import Authenticator

from .roles import ROLES

MFA_GROUPS = frozenset(role.name for role in ROLES if role.needs_mfa)


def needs_mfa(user):
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=MFA_GROUPS).exists()


def has_mfa(user):
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
