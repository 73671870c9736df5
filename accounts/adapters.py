import base64
import binascii
import hashlib
import json
import logging
import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core import signing
from django.shortcuts import redirect

from schools.models import School
from schools.services import school_for_sign_in

from .roles import STAFF

# What Microsoft calls "any organisation": never the school's own tenant.
MULTI_TENANT_NAMES = {"", "common", "organizations", "consumers"}


KNOWN_DEVICE_COOKIE = "known_device"
KNOWN_DEVICE_SALT = "accounts.known-device"
KNOWN_DEVICE_DAYS = 365
logger = logging.getLogger(__name__)


def _login_hash(login):
    return hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]


def known_device(request, login):
    """The id of this browser if it has signed in to the account `login` before (a signed cookie it was given
    then), else None."""
    try:
        value = signing.loads(
            request.COOKIES.get(KNOWN_DEVICE_COOKIE, ""), salt=KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_DAYS * 86400
        )
    except signing.BadSignature:
        return None
    return value.get("d") if isinstance(value, dict) and value.get("l") == _login_hash(login) else None


class SchoolAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the school (admin, invitation or single sign-on), never by sign-up.

    Failed sign-ins are counted so that nobody can lock a colleague out: per account *from each address* (the
    real client address behind the proxy), and per address across accounts with a limit a school's staff behind
    one address will not reach. A browser that has signed in to the account before carries a signed "known
    device" cookie and is counted on its own: whatever others type at the school's address, it still signs in.
    """

    def is_open_for_signup(self, request):
        return False

    def _get_login_attempts_cache_key(self, request, **credentials):
        # The account and the address it is tried from (allauth's own key is the account alone, so anyone could
        # lock anyone out by typing five wrong passwords for them).
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"

    def pre_authenticate(self, request, **credentials):
        login = credentials.get("email", credentials.get("username", ""))
        device = known_device(request, login)
        if device is None:
            return super().pre_authenticate(request, **credentials)
        self._login_failed_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_known_device", key=f"{_login_hash(login)}:{device}"
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

    def post_login(self, request, user, **kwargs):
        """Signed in, second step and all: this browser is now known for this account."""
        response = super().post_login(request, user, **kwargs)
        if hasattr(response, "set_cookie") and user.email:
            device = known_device(request, user.email) or secrets.token_urlsafe(12)
            response.set_cookie(
                KNOWN_DEVICE_COOKIE,
                signing.dumps({"l": _login_hash(user.email), "d": device}, salt=KNOWN_DEVICE_SALT),
                max_age=KNOWN_DEVICE_DAYS * 86400,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def get_client_ip(self, request):
        ip = super().get_client_ip(request)
        if (
            "x-forwarded-for" in request.headers
            and not settings.ALLAUTH_TRUSTED_PROXY_COUNT
            and not settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
            and not getattr(SchoolAccountAdapter, "_warned_about_proxy", False)
        ):
            SchoolAccountAdapter._warned_about_proxy = True
            logger.error(
                "Requests arrive through a proxy (X-Forwarded-For) but TRUSTED_PROXY_COUNT is not set: every "
                "visitor is counted as the proxy's address %s for sign-in and question limits. See "
                "docs/deployment.md.",
                ip,
            )
        return ip


def email_domain_allowed(email):
    """The settings' domains, and in a trust every school's own (Settings > Schools)."""
    domain = (email or "").rsplit("@", 1)[-1].lower()
    if not domain:
        return False
    return domain in settings.SCHOOL_EMAIL_DOMAINS or bool(School.objects.all().for_email_domain(domain))


def _jwt_claims(token):
    """The claims of a JWT received straight from the provider's token endpoint over TLS (so its signature
    adds nothing here); {} if it is not a JWT (Microsoft may hand out opaque tokens)."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (AttributeError, IndexError, ValueError, binascii.Error):
        return {}


def from_the_schools_directory(sociallogin):
    """Whether this identity is one the school's own directory vouches for, so its email can be trusted to
    name an existing account: a member (not a guest) of the configured Entra tenant, or a verified account
    of a configured Google Workspace domain. Anything else could assert any address at all."""
    account = sociallogin.account
    data = account.extra_data or {}
    if account.provider == "microsoft":
        tenant = settings.MICROSOFT_TENANT_ID.lower()
        if tenant in MULTI_TENANT_NAMES:
            return False
        token = getattr(sociallogin, "token", None)
        claims = _jwt_claims(getattr(token, "token", ""))
        if claims.get("tid") and claims["tid"].lower() != tenant:
            return False
        # A guest invited into the tenant keeps an outside address: it must not claim a staff account.
        return "#ext#" not in (data.get("userPrincipalName") or "").lower()
    if account.provider == "google":
        return data.get("hd", "").lower() in settings.GOOGLE_HOSTED_DOMAINS and data.get("email_verified") is True
    return False


def directory_groups(sociallogin):
    """The Entra ID groups the directory says this person is in (the token's `groups` claim, when the trust's
    app registration asks for it); none for Google."""
    account = getattr(sociallogin, "account", None)
    if account is None or account.provider != "microsoft":
        return []
    token = getattr(sociallogin, "token", None)
    groups = _jwt_claims(getattr(token, "token", "")).get("groups") or []
    return [str(group) for group in groups] if isinstance(groups, list) else []


def file_under_school(user, sociallogin):
    """Single sign-on files a person under the school the trust's settings name for their directory group or
    email domain. A directory group is the directory's own word, so it also moves someone who changed school;
    a domain only fills in a person who has none (they may have been filed by hand since)."""
    groups = directory_groups(sociallogin)
    school = school_for_sign_in(user.email, groups)
    if school is None or school.pk == user.school_id:
        return False
    by_directory = bool({group.lower() for group in groups} & set(school.directory_group_list))
    if user.school_id is not None and not by_directory:
        return False
    user.school = school
    return True


class SchoolSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Microsoft Entra ID / Google sign-in for the school's own tenant, domains and people; new people join
    Staff. An SSO identity signs in to an existing account only through these checks."""

    def _email(self, sociallogin):
        email = sociallogin.user.email if sociallogin.user else ""
        if not email and sociallogin.email_addresses:
            email = sociallogin.email_addresses[0].email
        return email

    def pre_social_login(self, request, sociallogin):
        if not (from_the_schools_directory(sociallogin) and email_domain_allowed(self._email(sociallogin))):
            messages.error(
                request,
                "Sign in with your school account. Accounts from other organisations cannot be used here.",
            )
            raise ImmediateHttpResponse(redirect("account_login"))
        if sociallogin.is_existing and file_under_school(sociallogin.user, sociallogin):
            sociallogin.user.save(update_fields=["school"])

    def is_open_for_signup(self, request, sociallogin):
        return email_domain_allowed(self._email(sociallogin))

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        user.groups.add(Group.objects.get_or_create(name=STAFF)[0])
        if file_under_school(user, sociallogin):
            user.save(update_fields=["school"])
        return user
