"""`branding` in every template: the school's name, logo and colours (policypages.branding)."""

import hashlib

from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from .branding import SchoolBranding, brand_stylesheet, shade


def branding(request):
    def load():
        site = Site.find_for_request(request)
        # No site yet (a brand-new database before setup_site): defaults, so even error pages render.
        brand = SchoolBranding.for_site(site) if site else SchoolBranding()
        brand.main_colour_dark = shade(brand.main_colour, 0.75)
        # The stylesheet's address changes with the colours, so browsers may keep it for a year.
        brand.stylesheet_version = hashlib.sha256(brand_stylesheet(brand, brand.main_colour_dark).encode()).hexdigest()[
            :12
        ]
        return brand

    return {"branding": SimpleLazyObject(load)}
