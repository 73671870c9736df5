"""Security headers on every response: a strict CSP for the site, a looser one for Wagtail's admin."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_public_pages_get_a_strict_policy_whose_nonce_is_the_inline_styles(client, tree):
    response = client.get("/parents/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_each_response_gets_a_new_nonce(client, tree):
    first = client.get("/parents/")["Content-Security-Policy"]
    second = client.get("/parents/")["Content-Security-Policy"]
    assert first != second


def test_the_admin_may_frame_itself_for_the_live_preview(client, tree, hr_user):
    client.force_login(hr_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_error_pages_carry_the_policy_too(client, tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]
