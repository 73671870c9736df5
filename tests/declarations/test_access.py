"""Who sees which record: every role against every list, record, file and export URL, guessed IDs included."""

import pytest
from django.core.management import call_command

from accounts import roles
from declarations.models import ABUSE, ACCOUNT_REQUEST, REJECTED_CONTACT, RELATIONSHIP, EvidenceFile, Record
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa

pytestmark = pytest.mark.django_db

INBOX = "/admin/declarations/record/"

# The matrix of docs/roles.md: which forms each role reviews.
MATRIX = {
    "senior_leader": {RELATIONSHIP, REJECTED_CONTACT, ABUSE, ACCOUNT_REQUEST},
    "hr_user": {RELATIONSHIP, ACCOUNT_REQUEST},
    "safeguarding_lead": {REJECTED_CONTACT, ABUSE},
    "governor": set(),
    "site_admin": set(),
    "superuser": set(),
    "other_staff": set(),
}


@pytest.fixture
def people(staff_user, senior_leader, hr_user, safeguarding_lead, governor, site_admin, superuser):
    return {
        "senior_leader": senior_leader,
        "hr_user": hr_user,
        "safeguarding_lead": safeguarding_lead,
        "governor": governor,
        "site_admin": site_admin,
        "superuser": superuser,
        "other_staff": UserFactory(groups=[roles.STAFF]),
    }


def _denied(response):
    # 404 from our views; Wagtail turns a refused admin page into a redirect to the dashboard.
    return response.status_code == 404 or (response.status_code == 302 and "/admin/" in response["Location"])


@pytest.mark.parametrize("role", list(MATRIX))
def test_every_role_against_every_record_url(client, records, people, role):
    client.force_login(people[role])
    allowed = MATRIX[role]
    inbox = client.get(INBOX)
    if allowed:
        assert inbox.status_code == 200
        body = inbox.content.decode()
        for form, record in records.items():
            assert (record.reference in body) == (form in allowed), (role, form)
    else:
        assert _denied(inbox) or inbox.status_code == 403
    for form, record in records.items():
        urls = [
            f"{INBOX}inspect/{record.pk}/",
            f"/admin/records/export/{record.submitted_by_id}/",
        ]
        urls += [f"/records/evidence/{e.pk}/" for e in record.evidence.all()]
        for url in urls:
            response = client.get(url)
            if form in allowed:
                assert response.status_code == 200, (role, url)
            elif "export" in url and allowed:
                # The export holds only the forms this reviewer may see.
                assert record.reference.encode() not in b"".join(
                    response.streaming_content if response.streaming else [response.content]
                )
            else:
                assert _denied(response) or response.status_code == 403, (role, url, response.status_code)
        status = client.post(f"/admin/records/{record.pk}/status/", {"status": "closed", "reviewer_notes": "x"})
        record.refresh_from_db()
        assert (record.status == "closed") == (form in allowed), (role, form)
        if form in allowed:
            Record.objects.filter(pk=record.pk).update(status="submitted")
        else:
            assert _denied(status) or status.status_code == 403


def test_menu_shows_the_inbox_only_to_reviewers(client, records, people):
    for role, allowed in MATRIX.items():
        client.force_login(people[role])
        response = client.get("/admin/")
        if response.status_code == 200:
            assert (INBOX in response.content.decode()) == bool(allowed), role


def test_guessed_ids_and_anonymous(client, records, staff_user):
    biggest = max(r.pk for r in records.values())
    for url in (
        f"{INBOX}inspect/{biggest + 1}/",
        f"/records/evidence/{999999}/",
        f"/admin/records/{biggest + 7}/status/",
    ):
        client.force_login(staff_user)
        assert client.get(url).status_code in (302, 403, 404, 405)
    client.logout()
    item = EvidenceFile.objects.first()
    response = client.get(f"/records/evidence/{item.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"{INBOX}inspect/{records[ABUSE].pk}/").status_code == 302


def test_evidence_is_not_reachable_as_a_media_file(client, records, settings):
    item = EvidenceFile.objects.first()
    for guess in (f"/media/{item.file.name}", f"/private-media/{item.file.name}", f"/{item.file.name}"):
        response = client.get(guess)
        assert response.status_code in (302, 404), guess
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.MEDIA_ROOT))


def test_the_submitter_sees_their_own_records_and_nobody_elses(client, records, staff_user):
    other = UserFactory(groups=[roles.STAFF])
    record = records[REJECTED_CONTACT]
    client.force_login(staff_user)
    assert client.get(record.get_absolute_url()).status_code == 200
    evidence = client.get(f"/records/evidence/{record.evidence.first().pk}/")
    assert evidence.status_code == 200
    # An attachment that can never run as a page, whatever it contains; the site's own CSP does not replace this.
    assert evidence["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert evidence["X-Content-Type-Options"] == "nosniff"
    assert evidence["Content-Disposition"].startswith("attachment;")
    client.force_login(other)
    assert client.get(record.get_absolute_url()).status_code == 404
    assert client.get(f"/records/evidence/{record.evidence.first().pk}/").status_code == 404
    assert record.reference not in client.get("/staff/my-records/").content.decode()


def test_the_submitter_never_sees_reviewer_notes(client, records, staff_user, senior_leader):
    record = records[RELATIONSHIP]
    client.force_login(senior_leader)
    client.post(
        f"/admin/records/{record.pk}/status/", {"status": "acknowledged", "reviewer_notes": "Private: spoke to HR"}
    )
    client.force_login(staff_user)
    body = client.get(record.get_absolute_url()).content.decode()
    assert "Acknowledged" in body and "Private: spoke to HR" not in body


def test_a_superuser_needs_an_explicit_logged_grant(client, records, superuser):
    client.force_login(superuser)
    record = records[ABUSE]
    assert _denied(client.get(f"{INBOX}inspect/{record.pk}/"))
    call_command(
        "grant_record_access",
        superuser.email,
        ABUSE,
        reason="Investigation 12",
        authorised_by="Chair of governors",
        days=3,
    )
    superuser.refresh_from_db()
    assert client.get(f"{INBOX}inspect/{record.pk}/").status_code == 200
    assert _denied(client.get(f"{INBOX}inspect/{records[RELATIONSHIP].pk}/"))
    from declarations.services import history

    assert history(record).filter(action="declarations.grant").exists()


def test_only_senior_leaders_decide_account_requests(
    client, records, hr_user, senior_leader, django_capture_on_commit_callbacks
):
    record = records[ACCOUNT_REQUEST]
    client.force_login(hr_user)
    assert client.post(f"/admin/records/{record.pk}/decide/", {"decision": "approved"}).status_code == 404
    client.force_login(senior_leader)
    assert client.post(f"/admin/records/{record.pk}/decide/", {"decision": "refused"}).status_code == 302
    assert record.specific.__class__.objects.get(pk=record.pk).decision == "pending"  # refusing needs a reason
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/records/{record.pk}/decide/", {"decision": "approved", "reason": "Review in July."})
    assert record.specific.__class__.objects.get(pk=record.pk).decision == "approved"


def test_mfa_is_required_before_reviewers_open_the_inbox(client, records, tree):
    leader = UserFactory(groups=[roles.STAFF, roles.SENIOR_LEADERS])
    client.force_login(leader)
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]
    with_mfa(leader)
    # The session that signed in before they enrolled has still not passed the second step...
    response = client.get(INBOX)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/reauthenticate/")
    # ...a sign-in with it has.
    client.force_login(leader)
    assert client.get(INBOX).status_code == 200
