from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .mfa import has_mfa, needs_mfa


class RequireMFAForPrivilegedRolesMiddleware:
    """Send HR editors, senior leaders, the safeguarding lead and admins to set up two-step verification
    before they reach the admin. allauth then asks for the second step at every sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.protected = tuple(settings.MFA_REQUIRED_PATHS)

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED_FOR_PRIVILEGED_ROLES
            and request.path.startswith(self.protected)
            and request.user.is_authenticated
            and needs_mfa(request.user)
            and not has_mfa(request.user)
        ):
            messages.warning(
                request,
                "Your role can publish policies or see confidential records, so your account needs two-step "
                "verification. Set up an authenticator app or a passkey, then go back to the admin.",
            )
            return redirect(reverse("mfa_index"))
        return self.get_response(request)
