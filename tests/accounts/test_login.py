import pytest

pytestmark = pytest.mark.django_db


def test_wagtail_admin_login_is_routed_to_allauth(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_posting_a_password_to_the_admin_login_does_not_sign_in(client, tree):
    from tests.accounts.factories import UserFactory

    UserFactory(email="a@school.example", username="a", is_superuser=True)
    client.post("/admin/login/", {"username": "a", "password": "password"})
    assert "_auth_user_id" not in client.session


def test_public_sign_up_is_closed(client):
    response = client.get("/accounts/signup/")
    assert b"Sign Up Closed" in response.content or response.status_code in (403, 404)


def test_email_sign_in_is_case_insensitive(client, tree):
    from tests.accounts.factories import UserFactory

    UserFactory(email="Sam.Teacher@school.example")
    response = client.post("/accounts/login/", {"login": "sam.teacher@SCHOOL.example", "password": "password"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_sign_in_page_offers_one_way_to_reset_a_password(client, tree):
    html = client.get("/accounts/login/").content.decode()
    assert html.count("Forgotten your password?") == 1 and "Forgot your password?" not in html
