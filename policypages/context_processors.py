"""`branding` in every template: the school's name, logo and colours (policypages.branding)."""

from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from .branding import SchoolBranding, shade


def branding(request):
    def load():
        site = Site.find_for_request(request)
        # No site yet (a brand-new database before setup_site): defaults, so even error pages render.
        brand = SchoolBranding.for_site(site) if site else SchoolBranding()
        brand.main_colour_dark = shade(brand.main_colour, 0.75)
        return brand

    return {"branding": SimpleLazyObject(load)}
