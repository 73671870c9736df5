"""Template tags for every page of the site."""

from django import template
from django.utils.safestring import mark_safe

from schoolsite import published

register = template.Library()


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """The page's ancestors below the tree's root, as (title, address): from the published snapshot, so a page
    does not ask the database for its ancestors on every request."""
    request = context.get("request")
    snapshot = published.current()
    site = snapshot.site_for_request(request) if request is not None else None
    crumbs = snapshot.breadcrumbs(site, page) if page.path else None
    if crumbs is None:
        crumbs = [(ancestor.title, ancestor.get_url(request)) for ancestor in page.get_ancestors()[1:]]
    return crumbs


@register.simple_tag(takes_context=True)
def section_body(context, section):
    """A policy section's body as HTML, rendered once per content version and audience, not on every request:
    it changes only when something is published, and the same for everyone signed in (or everyone not). The
    audience is in the key because a form link reads differently to a visitor ("staff sign-in"). A preview, or
    anything that is not a live section, is rendered afresh and never kept."""
    from policypages.models import PolicySectionPage

    request = context.get("request")

    def render():
        return mark_safe(section.body.render_as_block(context=context.flatten()))

    if request is None or getattr(request, "is_preview", False) or type(section) is not PolicySectionPage:
        return render()
    if not section.live or section.live_revision_id is None:
        return render()
    audience = "staff" if request.user.is_authenticated else "public"
    key = ("section-body", section.pk, section.live_revision_id, audience)
    return published.current().derived(key, render)
