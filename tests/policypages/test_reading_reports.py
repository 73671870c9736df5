"""HR's reading reports: who sees names, totals for governors, filters, CSV, reminders, query counts."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policypages.models import PolicyVersion, ReadReceipt, ReadReminder
from policypages.read_reminders import send_read_reminders
from tests.accounts.factories import UserFactory
from tests.policypages.factories import issue as issue_policy
from tests.policypages.factories import make_policy

pytestmark = pytest.mark.django_db


def denied(response):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def issue(policy, label="1"):
    return issue_policy(policy, label, issued_on=datetime.date(2026, 1, 5), approved_on=datetime.date(2026, 1, 1))


@pytest.fixture
def school(tree):
    policy = make_policy(tree.policies, sections=1, slug="social-media", title="Social media")
    version = issue(policy)
    readers = [UserFactory(groups=["Staff"], first_name="Reader", email=f"reader{i}@school.example") for i in range(3)]
    slackers = [
        UserFactory(groups=["Staff"], first_name="Slacker", email=f"slacker{i}@school.example") for i in range(2)
    ]
    for user in readers:
        ReadReceipt.objects.create(user=user, policy=policy, version=version)
    return policy, readers, slackers


def test_hr_sees_totals_and_names(client, school, hr_user):
    policy, readers, slackers = school
    client.force_login(hr_user)
    overview = client.get("/admin/policy-reading/").content.decode()
    assert "Social media" in overview and f"/admin/policy-reading/policy/{policy.pk}/" in overview
    assert "3 of 6" in overview  # the HR user is staff too
    detail = client.get(f"/admin/policy-reading/policy/{policy.pk}/").content.decode()
    assert "slacker0@school.example" in detail and "reader0@school.example" not in detail  # default: outstanding
    everyone = client.get(f"/admin/policy-reading/policy/{policy.pk}/?state=read").content.decode()
    assert "reader0@school.example" in everyone and "slacker0@school.example" not in everyone


def test_governors_see_totals_but_not_names(client, school, governor):
    policy, *_ = school
    client.force_login(governor)
    overview = client.get("/admin/policy-reading/")
    assert overview.status_code == 200
    html = overview.content.decode()
    assert "Social media" in html and "reader0" not in html and "/policy-reading/policy/" not in html
    assert denied(client.get(f"/admin/policy-reading/policy/{policy.pk}/"))
    assert denied(client.get(f"/admin/policy-reading/policy/{policy.pk}/?format=csv"))
    assert denied(client.get("/admin/policy-reading/people/"))
    assert denied(client.get(f"/admin/policy-reading/people/{governor.pk}/"))


def test_staff_have_no_access_to_reports(client, school, staff_user):
    policy, *_ = school
    client.force_login(staff_user)
    for url in ("/admin/policy-reading/", f"/admin/policy-reading/policy/{policy.pk}/"):
        response = client.get(url)
        assert response.status_code == 403 and "does not open the admin" in response.content.decode()


def test_senior_leaders_see_names(client, school, senior_leader):
    policy, *_ = school
    client.force_login(senior_leader)
    assert client.get(f"/admin/policy-reading/policy/{policy.pk}/").status_code == 200


def test_filter_by_group(client, school, hr_user):
    policy, *_ = school
    from django.contrib.auth.models import Group

    editors = Group.objects.get(name="Policy editors")
    client.force_login(hr_user)
    html = client.get(f"/admin/policy-reading/policy/{policy.pk}/?group={editors.pk}").content.decode()
    assert hr_user.email in html and "slacker0" not in html


def test_csv_export_of_a_policy_and_of_a_person(client, school, hr_user):
    policy, readers, slackers = school
    evil = UserFactory(groups=["Staff"], first_name="=HYPERLINK(1)", email="evil@school.example")
    client.force_login(hr_user)
    response = client.get(f"/admin/policy-reading/policy/{policy.pk}/?state=all&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Name", "Email", "Status"]
    assert len(rows) == 1 + 7
    assert any(r[0].startswith("'=HYPERLINK") for r in rows)  # no formula injection
    assert {r[2] for r in rows[1:]} == {"Read", "Not read"}
    person = client.get(f"/admin/policy-reading/people/{evil.pk}/?format=csv")
    person_rows = list(csv.reader(io.StringIO(person.content.decode())))
    assert person_rows[1][:3] == ["Social media", "1", "Not read"]


def test_people_list_and_search(client, school, hr_user):
    client.force_login(hr_user)
    html = client.get("/admin/policy-reading/people/?q=slacker").content.decode()
    assert "slacker0@school.example" in html and "reader0" not in html


def test_send_reminders_action(client, school, hr_user, governor):
    policy, readers, slackers = school
    client.force_login(governor)
    assert denied(client.post(f"/admin/policy-reading/policy/{policy.pk}/", {"action": "remind"}))
    assert mail.outbox == []
    client.force_login(hr_user)
    response = client.post(f"/admin/policy-reading/policy/{policy.pk}/", {"action": "remind"}, follow=True)
    assert "Sent 4 reminders." in response.content.decode()  # 2 slackers, HR, the governor
    assert {m.to[0] for m in mail.outbox} >= {"slacker0@school.example", "slacker1@school.example"}
    assert not any(m.to[0].startswith("reader") for m in mail.outbox)


def test_reminders_hr_sends_link_to_where_hr_reached_the_site(client, school, hr_user, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["policies.oakbrook.sch.uk"]
    policy, readers, slackers = school
    client.force_login(hr_user)
    client.post(
        f"/admin/policy-reading/policy/{policy.pk}/", {"action": "remind"}, HTTP_HOST="policies.oakbrook.sch.uk"
    )
    body = next(m.body for m in mail.outbox if m.to == ["slacker0@school.example"])
    assert f"http://policies.oakbrook.sch.uk{policy.url}" in body and ":8000" not in body


def test_weekly_digest_at_most_once_a_week(school):
    from django.utils import timezone

    policy, readers, slackers = school
    now = timezone.now()
    sent, _ = send_read_reminders(dry_run=True, now=now)
    assert mail.outbox == [] and not ReadReminder.objects.exists()
    sent, _ = send_read_reminders(now=now)
    assert sorted(u.email for u, _ in sent) == ["slacker0@school.example", "slacker1@school.example"]
    body = mail.outbox[0].body
    assert "Social media, version 1" in body and "/policies/social-media/" in body
    mail.outbox.clear()
    sent, skipped = send_read_reminders(now=now + datetime.timedelta(days=6))
    assert sent == [] and len(skipped) == 2 and mail.outbox == []
    sent, _ = send_read_reminders(now=now + datetime.timedelta(days=8))
    assert len(sent) == 2


def test_send_read_reminders_command(school, capsys):
    from django.core.management import call_command

    call_command("send_read_reminders", "--dry-run")
    assert "Would email slacker0@school.example: Social media" in capsys.readouterr().out
    assert mail.outbox == []


def _report_queries(client, policy):
    counts = []
    for url in (
        "/admin/policy-reading/",
        f"/admin/policy-reading/policy/{policy.pk}/?state=all",
        "/admin/policy-reading/people/",
    ):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        # The content version's token is read at most every 0.2 s (core.content.VERSION_MEMO_SECONDS), so
        # whether one request reads it depends on the clock: not what this test compares.
        counts.append(sum("sitesearch_contentversion" not in q["sql"] for q in captured.captured_queries))
    return counts


def test_report_queries_do_not_grow_with_staff_or_policies(client, tree, hr_user):
    policies = [make_policy(tree.policies, sections=1, slug=f"p{i}") for i in range(2)]
    for policy in policies:
        issue(policy)
    for _ in range(5):
        UserFactory(groups=["Staff"])
    client.force_login(hr_user)
    small = _report_queries(client, policies[0])
    for i in range(3):
        extra = make_policy(tree.policies, sections=1, slug=f"q{i}")
        issue(extra)
    for _ in range(40):
        user = UserFactory(groups=["Staff"])
        ReadReceipt.objects.create(user=user, policy=policies[0], version=policies[0].current_version)
    large = _report_queries(client, policies[0])
    assert small == large, (small, large)


def test_overview_totals_agree_with_the_per_person_rule(tree):
    """policy_totals counts quickly; it must give the same answers as reading_matrix, person by person."""
    from policypages.models import PolicySectionPage
    from policypages.reading import policy_totals, reading_matrix, requirements_for, staff_members

    policy = make_policy(tree.policies, sections=1, slug="p")
    v1 = issue(policy, "1")
    people = [UserFactory(groups=["Staff"], start_date=datetime.date(2020, 1, 1)) for _ in range(6)]
    ReadReceipt.objects.create(user=people[0], policy=policy, version=v1)
    ReadReceipt.objects.create(user=people[1], policy=policy, version=v1)
    section = PolicySectionPage.objects.child_of(policy).first()
    section.save_revision().publish(skip_permission_checks=True)
    v2 = issue(policy, "2")
    ReadReceipt.objects.create(user=people[1], policy=policy, version=v2)
    editorial = issue_policy(
        policy, "2.1", issued_on=datetime.date(2026, 2, 1), change_type=PolicyVersion.EDITORIAL, summary="Typo."
    )
    ReadReceipt.objects.create(user=people[2], policy=policy, version=editorial)
    today = datetime.date(2026, 6, 1)
    [row] = policy_totals(today)
    matrix = reading_matrix(staff_members(), requirements_for([policy]), today)
    assert row.audience == len(matrix) == 6
    assert row.read == sum(s.state == "read" for s in matrix.values()) == 2
    assert row.overdue == sum(s.overdue for s in matrix.values()) == 4


def test_overview_totals_agree_person_by_person_with_audiences_start_dates_and_outsiders(tree):
    """The database's counts against the per-person rule, on what changes them: a policy for one group, people
    who started recently (not overdue yet), a person with no start date, and receipts from people who owe
    nothing (left, not staff, not in the audience) that must not count."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from policypages.reading import policy_totals, reading_matrix, requirements_for, staff_members

    everyone = make_policy(tree.policies, sections=1, slug="everyone", title="A for everyone")
    governance = make_policy(tree.policies, sections=1, slug="governance", title="B for governors")
    governance.applies_to.add(Group.objects.get(name="Governors"))
    governance.save_revision().publish(skip_permission_checks=True)
    v_everyone, v_governance = issue(everyone), issue(governance)
    today = datetime.date(2026, 6, 1)
    old_hands = [UserFactory(groups=["Staff"], start_date=datetime.date(2020, 1, 1)) for _ in range(3)]
    recent = UserFactory(groups=["Staff"], start_date=datetime.date(2026, 5, 25))
    joined_recently = UserFactory(groups=["Staff"], start_date=None)
    joined_recently.date_joined = timezone.make_aware(datetime.datetime(2026, 5, 28, 9))
    joined_recently.save()
    joined_long_ago = UserFactory(groups=["Staff", "Governors"], start_date=None)
    joined_long_ago.date_joined = timezone.make_aware(datetime.datetime(2024, 1, 1, 9))
    joined_long_ago.save()
    governors = [UserFactory(groups=["Staff", "Governors"], start_date=datetime.date(2021, 1, 1)) for _ in range(2)]
    left = UserFactory(groups=["Staff"], is_active=False)
    outsider = UserFactory(groups=[])
    for person in (old_hands[0], recent, governors[0], left, outsider):
        ReadReceipt.objects.create(user=person, policy=everyone, version=v_everyone)
    for person in (governors[1], old_hands[1], left):  # old_hands[1] owes nothing here: not a governor
        ReadReceipt.objects.create(user=person, policy=governance, version=v_governance)

    rows = {row.requirement.policy.title: row for row in policy_totals(today)}
    matrix = reading_matrix(staff_members(), requirements_for([everyone, governance]), today)
    for policy in (everyone, governance):
        statuses = [s for (_, policy_id), s in matrix.items() if policy_id == policy.pk]
        row = rows[policy.title]
        assert row.audience == len(statuses)
        assert row.read == sum(s.state == "read" for s in statuses)
        assert row.overdue == sum(s.overdue for s in statuses)
    assert (rows["A for everyone"].audience, rows["A for everyone"].read, rows["A for everyone"].overdue) == (8, 3, 4)
    assert (rows["B for governors"].audience, rows["B for governors"].read, rows["B for governors"].overdue) == (
        3,
        1,
        2,
    )
