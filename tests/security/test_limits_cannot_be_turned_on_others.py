"""Rate limits that cannot be turned on others (issue 41, finding 4): failed sign-ins are counted per account from
each real client address, per address with room for a school's staff, and a browser that has signed in before
keeps its own count; questions are counted per person for staff and per real address for visitors, under keys
that hold no user id and no times."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from guidance.models import Question
from schoolsite.settings import base
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def limits_on(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    settings.QUESTION_LIMITS = base.QUESTION_LIMITS


@pytest.fixture
def colleague(tree):
    return UserFactory(email="colleague@school.example", groups=["Staff"])


def signs_in(client, email, password="password", **address):
    client.post(LOGIN, {"login": email, "password": password}, **address)
    return "_auth_user_id" in client.session


def test_a_stranger_behind_the_proxy_cannot_lock_out_a_colleague(settings, limits_on, colleague):
    """The issue's finding: 10 failed sign-ins with random emails, then another person's right password refused."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    stranger = Client()
    for n in range(12):
        signs_in(
            stranger, f"nobody{n}@school.example", "wrong", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
    assert signs_in(Client(), colleague.email, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")


def test_at_one_shared_address_a_stranger_does_not_lock_out_the_school(limits_on, colleague):
    """A school's staff share one address: a dozen failures by one person there leave everyone else signing in."""
    stranger = Client()
    for n in range(12):
        signs_in(stranger, f"nobody{n}@school.example", "wrong")
    assert signs_in(Client(), colleague.email)


def test_a_known_browser_still_signs_in_when_a_stranger_guesses_its_password(limits_on, colleague):
    own_browser = Client()
    assert signs_in(own_browser, colleague.email)
    own_browser.post("/accounts/logout/")  # signs out as a person does (the test client's logout() drops cookies)
    assert "_auth_user_id" not in own_browser.session
    stranger = Client()
    for _ in range(8):  # at the same address, for the colleague's own account
        signs_in(stranger, colleague.email, "wrong")
    assert not signs_in(Client(), colleague.email)  # a new browser at that address waits a few minutes
    assert signs_in(own_browser, colleague.email)  # the colleague's own browser does not
    assert not signs_in(stranger, colleague.email)  # and the guesser is still held back


def test_one_address_trying_many_accounts_is_held_back(limits_on, colleague):
    spray = Client()
    for n in range(31):
        signs_in(spray, f"someone{n}@school.example", "wrong", REMOTE_ADDR="192.0.2.50")
    assert not signs_in(spray, colleague.email, REMOTE_ADDR="192.0.2.50")


def test_visitors_behind_the_proxy_are_counted_each_at_their_own_address(settings, limits_on, tree):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        response = Client().post(
            "/ask/",
            {"text": f"When is parents evening number {n}?"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}",
        )
        assert response.status_code == 200
    assert Question.objects.count() == 5


def test_question_limits_keep_no_user_id_and_no_times(limits_on, tree, staff_user):
    client = Client()
    client.force_login(staff_user)
    client.post("/ask/", {"text": "Can I wear trainers on sports day?", "send_as": "anonymous"})
    keys = [key.split(":", 2)[2] for key in cache._cache if ":limit:" in key]  # LocMemCache's own keys
    assert len(keys) == 2  # the hour's window and the day's
    for key in keys:
        assert re.fullmatch(r"limit:[0-9a-f]{40}", key)  # a keyed hash: no id, no address, no time
        assert cache.get(key) == 1  # a count, not a list of times
