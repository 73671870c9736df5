"""`load_demo --trust N` (issue 19, part 5): the demo school becomes one school of a trust, with the trust's own
site and policies, more schools with their staff, own policies, copies of the trust's adopted policies and
answers. Built small here; bench/trust.py builds 50 schools."""

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Site

from accounts.models import User
from guidance.models import GuidanceAnswerPage
from policypages.models import PolicyPage, Sharing
from policypages.reading import ReadingState, status_for
from schools.models import School
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
    assert "Trust loaded" in capsys.readouterr().out
    assert Site.objects.filter(hostname=TRUST_HOST).exists()
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

    before = counts()
    call_command("load_demo", "--allow-without-debug", "--trust", "3", *SMALL)
    assert counts() == before  # again: nothing added


def test_a_trust_has_two_schools_at_least():
    with pytest.raises(CommandError, match="at least two"):
        call_command("load_demo", "--allow-without-debug", "--trust", "1")
