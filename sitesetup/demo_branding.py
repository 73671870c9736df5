"""The demo school's name, badge, colours and official accounts: what a school sets up in its first hour."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

from hub.models import OfficialAccount
from policypages.branding import SchoolBranding

MAIN_COLOUR = "#1f4e79"
ACCENT_COLOUR = "#b3261e"
LOGO_TITLE = "Oakbrook Academy badge"

OFFICIAL_ACCOUNTS = [
    ("Facebook", "Oakbrook Academy", "https://www.facebook.com/oakbrookacademy.example", "News, events and closures"),
    ("Instagram", "@oakbrook_academy", "https://www.instagram.com/oakbrook_academy.example", "Photos of school life"),
    ("X", "@OakbrookAcad", "https://x.com/OakbrookAcad_example", "Closures and reminders"),
    ("YouTube", "Oakbrook Academy", "https://www.youtube.com/@oakbrookacademy.example", "Concerts and assemblies"),
]


def draw_badge(size=192):
    """A simple oak-tree badge, drawn rather than shipped, so the demo needs no image files."""
    image = PILImage.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    s = size / 192
    draw.ellipse([8 * s, 8 * s, 184 * s, 184 * s], fill=MAIN_COLOUR)
    draw.ellipse([20 * s, 20 * s, 172 * s, 172 * s], outline="white", width=max(1, round(4 * s)))
    for box in ([52, 46, 112, 102], [80, 38, 140, 94], [62, 74, 130, 126]):
        draw.ellipse([v * s for v in box], fill="#2f7d4a")
    draw.rectangle([90 * s, 118 * s, 102 * s, 152 * s], fill="#8a5a2b")
    draw.rectangle([56 * s, 150 * s, 136 * s, 156 * s], fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    buffer.seek(0)
    return buffer


def ensure_branding(site, report):
    branding = SchoolBranding.for_site(site)
    if branding.logo_id is None:
        logo = Image.objects.filter(title=LOGO_TITLE).first()
        if logo is None:
            logo = Image(title=LOGO_TITLE)
            logo.file = ImageFile(draw_badge(), name="oakbrook-badge.png")
            logo.save()
        branding.logo = logo
        branding.logo_alt_text = "Oakbrook Academy badge: an oak tree in a blue circle"
        branding.school_name = branding.school_name or "Oakbrook Academy"
        branding.main_colour, branding.accent_colour = MAIN_COLOUR, ACCENT_COLOUR
        branding.office_email = branding.office_email or "office@oakbrook.example"
        branding.office_phone = branding.office_phone or "01632 960 123"
        branding.full_clean()
        branding.save()
        report.append("Set the school's name, badge, colours and office contact")


def ensure_official_accounts(parents, report):
    if parents.official_accounts.exists():
        return False
    for order, (platform, name, url, purpose) in enumerate(OFFICIAL_ACCOUNTS):
        OfficialAccount.objects.create(
            page=parents, sort_order=order, platform=platform, name=name, url=url, purpose=purpose
        )
    report.append("Listed the school's official accounts for parents")
    return True
