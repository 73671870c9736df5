"""Template tags for every page of the site."""

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from core import published
from core.page_cache import audience, personal_marker
from policypages import understanding
from policypages.models import PolicySectionPage

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


@register.tag
def shared_by_audience(parser, token):
    """{% shared_by_audience "name" %}...{% endshared_by_audience %}: a part of a page that is the same for
    everyone with the same access (core.page_cache.audience: visitors, or signed-in readers refused the same
    private pages), rendered once per live revision of the page, audience, host and day, not on every request.
    Put nothing personal inside (a reading status, a CSRF token): the page around it stays personal. A preview,
    or a page that is not live, is rendered afresh and never kept."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one name in quotes")
    nodelist = parser.parse(("endshared_by_audience",))
    parser.delete_first_token()
    return SharedByAudienceNode(nodelist, bits[1].strip("\"'"))


class SharedByAudienceNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        request, page = context.get("request"), context.get("page")
        if request is None or page is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        if not getattr(page, "live", False) or getattr(page, "live_revision_id", None) is None:
            return self.nodelist.render(context)
        key = (
            "shared",
            self.name,
            page.pk,
            page.live_revision_id,
            request.get_host(),
            audience(request),
            timezone.localdate(),
        )
        return published.current().derived(key, lambda: mark_safe(self.nodelist.render(context)))


@register.simple_tag(takes_context=True)
def personal(context, template_name):
    """{% personal "template.html" %}: a part of the page about the reader (their reading status), rendered
    here as an include would be; in a page rendered for the signed-in page cache, a marker that is filled in
    for each reader from the page's personal_context (core/page_cache.py)."""
    request = context.get("request")
    if request is not None and getattr(request, "_page_shell", False):
        return mark_safe(personal_marker(template_name))
    return mark_safe(context.template.engine.get_template(template_name).render(context))


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or None: for dictionaries keyed by something a template cannot spell (a block's id)."""
    return (mapping or {}).get(key)


@register.filter
def section_link(question):
    """The section that answers an understanding-check question, linked (policypages/understanding.py)."""
    return understanding.section_link(question)
