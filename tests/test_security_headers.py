"""Security headers on every response: a strict CSP for the site, a looser one for Wagtail's admin."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_public_pages_get_a_strict_policy_and_carry_nothing_inline_it_would_block(client, tree):
    response = client.get("/parents/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    html = response.content.decode()
    assert "<style" not in html and " style=" not in html and "<script>" not in html
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_schools_colours_come_as_a_stylesheet_that_changes_address_with_them(client, tree):
    from wagtail.models import Site

    from policypages.branding import SchoolBranding

    link = re.search(r'href="(/brand\.css\?v=[0-9a-f]+)"', client.get("/parents/").content.decode()).group(1)
    css = client.get(link)
    assert css["Content-Type"] == "text/css" and "immutable" in css["Cache-Control"]
    assert "--brand: #1d4f7a;" in css.content.decode()
    branding = SchoolBranding.for_site(Site.objects.get(is_default_site=True))
    branding.main_colour = "#004225"
    branding.save()
    new_link = re.search(r'href="(/brand\.css\?v=[0-9a-f]+)"', client.get("/parents/").content.decode()).group(1)
    assert new_link != link and "--brand: #004225;" in client.get(new_link).content.decode()


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
