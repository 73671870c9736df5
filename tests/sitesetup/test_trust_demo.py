"""`load_demo --trust N` (issue 19, part 5): the demo school becomes one school of a trust, with the trust's own
site and policies, more schools with their staff, own policies, copies of the trust's adopted policies and
answers. Built small here; bench/trust.py builds 50 schools."""

import re

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Site

from accounts.models import User
from guidance.models import GuidanceAnswerPage
from policypages.models import PolicyPage, Sharing
from policypages.reading import ReadingState, status_for
from schools.models import School
from sitesetup.demo import demo_password
from sitesetup.trust_demo import ADOPTED_POLICIES, TRUST_HOST, TRUST_POLICIES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bare_site")]
SMALL = ["--staff-per-school", "7", "--answers-per-school", "3"]


def counts():
    return (
        School.objects.count(),
        User.objects.count(),
        PolicyPage.objects.count(),
        GuidanceAnswerPage.objects.count(),
    )


def test_the_trust_demo_builds_schools_with_their_own_and_the_trusts_policies(capsys):
    call_command("load_demo", "--allow-without-debug", "--trust", "3", *SMALL)
    out = capsys.readouterr().out
    assert "Trust loaded" in out
    assert Site.objects.filter(hostname=TRUST_HOST).exists()
    # Every demo site on the port make run serves it on, so links between the sites keep it.
    assert {site.port for site in Site.objects.all()} == {8000}
    assert Site.objects.get(hostname=TRUST_HOST).root_url == f"http://{TRUST_HOST}:8000"
    schools = list(School.objects.exclude(site=None).order_by("name"))
    assert [s.name for s in schools] == ["Oakbrook Academy", "School 01 Academy", "School 02 Academy"]
    trust_policies = PolicyPage.objects.exclude(sharing=Sharing.SCHOOL)
    assert trust_policies.count() == TRUST_POLICIES
    for school in schools:
        copies = PolicyPage.objects.descendant_of(school.site.root_page).exclude(adopted_from=None)
        assert copies.count() == ADOPTED_POLICIES
        assert all(c.current_version.name == f"Trust 1 · {school.display_name} 1.1" for c in copies)
    elm_staff = User.objects.filter(school=schools[1]).order_by("pk")
    assert elm_staff.count() == 7
    assert GuidanceAnswerPage.objects.descendant_of(schools[2].site.root_page).count() == 3
    # A school's staff read the trust's policies for every school and their school's own copies.
    every_school = trust_policies.filter(sharing=Sharing.EVERY_SCHOOL).first()
    copy = PolicyPage.objects.descendant_of(schools[1].site.root_page).exclude(adopted_from=None).first()
    reader = elm_staff.last()
    assert status_for(reader, every_school).state in (ReadingState.READ, ReadingState.NOT_READ)
    assert status_for(reader, copy).state == ReadingState.NOT_READ

    # The printed trust logins work with the demo password.
    printed = re.findall(r"(s\d+-\d+@trust\.example)\s+(staff|HR|a governor) at School 01", out)
    assert [who for _, who in printed] == ["staff", "HR", "a governor"]
    assert User.objects.get(email=printed[0][0]).check_password(demo_password())

    before = counts()
    call_command("load_demo", "--allow-without-debug", "--trust", "3", *SMALL)
    assert counts() == before  # again: nothing added


def test_a_trust_has_two_schools_at_least():
    with pytest.raises(CommandError, match="at least two"):
        call_command("load_demo", "--allow-without-debug", "--trust", "1")
