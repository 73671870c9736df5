"""Two-step verification is a property of the session: every privileged view, file and export, wherever it
is routed, needs a session that passed the second step."""

import pytest
from django.urls import reverse

from accounts import roles
from declarations.access import may_review, reviewable_forms
from declarations.models import ABUSE, REJECTED_CONTACT, AccessGrant
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in_without_second_step

from .conftest import code_for, enrol, record_password_sign_in

pytestmark = pytest.mark.django_db


def privileged_urls(records):
    abuse = records[ABUSE]
    evidence = abuse.evidence.first()
    return [
        "/admin/",
        "/admin/declarations/record/",
        f"/admin/declarations/record/inspect/{abuse.pk}/",
        f"/admin/declarations/record/history/{abuse.pk}/",
        f"/admin/records/export/{abuse.submitted_by_id}/",
        f"/records/evidence/{evidence.pk}/",
        "/admin/reports/site-history/",
        "/admin/reports/site-history/results/?export=csv",
    ]


def test_a_password_only_session_is_sent_to_the_second_step_everywhere(client, records, head):
    sign_in_without_second_step(client, head)
    for url in privileged_urls(records):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/2fa/reauthenticate/?next="), url


def test_someone_who_has_not_enrolled_is_sent_to_set_it_up(client, records, tree):
    leader = UserFactory(groups=[roles.STAFF, roles.SENIOR_LEADERS])
    sign_in_without_second_step(client, leader)
    for url in privileged_urls(records):
        assert client.get(url)["Location"] == "/accounts/2fa/", url


def test_confirming_with_the_code_opens_them_and_returns_where_they_were(client, records, head):
    sign_in_without_second_step(client, head)
    record_password_sign_in(client, head)
    evidence = records[ABUSE].evidence.first()
    target = f"/records/evidence/{evidence.pk}/"
    response = client.post(
        f"{reverse('mfa_reauthenticate')}?next={target}",
        {"code": "000000" if code_for(head.totp_secret) != "000000" else "111111"},
    )
    assert client.get(target).status_code == 302  # a wrong code opens nothing
    response = client.post(f"{reverse('mfa_reauthenticate')}?next={target}", {"code": code_for(head.totp_secret)})
    assert response.status_code == 302 and response["Location"] == target
    assert client.get(target).status_code == 200
    assert client.get("/admin/declarations/record/").status_code == 200


def test_the_records_matrix_itself_refuses_a_password_only_session(head, records):
    """Defence in depth: a records view routed somewhere the middleware does not guard still finds nothing."""
    head.second_step_done = False
    assert reviewable_forms(head) == frozenset()
    assert not may_review(head, records[ABUSE])
    head = type(head).objects.get(pk=head.pk)
    head.second_step_done = True
    assert may_review(head, records[ABUSE])


def test_enrolling_for_the_first_time_counts_as_the_second_step(
    client, records, tree, django_capture_on_commit_callbacks
):
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    leader = UserFactory(groups=[roles.STAFF, roles.SENIOR_LEADERS])
    sign_in_without_second_step(client, leader)
    record_password_sign_in(client, leader)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session.get("mfa.totp.secret") or generate_totp_secret()
    session = client.session
    session["mfa.totp.secret"] = secret
    session.save()
    # allauth announces the new authenticator after the commit: here, after the response.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.get("/admin/declarations/record/").status_code == 200


def test_adding_a_second_authenticator_does_not_promote_a_password_only_session(client, records, head):
    from accounts.mfa import record_first_enrolment

    sign_in_without_second_step(client, head)
    record_password_sign_in(client, head)
    request = type("R", (), {"session": client.session, "user": head})()
    # The head already has an authenticator app: enrolling a passkey now must not count.
    passkey = head.authenticator_set.create(type="webauthn", data={})
    record_first_enrolment(None, request, head, passkey)
    assert not any(r.get("method") == "mfa" for r in request.session.get("account_authentication_methods", []))


def test_temporary_record_access_needs_the_second_step_too(client, records, tree):
    from datetime import timedelta

    from django.utils import timezone

    investigator = UserFactory(groups=[roles.STAFF])
    AccessGrant.objects.create(
        user=investigator,
        form=REJECTED_CONTACT,
        reason="Investigation",
        granted_by="Chair of governors",
        expires_at=timezone.now() + timedelta(days=2),
    )
    sign_in_without_second_step(client, investigator)
    evidence = records[REJECTED_CONTACT].evidence.first()
    assert client.get(f"/records/evidence/{evidence.pk}/")["Location"] == "/accounts/2fa/"
    enrol(investigator)
    client.force_login(investigator)
    assert client.get(f"/records/evidence/{evidence.pk}/").status_code == 200


def test_staff_reading_policies_are_never_asked(client, staff_user, records):
    sign_in_without_second_step(client, staff_user)
    assert client.get("/staff/").status_code == 200
    mine = records[ABUSE].evidence.first()
    assert client.get(f"/records/evidence/{mine.pk}/").status_code == 200


def test_a_page_for_a_privileged_group_asks_for_the_second_step(client, tree, head, staff_user):
    """Issue 41, finding 8: the head, signed in with a password only, read a page restricted to Senior leaders."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from tests.guidance.factories import make_answer

    page = make_answer(tree.staff_guidance, "Leaders only: the zebrafish budget", answer="<p>Zebrafish.</p>")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name=roles.SENIOR_LEADERS)])
    url = page.url
    sign_in_without_second_step(client, head)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/reauthenticate/")
    assert client.get("/api/search/", {"q": "zebrafish budget"}).json()["results"] == []
    client.force_login(head)  # with the second step
    assert client.get(url).status_code == 200
    assert client.get("/api/search/", {"q": "zebrafish budget"}).json()["results"] != []
    client.force_login(staff_user)
    assert client.get(url).status_code in (302, 403, 404)  # not a senior leader at all
