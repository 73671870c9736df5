"""Sign-in through Microsoft or Google cannot claim someone else's account: only the school's own Entra tenant
(members, not guests) and Google Workspace domains, with the school's email domains, get in."""

import base64
import json
from types import SimpleNamespace

import pytest
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.checks import Error

from accounts.adapters import SchoolSocialAccountAdapter, from_the_schools_directory
from accounts.checks import microsoft_sign_in_is_for_one_tenant

# The school's email domains include those of a trust's schools, which are in the database.
pytestmark = pytest.mark.django_db

SCHOOL_TENANT = "11111111-2222-3333-4444-555555555555"
OTHER_TENANT = "99999999-8888-7777-6666-555555555555"


def jwt(claims):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part(claims)}.signature"


def microsoft_login(email, tenant=SCHOOL_TENANT, upn=None, opaque=False):
    return SimpleNamespace(
        account=SimpleNamespace(provider="microsoft", extra_data={"mail": email, "userPrincipalName": upn or email}),
        token=SimpleNamespace(token="opaque-token" if opaque else jwt({"tid": tenant, "upn": upn or email})),
        user=SimpleNamespace(email=email),
        email_addresses=[],
        is_existing=False,
    )


def google_login(email, hd="oakbrook.sch.uk", verified=True):
    data = {"email": email, "email_verified": verified}
    if hd:
        data["hd"] = hd
    return SimpleNamespace(
        account=SimpleNamespace(provider="google", extra_data=data),
        token=None,
        user=SimpleNamespace(email=email),
        email_addresses=[],
        is_existing=False,
    )


@pytest.fixture(autouse=True)
def school(settings):
    settings.SCHOOL_EMAIL_DOMAINS = ["oakbrook.sch.uk"]
    settings.GOOGLE_HOSTED_DOMAINS = ["oakbrook.sch.uk"]
    settings.MICROSOFT_TENANT_ID = SCHOOL_TENANT


@pytest.mark.parametrize(
    "login, allowed",
    [
        (microsoft_login("head@oakbrook.sch.uk"), True),
        (microsoft_login("head@oakbrook.sch.uk", opaque=True), True),  # the endpoint is the school's tenant
        # Another organisation's tenant whose admin set a user's mail to the head's address.
        (microsoft_login("head@oakbrook.sch.uk", tenant=OTHER_TENANT), False),
        # A guest invited into the school's tenant keeps an outside identity.
        (microsoft_login("head@oakbrook.sch.uk", upn="head_oakbrook.sch.uk#EXT#@school.onmicrosoft.com"), False),
        (google_login("head@oakbrook.sch.uk"), True),
        (google_login("head@oakbrook.sch.uk", hd=None), False),  # a consumer Google account
        (google_login("head@oakbrook.sch.uk", hd="evil.example"), False),
        (google_login("head@oakbrook.sch.uk", verified=False), False),
    ],
)
def test_only_the_schools_directory_vouches_for_an_address(login, allowed):
    assert from_the_schools_directory(login) is allowed


@pytest.mark.parametrize("tenant", ["", "common", "organizations", "consumers"])
def test_any_tenant_at_all_is_never_trusted(settings, tenant):
    settings.MICROSOFT_TENANT_ID = tenant
    assert not from_the_schools_directory(microsoft_login("head@oakbrook.sch.uk", tenant=tenant or OTHER_TENANT))


def _request(rf):
    request = rf.get("/accounts/microsoft/login/callback/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_foreign_tenant_is_refused_before_any_sign_in(rf):
    adapter = SchoolSocialAccountAdapter()
    with pytest.raises(ImmediateHttpResponse) as refused:
        adapter.pre_social_login(_request(rf), microsoft_login("head@oakbrook.sch.uk", tenant=OTHER_TENANT))
    assert refused.value.response["Location"] == "/accounts/login/"
    # The school's own tenant, the school's domain: let through to allauth (which then asks for the second step).
    adapter.pre_social_login(_request(rf), microsoft_login("head@oakbrook.sch.uk"))


def test_an_outside_domain_in_the_schools_tenant_is_refused(rf):
    with pytest.raises(ImmediateHttpResponse):
        SchoolSocialAccountAdapter().pre_social_login(_request(rf), microsoft_login("someone@gmail.com"))


def test_a_multi_tenant_setting_stops_the_site_starting(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"microsoft": {}}
    settings.MICROSOFT_TENANT_ID = "organizations"
    errors = microsoft_sign_in_is_for_one_tenant(None)
    assert errors and isinstance(errors[0], Error) and errors[0].id == "accounts.E001"
    settings.MICROSOFT_TENANT_ID = SCHOOL_TENANT
    assert microsoft_sign_in_is_for_one_tenant(None) == []
