"""The base of every page factory: pages go into the tree with add_child, as Wagtail requires, and are
published through a revision, as an editor publishes them (so they have a history, like real pages)."""

import factory
from wagtail.models import PageViewRestriction


class PageFactory(factory.Factory):
    """Builds a page and adds it under `parent`, published unless live=False."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, parent, live=True, staff_only=False, **kwargs):
        page = model_class(**kwargs)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish(skip_permission_checks=True)
            page.refresh_from_db()
        else:
            page.live = False
            page.save(update_fields=["live"])
        if staff_only:
            PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        return page
