"""In a trust, a confidential record is filed under the submitter's school and read by that school's reviewers:
nobody in one school reaches another school's records, by inbox, record, evidence, status change, export,
audit trail or email. The trust's central safeguarding lead reads every school's safeguarding reports."""

import shutil

import pytest
from django.conf import settings
from django.core import mail

from accounts import roles
from declarations.models import ABUSE, ACCOUNT_REQUEST, FORMS_WITH_EVIDENCE, REJECTED_CONTACT, RELATIONSHIP, Record
from schools.models import School, Trust
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa
from tests.declarations.conftest import png, submit

from .factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media():
    yield
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


INBOX = "/admin/declarations/record/"
ROLE_GROUPS = {
    "staff": [roles.STAFF],
    "hr": [roles.STAFF, roles.POLICY_EDITORS],
    "head": [roles.STAFF, roles.SENIOR_LEADERS],
    "dsl": [roles.STAFF, roles.SAFEGUARDING_LEAD],
    "governor": [roles.STAFF, roles.GOVERNORS],
}
# The forms each role reviews in its own school (docs/roles.md).
REVIEWS = {
    "staff": set(),
    "hr": {RELATIONSHIP, ACCOUNT_REQUEST},
    "head": {RELATIONSHIP, REJECTED_CONTACT, ABUSE, ACCOUNT_REQUEST},
    "dsl": {REJECTED_CONTACT, ABUSE},
    "governor": set(),
}


def people_of(school):
    return {role: with_mfa(UserFactory(groups=groups, school=school)) for role, groups in ROLE_GROUPS.items()}


@pytest.fixture
def trust(client, tree, django_capture_on_commit_callbacks):
    """Two schools, each with a person in every role, and one record of every form sent by each school's staff."""
    oakbrook = School.objects.get()
    elm = SchoolFactory(name="Elm Primary")
    people = {"oakbrook": people_of(oakbrook), "elm": people_of(elm)}
    records = {}
    for name in ("oakbrook", "elm"):
        client.force_login(people[name]["staff"])
        for form in (RELATIONSHIP, REJECTED_CONTACT, ABUSE, ACCOUNT_REQUEST):
            with django_capture_on_commit_callbacks(execute=True):
                files = [png()] if form in FORMS_WITH_EVIDENCE else None
                assert submit(client, form, files=files).status_code == 302
        records[name] = {r.form: r for r in Record.objects.filter(submitted_by=people[name]["staff"])}
    client.logout()
    return {"schools": {"oakbrook": oakbrook, "elm": elm}, "people": people, "records": records}


def _refused(response):
    return response.status_code in (403, 404) or (response.status_code == 302 and "/admin/" in response["Location"])


def test_each_record_is_filed_under_the_submitters_school(trust):
    for name, school in trust["schools"].items():
        assert {record.school for record in trust["records"][name].values()} == {school}


@pytest.mark.parametrize("role", list(ROLE_GROUPS))
def test_nobody_in_one_school_reaches_anothers_records(client, trust, role):
    """Every role of Elm against every Oakbrook record URL; Elm's own records as the control."""
    person = trust["people"]["elm"][role]
    client.force_login(person)
    client.raise_request_exception = False
    inbox = client.get(INBOX)
    body = inbox.content.decode() if inbox.status_code == 200 else ""
    for form, record in trust["records"]["oakbrook"].items():
        assert record.reference not in body, (role, form)
        for url in [f"{INBOX}inspect/{record.pk}/", *[f"/records/evidence/{e.pk}/" for e in record.evidence.all()]]:
            assert _refused(client.get(url)), (role, url)
        client.post(f"/admin/records/{record.pk}/status/", {"status": "closed", "reviewer_notes": "x"})
        record.refresh_from_db()
        assert record.status == "submitted", (role, form)
        export = client.get(f"/admin/records/export/{record.submitted_by_id}/")
        content = b"".join(export.streaming_content) if export.streaming else export.content
        assert record.reference.encode() not in content, (role, form)
    for form, record in trust["records"]["elm"].items():
        assert (record.reference in body) == (form in REVIEWS[role]), (role, form)


def test_the_audit_trail_shows_only_the_readers_schools_records(client, trust):
    head = trust["people"]["elm"]["head"]
    client.force_login(trust["people"]["oakbrook"]["head"])
    oakbrook_record = trust["records"]["oakbrook"][RELATIONSHIP]
    client.get(f"{INBOX}inspect/{oakbrook_record.pk}/")  # logged as viewed
    client.force_login(head)
    history = client.get("/admin/reports/site-history/").content.decode()
    assert trust["records"]["elm"][RELATIONSHIP].reference in history
    assert oakbrook_record.reference not in history


def test_only_the_schools_own_reviewers_are_emailed(trust):
    oakbrook, elm = trust["people"]["oakbrook"], trust["people"]["elm"]
    record = trust["records"]["oakbrook"][REJECTED_CONTACT]
    told = {message.to[0] for message in mail.outbox if record.reference in message.subject}
    assert told == {oakbrook["staff"].email, oakbrook["head"].email, oakbrook["dsl"].email}
    assert not told & {person.email for person in elm.values()}


def test_the_central_safeguarding_lead_reads_every_schools_safeguarding_reports(client, trust):
    central = with_mfa(UserFactory(groups=[roles.STAFF, roles.SAFEGUARDING_LEAD], school=None, in_central_team=True))
    client.force_login(central)
    page = client.get(INBOX).content.decode()
    for name in ("oakbrook", "elm"):
        for form, record in trust["records"][name].items():
            assert (record.reference in page) == (form in {REJECTED_CONTACT, ABUSE}), (name, form)

    trust_setting = Trust.load()
    trust_setting.central_safeguarding_sees_every_school = False
    trust_setting.save()
    client.force_login(central)  # a new request, so the rule is read afresh
    page = client.get(INBOX).content.decode()
    assert not any(r.reference in page for school in trust["records"].values() for r in school.values())


def test_a_head_of_two_schools_reads_both(client, trust):
    head = trust["people"]["oakbrook"]["head"]
    head.other_schools.add(trust["schools"]["elm"])
    client.force_login(head)
    page = client.get(INBOX).content.decode()
    assert all(r.reference in page for school in trust["records"].values() for r in school.values())


def test_the_inbox_shows_the_school_only_in_a_trust(client, tree, senior_leader, staff_user):
    client.force_login(staff_user)
    submit(client, RELATIONSHIP)
    client.force_login(senior_leader)
    page = client.get(INBOX).content.decode()
    assert "column-school" not in page and 'name="school"' not in page
    SchoolFactory(name="Elm Primary")
    page = client.get(INBOX).content.decode()
    assert "column-school" in page and "?school=" in page
