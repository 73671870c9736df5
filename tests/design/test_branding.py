"""The school's name, logo and colours come from a Wagtail site setting, and stay readable."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from wagtail.images.models import Image
from wagtail.models import Site

from policypages.branding import SchoolBranding, contrast_ratio
from sitesetup.demo_data import read_bytes, school

pytestmark = pytest.mark.django_db


@pytest.fixture
def branding(tree):
    return SchoolBranding.for_site(Site.objects.get(is_default_site=True))


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54  # the lightest grey that passes AA


def test_a_pale_main_colour_is_refused_with_a_reason(branding):
    branding.main_colour = "#ffcc00"
    with pytest.raises(ValidationError) as error:
        branding.full_clean()
    assert "too light" in error.value.message_dict["main_colour"][0]
    assert "4.5 to 1" in error.value.message_dict["main_colour"][0]


def test_a_colour_that_is_not_a_colour_is_refused(branding):
    branding.accent_colour = "red; background: url(x)"
    with pytest.raises(ValidationError) as error:
        branding.full_clean()
    assert "six hexadecimal digits" in error.value.message_dict["accent_colour"][0]


def test_dark_colours_are_accepted(branding):
    branding.main_colour, branding.accent_colour = "#004225", "#9c1c1c"
    branding.full_clean()


def test_every_page_shows_the_schools_name_colours_and_logo_with_its_alt_text(client, branding, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logo = Image(title="Badge")
    logo.file = ImageFile(io.BytesIO(read_bytes(school()["branding"]["logo"])), name="badge.png")
    logo.save()
    branding.school_name = "Riverside Primary"
    branding.logo = logo
    branding.logo_alt_text = "Riverside Primary crest"
    branding.main_colour = "#004225"
    branding.save()

    html = client.get("/parents/").content.decode()
    assert "<title>Parents and carers · Riverside Primary</title>" in html
    assert "/brand.css?v=" in html
    assert 'alt="Riverside Primary crest"' in html
    assert 'class="site-header__logo"' in html

    branding.logo_alt_text = ""
    branding.save()
    html = client.get("/parents/").content.decode()
    assert 'alt="Riverside Primary logo"' in html  # never an image without a text alternative


def test_without_settings_the_site_name_and_default_colours_are_used(client, tree):
    html = client.get("/").content.decode()
    assert "--brand: #1d4f7a" in client.get("/brand.css").content.decode()
    assert "site-header__logo" not in html


def test_the_demo_badge_is_a_real_png():
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(read_bytes(school()["branding"]["logo"]))) as image:
        assert image.format == "PNG" and image.size == (192, 192)


def test_only_hr_and_site_admins_may_change_the_branding(client, tree, hr_user, site_admin, governor, senior_leader):
    url = "/admin/settings/policypages/schoolbranding/"
    for person in (hr_user, site_admin):
        client.force_login(person)
        response = client.get(url, follow=True)
        assert response.status_code == 200 and "School name, logo and colours" in response.content.decode()
        assert 'name="main_colour"' in response.content.decode()
    for person in (governor, senior_leader):
        client.force_login(person)
        response = client.get(url, follow=True)
        assert 'name="main_colour"' not in response.content.decode(), person
