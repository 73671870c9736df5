"""In a trust, a school's HR, head and governors see their own school's reading (totals, names, CSV, one person's
page, reminders, the weekly digest); the trust's central team sees every school's."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache

from accounts import roles
from digests.services import send_leaders_digest
from policypages.models import PolicyPage, ReadReceipt
from policypages.reading import school_breakdown
from schools.models import School
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa
from tests.policypages.factories import issue, make_policy

from .factories import SchoolFactory

pytestmark = pytest.mark.django_db
REPORT = "/admin/policy-reading/"
STARTED = datetime.date(2024, 9, 1)


@pytest.fixture
def trust(tree):
    policy = make_policy(tree.policies, sections=1, slug="social-media", title="Social media")
    version = issue(policy, issued_on=datetime.date(2026, 1, 5), approved_on=datetime.date(2026, 1, 1))
    oakbrook, elm = School.objects.get(), SchoolFactory(name="Elm Primary")
    staff = {
        "oakbrook": [
            UserFactory(groups=[roles.STAFF], last_name=f"Oakbrook{i}", school=oakbrook, start_date=STARTED)
            for i in range(3)
        ],
        "elm": [
            UserFactory(groups=[roles.STAFF], last_name=f"Elmtree{i}", school=elm, start_date=STARTED) for i in range(2)
        ],
    }
    ReadReceipt.objects.create(user=staff["oakbrook"][0], policy=policy, version=version)

    def hr(school):
        return with_mfa(UserFactory(groups=[roles.STAFF, roles.POLICY_EDITORS], school=school, in_central_team=school is None))

    return {
        "policy": policy,
        "staff": staff,
        "elm_hr": hr(elm),
        "central_hr": hr(None),
        "elm_governor": UserFactory(groups=[roles.STAFF, roles.GOVERNORS], school=elm),
        "elm": elm,
    }


def names_in(page, trust):
    return {name: [p.last_name in page for p in people] for name, people in trust["staff"].items()}


def test_a_schools_hr_sees_only_their_schools_staff(client, trust):
    client.force_login(trust["elm_hr"])
    policy_page = client.get(f"{REPORT}policy/{trust['policy'].pk}/?state=all").content.decode()
    people_page = client.get(f"{REPORT}people/").content.decode()
    csv_export = client.get(f"{REPORT}policy/{trust['policy'].pk}/?state=all&format=csv")
    csv_text = b"".join(csv_export.streaming_content if csv_export.streaming else [csv_export.content]).decode()
    for page in (policy_page, people_page, csv_text):
        seen = names_in(page, trust)
        assert seen["elm"] == [True, True] and seen["oakbrook"] == [False, False, False]
    for person in trust["staff"]["oakbrook"]:
        assert client.get(f"{REPORT}people/{person.pk}/").status_code == 404
    assert client.get(f"{REPORT}people/{trust['staff']['elm'][0].pk}/").status_code == 200


def test_totals_count_the_readers_school_only(client, trust):
    # Everyone in the Staff group reads it: at Elm its two teachers, its HR and its governor; across the trust
    # Oakbrook's three teachers (one has read it) and the central team's HR too.
    client.force_login(trust["elm_governor"])
    assert "0 of 4" in client.get(REPORT).content.decode()
    client.force_login(trust["central_hr"])
    assert "1 of 8" in client.get(REPORT).content.decode()


def test_the_central_team_sees_every_school(client, trust):
    client.force_login(trust["central_hr"])
    page = client.get(f"{REPORT}policy/{trust['policy'].pk}/?state=all").content.decode()
    seen = names_in(page, trust)
    assert all(seen["elm"]) and all(seen["oakbrook"])


def test_the_trusts_hr_sees_each_schools_line_and_a_schools_hr_does_not(client, trust):
    lines = {line.name: (line.staff, line.due, line.read) for line in school_breakdown()}
    # Oakbrook: three teachers, one has read it; Elm: two teachers, its HR and its governor; the central HR.
    assert lines == {"Test School": (3, 3, 1), "Elm Primary": (4, 4, 0), "Trust central team": (1, 1, 0)}
    client.force_login(trust["central_hr"])
    page = client.get(REPORT).content.decode()
    assert "By school" in page and "Elm Primary" in page and "1 of 3 (33%)" in page
    client.force_login(trust["elm_hr"])
    assert "By school" not in client.get(REPORT).content.decode()


def test_a_schools_reminders_go_to_its_own_staff(client, trust):
    client.force_login(trust["elm_hr"])
    client.post(f"{REPORT}policy/{trust['policy'].pk}/", {"action": "remind"})
    told = {message.to[0] for message in mail.outbox}
    elm = {person.email for person in [*trust["staff"]["elm"], trust["elm_hr"], trust["elm_governor"]]}
    assert {person.email for person in trust["staff"]["elm"]} <= told <= elm


def test_the_weekly_digest_names_only_the_readers_schools_staff(trust):
    sent = dict(send_leaders_digest(today=datetime.date(2026, 3, 2), dry_run=True))
    elm_text, central_text = sent[trust["elm_hr"]], sent[trust["central_hr"]]
    assert "Elmtree" in elm_text and "Oakbrook" not in elm_text
    assert "Elmtree" in central_text and "Oakbrook1" in central_text


def test_staff_read_their_own_schools_policies(client, tree, settings):
    """Each school's policies (in its own site) are read by its own staff, counted for it alone."""
    from policypages.reading import my_policies, policy_totals
    from sitesetup.setup import add_school

    elm_tree, _ = add_school("Elm Primary", "elm.localhost")
    oakbrook, elm = School.objects.get(site__is_default_site=True), School.objects.get(name="Elm Primary")
    for where, slug in ((tree, "oak-phones"), (elm_tree, "elm-phones")):
        policy = make_policy(where.policies, sections=1, slug=slug, title=slug)
        issue(policy, issued_on=datetime.date(2026, 1, 5), approved_on=datetime.date(2026, 1, 1))
    oak_teacher = UserFactory(groups=[roles.STAFF], school=oakbrook)
    elm_teacher = UserFactory(groups=[roles.STAFF], school=elm)
    both = UserFactory(groups=[roles.STAFF], school=elm)
    both.other_schools.add(oakbrook)
    assert [s.requirement.policy.slug for s in my_policies(oak_teacher)] == ["oak-phones"]
    assert [s.requirement.policy.slug for s in my_policies(elm_teacher)] == ["elm-phones"]
    assert sorted(s.requirement.policy.slug for s in my_policies(both)) == ["elm-phones", "oak-phones"]
    audience = {row.requirement.policy.slug: row.audience for row in policy_totals()}
    assert audience == {"oak-phones": 2, "elm-phones": 2}
    # Read by the one who works at both: counted for Oakbrook's policy, as the person-by-person rule says.
    oak_phones = PolicyPage.objects.get(slug="oak-phones")
    ReadReceipt.objects.create(user=both, policy=oak_phones, version=oak_phones.current_version)
    cache.clear()
    read = {row.requirement.policy.slug: (row.read, row.audience) for row in policy_totals()}
    assert read == {"oak-phones": (1, 2), "elm-phones": (0, 2)}
    lines = {line.name: (line.due, line.read) for line in school_breakdown()}
    assert lines["Elm Primary"] == (3, 1) and lines["Test School"] == (1, 0)


@pytest.mark.parametrize("from_the_schools_side", [False, True])
def test_linking_a_person_to_another_school_shows_at_once_in_what_is_kept(
    tree, monkeypatch, django_capture_on_commit_callbacks, from_the_schools_side
):
    """With a shared cache, HR's totals and each reader's own parts are kept until something they count changes:
    a person now working at a second school too is in that school's audience, and their own parts (their
    policies to read, their admin menu) are built afresh, whichever side the link is made from."""
    from core.cache import tokens
    from core.page_cache import PERSON_KEY
    from policypages.reading import policy_totals
    from sitesetup.setup import add_school

    monkeypatch.setattr("policypages.reading.cache_is_shared", lambda: True)
    cache.clear()
    add_school("Elm Primary", "elm.localhost")
    oakbrook, elm = School.objects.get(site__is_default_site=True), School.objects.get(name="Elm Primary")
    policy = make_policy(tree.policies, sections=1, slug="oak-phones", title="Phones")
    issue(policy, issued_on=datetime.date(2026, 1, 5), approved_on=datetime.date(2026, 1, 1))
    UserFactory(groups=[roles.STAFF], school=oakbrook, start_date=STARTED)
    visitor = UserFactory(groups=[roles.STAFF], school=elm, start_date=STARTED)
    [row] = policy_totals()
    assert row.audience == 1
    person = PERSON_KEY.format(visitor.pk)
    before = tokens(person)[person]
    with django_capture_on_commit_callbacks(execute=True):
        if from_the_schools_side:
            oakbrook.visiting_staff.add(visitor)
        else:
            visitor.other_schools.add(oakbrook)
    [row] = policy_totals()
    assert row.audience == 2
    assert tokens(person)[person] != before
    cache.clear()


def test_a_schools_hr_is_not_shown_another_schools_policies(client, tree):
    from sitesetup.setup import add_school

    make_policy(tree.policies, sections=1, slug="oak-trips", title="Oakbrook trips policy")
    elm_tree, _ = add_school("Elm Primary", "elm.localhost", short_name="Elm")
    make_policy(elm_tree.policies, sections=1, slug="elm-trips", title="Elm trips policy")
    for policy in PolicyPage.objects.all():
        issue(policy, issued_on=datetime.date(2026, 1, 5), approved_on=datetime.date(2026, 1, 1))
    oakbrook, elm = School.objects.get(site__is_default_site=True), School.objects.get(name="Elm Primary")
    UserFactory(groups=[roles.STAFF], school=elm, start_date=STARTED)
    client.force_login(with_mfa(UserFactory(groups=[roles.STAFF, roles.POLICY_EDITORS], school=oakbrook)))
    page = client.get(REPORT).content.decode()
    assert "Oakbrook trips policy" in page
    assert "Elm trips policy" not in page  # not even as a row of "0 of 0"
