"""In every template: `branding`, the school's name, logo and colours (policypages.branding). The addresses of
the site's main pages (`nav`) are the front pages' (hub/context_processors.py)."""

import hashlib

from django.utils.functional import SimpleLazyObject
from wagtail.images.shortcuts import get_rendition_or_not_found

from core import published

from .branding import SchoolBranding, brand_stylesheet, shade


def branding(request):
    def load():
        snapshot = published.current()
        site = snapshot.site_for_request(request)
        # Read once per content version (a rebranding changes it), not on every page: the same for every reader.
        return snapshot.derived(("branding", site.pk if site else None), lambda: site_branding(site))

    return {"branding": SimpleLazyObject(load)}


def site_branding(site):
    # No site yet (a brand-new database before setup_site): defaults, so even error pages render.
    brand = (
        SchoolBranding.objects.select_related("site", "logo")
        .prefetch_related("logo__renditions")
        .get(pk=SchoolBranding.for_site(site).pk)
        if site
        else SchoolBranding()
    )
    # The logo's two sizes, found (or made) here once per content version: Wagtail's {% image %} would write
    # each rendition back to the cache on every page it renders.
    brand.icon = get_rendition_or_not_found(brand.logo, "fill-64x64") if brand.logo else None
    brand.header_logo = get_rendition_or_not_found(brand.logo, "height-96") if brand.logo else None
    brand.main_colour_dark = shade(brand.main_colour, 0.75)
    # The stylesheet's address changes with the colours, so browsers may keep it for a year.
    brand.stylesheet_version = hashlib.sha256(brand_stylesheet(brand, brand.main_colour_dark).encode()).hexdigest()[:12]
    return brand
