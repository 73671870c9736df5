"""The demo school's badge, colours, contact and official accounts (demo_school/school.json): what a school sets
up in its first hour."""

import io

from django.core.files.images import ImageFile
from wagtail.images.models import Image

from hub.models import OfficialAccount
from policypages.branding import SchoolBranding

from .demo_data import read_bytes


def ensure_branding(site, branding_data, report):
    branding = SchoolBranding.for_site(site)
    if branding.logo_id is not None:
        return
    logo = Image.objects.filter(title=branding_data["logo_title"]).first()
    if logo is None:
        logo = Image(title=branding_data["logo_title"])
        logo.file = ImageFile(io.BytesIO(read_bytes(branding_data["logo"])), name=branding_data["logo"])
        logo.save()
    branding.logo = logo
    branding.logo_alt_text = branding_data["logo_alt_text"]
    branding.school_name = branding.school_name or site.site_name
    branding.main_colour, branding.accent_colour = branding_data["main_colour"], branding_data["accent_colour"]
    branding.office_email = branding.office_email or branding_data["office_email"]
    branding.office_phone = branding.office_phone or branding_data["office_phone"]
    branding.full_clean()
    branding.save()
    report.append("Set the school's name, badge, colours and office contact")


def ensure_official_accounts(parents, accounts, report):
    if parents.official_accounts.exists():
        return False
    for order, account in enumerate(accounts):
        OfficialAccount.objects.create(page=parents, sort_order=order, **account)
    report.append("Listed the school's official accounts for parents")
    return True
