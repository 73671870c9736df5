"""Two-step verification (allauth MFA) for the roles that can publish or see confidential records.

Two-step verification is a property of the *session*, not of the account or of a path: a session counts as
verified only if it passed the second step (a code, a recovery code or a passkey at sign-in, a
re-authentication with one, or the first enrolment of an authenticator). A session that signed in with a
password alone (before the person enrolled, say) is not verified, whatever the account has since.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.utils import timezone

from .roles import ROLES

MFA_GROUPS = frozenset(role.name for role in ROLES if role.needs_mfa)
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def needs_mfa(user):
    """Superusers, the privileged roles, and anyone given temporary access to confidential records."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_needs_mfa"):
        # Referred to by name: grants belong to the records app, which builds on this one.
        grants = apps.get_model("declarations", "AccessGrant").objects.filter(user=user, expires_at__gt=timezone.now())
        user._needs_mfa = user.is_superuser or user.groups.filter(name__in=MFA_GROUPS).exists() or grants.exists()
    return user._needs_mfa


def has_mfa(user):
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def session_passed_second_step(request):
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def second_step_done(user):
    """Whether this user's current session may use privileged rights. The middleware sets it on every
    signed-in request; code that runs outside a request (commands) has no session and is not limited."""
    return getattr(user, "second_step_done", True)


def pages_needing_the_second_step(request, snapshot):
    """A page restricted to privileged groups (senior leaders, HR...) asks for the second step, as the admin
    does: for a session that has not passed it, the group-restricted pages this person is let into only through
    a group that needs two-step verification. For core.privacy.refused_paths (so listings, search and the page
    cache leave them out); accounts' before_serve_page hook sends the person to the second step."""
    user = request.user
    if not user.is_authenticated or second_step_done(user):
        return ()
    by_groups = [r for r in snapshot.restrictions if r.restriction_type == r.GROUPS]
    if not by_groups:
        return ()  # nothing restricted to groups: no question to ask (and no query)
    theirs = {group.pk: group.name for group in user.groups.all()}  # prefetched by refused_paths
    refused = []
    for restriction in by_groups:
        admitted_by = [theirs[group.pk] for group in restriction.groups.all() if group.pk in theirs]
        if admitted_by and all(name in MFA_GROUPS for name in admitted_by):
            refused.append(restriction.page.path)
    return tuple(refused)


def record_first_enrolment(sender, request, user, authenticator, **kwargs):
    """Setting up a person's first authenticator needs a valid code from it, so that session has passed the
    second step. A further authenticator added from a session that has not does not count: otherwise a
    password-only session could enrol its own device and promote itself."""
    if request is None or authenticator.type not in SECOND_FACTORS:
        return
    if Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exclude(pk=authenticator.pk).exists():
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True)
    # allauth sends this after the database commit, which may come after the response has saved the session.
    request.session.save()


class SchoolMFAAdapter(DefaultMFAAdapter):
    """allauth's two-step verification, in the words the rest of the site uses."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        # Also what a code already used gets: allauth refuses a code twice, rightly, with the same message.
        "incorrect_code": (
            "That code did not work. Codes change every 30 seconds and each can be used once: wait for the next "
            "code in your authenticator app and type that. Lost your phone? Use one of your recovery codes, or "
            "ask the site administrator."
        ),
    }
