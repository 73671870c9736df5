"""Signing in again to confirm something that matters (a policy read, when the school asks for it).

allauth keeps a record of each way the session authenticated (password, two-step code, passkey, school
account) with its time. A person who did so in the last few minutes goes on; otherwise people with a password
or an authenticator get allauth's own re-authentication (their request is kept and carried out after), and
people who only sign in with their school's Microsoft or Google account are sent to sign in there again.
"""

import time

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.reauthentication import get_reauthentication_flows
from allauth.core.exceptions import ReauthenticationRequired
from allauth.socialaccount.models import SocialAccount
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

RECENT_SECONDS = 5 * 60
# What a provider is asked so that the person really signs in again rather than being waved through.
FRESH_SIGN_IN = {"microsoft": "prompt=login", "google": "prompt=select_account&max_age=0"}
METHODS = {"password": "password", "mfa": "two-step code", "socialaccount": "school account", "code": "email code"}


def latest(request):
    records = get_authentication_records(request, request.user)
    return max(records, key=lambda r: r.get("at", 0)) if records else None


def signed_in_recently(request, seconds=RECENT_SECONDS):
    record = latest(request)
    return bool(record) and time.time() - record.get("at", 0) < seconds


def how(request):
    """How the person last proved who they are, in words for a receipt ('two-step code', 'school account')."""
    record = latest(request) or {}
    return METHODS.get(record.get("method"), record.get("method", ""))


def sign_in_again(request, come_back_to):
    """Send the person to prove who they are again. With a password or authenticator this raises allauth's
    ReauthenticationRequired (the POST is kept and replayed after); school-account-only people are sent to
    their provider with a fresh sign-in asked for, and come back to `come_back_to` to press the button again."""
    if get_reauthentication_flows(request.user):
        raise ReauthenticationRequired()
    account = SocialAccount.objects.filter(user=request.user).order_by("-last_login").first()
    if account is None:
        raise ReauthenticationRequired()  # allauth then asks them to sign in
    try:
        login_url = reverse(f"{account.provider}_login")
    except NoReverseMatch:
        raise ReauthenticationRequired() from None
    params = {"process": "login", "next": come_back_to}
    if account.provider in FRESH_SIGN_IN:
        params["auth_params"] = FRESH_SIGN_IN[account.provider]
    return HttpResponseRedirect(f"{login_url}?{urlencode(params)}")
