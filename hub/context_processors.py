"""In every template: `nav`, the addresses of the site's main pages, found in the page tree so that an editor
may rename or move them (tests/test_navigation.py)."""

from dataclasses import dataclass

from django.apps import apps
from django.utils.functional import SimpleLazyObject

from core import published
from policypages.models import PolicyIndexPage

from .models import ParentsPage, StaffHubPage


@dataclass(frozen=True)
class Navigation:
    """Where the site's main pages are: None for one the site does not have (its link is then left out)."""

    policies: str | None
    staff_hub: str | None
    my_policies: str | None
    parents: str | None
    staff_guidance: str | None


def navigation(request):
    def load():
        snapshot = published.current()
        site = snapshot.site_for_request(request)
        # The same for every reader: worked out once per content version (a renamed or moved page changes it).
        return snapshot.derived(("navigation", site.pk if site else None), lambda: site_navigation(snapshot, site))

    return {"nav": SimpleLazyObject(load)}


def site_navigation(snapshot, site):
    staff_hub = snapshot.address_of_first(site, StaffHubPage)
    return Navigation(
        policies=snapshot.address_of_first(site, PolicyIndexPage),
        staff_hub=staff_hub,
        my_policies=staff_hub and staff_hub + StaffHubPage.get_resolver().reverse("my_policies_view"),
        parents=snapshot.address_of_first(site, ParentsPage),
        # The staff's guidance (parents have their own, on the parents' page).
        staff_guidance=snapshot.address_of_first(site, apps.get_model("guidance", "GuidanceIndexPage"), staff_hub),
    )
