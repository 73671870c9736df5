from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from .acting import Acting, _acting
from .alerts import send_alerts
from .mfa import has_mfa, needs_mfa, session_passed_second_step
from .roles import ADMIN_ACCESS


class ActingPersonMiddleware:
    """Names the request's person as the one acting (accounts.acting), for every view that may save something,
    admin or not; sends the account alerts the request gathered (accounts.alerts) once, at its end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = Acting(request=request)
        token = _acting.set(state)
        try:
            return self.get_response(request)
        finally:
            _acting.reset(token)
            if state.alerts:
                send_alerts(state.alerts)


class RequireSecondStepMiddleware:
    """People whose role needs two-step verification use its rights only from a session that passed it.

    Every signed-in request gets `user.second_step_done` (read by the records matrix, so no records view,
    file or export answers a session without it, wherever it is routed). The privileged areas
    (MFA_REQUIRED_PATHS: the admin and evidence files) send such a session to set up an authenticator, or to
    confirm with the one they have, and then back to where they were going.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.protected = tuple(settings.MFA_REQUIRED_PATHS)

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if not settings.MFA_REQUIRED_FOR_PRIVILEGED_ROLES:
                user.second_step_done = True
            else:
                user.second_step_done = session_passed_second_step(request)
                if not user.second_step_done and request.path.startswith(self.protected) and needs_mfa(user):
                    return second_step_response(request, user)
        return self.get_response(request)


def second_step_response(request, user):
    """Where to send someone whose role needs the second step: to confirm with their authenticator (and back),
    or to set one up."""
    if has_mfa(user):
        messages.info(
            request,
            "Your role can see confidential records or publish policies. Confirm it is you with your "
            "authenticator app or passkey to continue.",
        )
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
    messages.warning(
        request,
        "Your role can publish policies or see confidential records, so your account needs two-step "
        "verification. Set up an authenticator app or a passkey, then go back to the admin.",
    )
    return redirect(reverse("mfa_index"))


class NoAdminAccessMiddleware:
    """Someone signed in whose account does not open the admin gets a page that says so and where to go.

    Wagtail would send them to the sign-in page, which sends a signed-in person straight back to the admin:
    a loop the browser gives up on ("redirected you too many times")."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin = reverse("wagtailadmin_home")

    def __call__(self, request):
        if (
            request.path.startswith(self.admin)
            and request.user.is_authenticated
            and not request.user.has_perm(ADMIN_ACCESS)
            and request.path != reverse("wagtailadmin_logout")
        ):
            return render(request, "account/no_admin_access.html", status=403)
        return self.get_response(request)
