from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.shortcuts import redirect

from .roles import STAFF


class SchoolAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the school (admin, invitation or single sign-on), never by sign-up."""

    def is_open_for_signup(self, request):
        return False


def email_domain_allowed(email):
    domain = (email or "").rsplit("@", 1)[-1].lower()
    return bool(settings.SCHOOL_EMAIL_DOMAINS) and domain in settings.SCHOOL_EMAIL_DOMAINS


class SchoolSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Microsoft Entra ID / Google sign-in for the school's own domains only; new people join Staff."""

    def _email(self, sociallogin):
        email = sociallogin.user.email if sociallogin.user else ""
        if not email and sociallogin.email_addresses:
            email = sociallogin.email_addresses[0].email
        return email

    def pre_social_login(self, request, sociallogin):
        if not email_domain_allowed(self._email(sociallogin)):
            messages.error(
                request,
                "Sign in with your school account. Accounts from other organisations cannot be used here.",
            )
            raise ImmediateHttpResponse(redirect("account_login"))

    def is_open_for_signup(self, request, sociallogin):
        return email_domain_allowed(self._email(sociallogin))

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        user.groups.add(Group.objects.get_or_create(name=STAFF)[0])
        return user
