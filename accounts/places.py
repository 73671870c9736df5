"""A page's place is part of its privacy (so is a document's collection): moving or copying it under another parent
changes who may read it.

A page inherits the view restrictions of every page above it (the staff hub is for signed-in staff, so every
answer under it is too). Moving a staff answer under the public parents' page would make it public without
anyone touching its privacy. So:

- Moving a page to where the pages above it are restricted differently is a privacy change: it needs the
  set-privacy right (site admins), like the privacy screen itself. HR may still move pages between places
  whose privacy is the same.
- Whoever moves it, a page never becomes more public by a move: the restrictions it leaves behind are carried
  onto the page itself (the privacy screen is where someone with the right lifts them).
- A copy or an alias (a live mirror of the page) is never made where it would be less restricted than the page
  it copies, by anyone; a copy into a place restricted differently needs the set-privacy right too.

Documents follow their collection: moving a document to a collection restricted less than its own (or lifting
a collection's restriction) needs the set-privacy right too.

Enforced where the data changes: Wagtail's pre_page_move and post_page_move signals (every move, by any
view, bulk action, the admin API or code), pre_save and pre_delete of restrictions and documents, and the
permission tester that every copy and alias asks (wagtail_rules.py), which the move, copy and alias views and
the page chooser also use to offer only the places allowed.
"""

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import post_page_move, pre_page_move

from core.updates import deleted_along_with_another

from .acting import acting_person, acting_request

logger = logging.getLogger(__name__)
SET_PAGE_PRIVACY = "accounts.set_page_privacy"


class PlaceRefused(PermissionDenied):
    """Moving or copying this page (or document) there would change who may read it, and the acting person may not."""


@dataclass(frozen=True)
class Restriction:
    """A view restriction as who it lets in, wherever it sits."""

    kind: str
    password: str
    groups: frozenset

    @classmethod
    def of(cls, restriction):
        return cls(restriction.restriction_type, restriction.password or "", frozenset(g.pk for g in restriction.groups.all()))


def restrictions_over(page, inclusive=True):
    """The restrictions that apply to what sits at `page` (on it, with inclusive, and on every page above it)."""
    pages = page.get_ancestors(inclusive=inclusive)
    return {
        Restriction.of(r) for r in PageViewRestriction.objects.filter(page__in=pages).prefetch_related("groups")
    }


def lost_on_the_way(page, destination):
    """What restricts `page` now (from above and on itself) and would not restrict it under `destination`."""
    now = restrictions_over(page)
    there = restrictions_over(destination) | {Restriction.of(r) for r in page.view_restrictions.all()}
    return now - there


def lost_in_a_copy(page, destination):
    """What restricts `page` now and would not restrict its copy or alias under `destination`. Wagtail copies the
    page's own restrictions only when nothing above the destination is restricted (CopyPageAction,
    CreatePageAliasAction), so that is what the copy would have."""
    there = restrictions_over(destination) or {Restriction.of(r) for r in page.view_restrictions.all()}
    return restrictions_over(page) - there


def privacy_differs(page, destination):
    """Whether the pages above `destination` restrict readers differently from those above `page` now."""
    parent = page.get_parent()
    if parent is None or parent.pk == destination.pk:
        return False
    return restrictions_over(parent) != restrictions_over(destination)


def may_set_privacy(user):
    return user is None or (user.is_active and user.has_perm(SET_PAGE_PRIVACY))


def refusal_for_move(user, page, destination):
    if privacy_differs(page, destination) and not may_set_privacy(user):
        return (
            f"'{page.get_admin_display_title()}' would be read by different people under "
            f"'{destination.get_admin_display_title()}'. Moving it there is a privacy change: ask a site admin."
        )
    return None


def refusal_for_copy(user, page, destination):
    if lost_in_a_copy(page, destination):
        return (
            f"'{page.get_admin_display_title()}' is not public, and a copy under "
            f"'{destination.get_admin_display_title()}' would be read by more people. Copy it to a place with the "
            "same privacy instead."
        )
    if privacy_differs(page, destination) and not may_set_privacy(user):
        return (
            f"A copy under '{destination.get_admin_display_title()}' would be read by different people: that is "
            "a privacy change, so ask a site admin."
        )
    return None


def _refuse(reason):
    request = acting_request()
    if request is not None and hasattr(request, "_messages"):
        messages.error(request, reason)
    raise PlaceRefused(reason)


@receiver(pre_save, sender=PageViewRestriction, dispatch_uid="accounts.check_restriction_edit")
@receiver(pre_delete, sender=PageViewRestriction, dispatch_uid="accounts.check_restriction_removal")
def check_restriction_change(sender, instance, raw=False, **kwargs):
    """Lifting or changing a page's restriction (never adding one: that only narrows who reads it) needs the
    set-privacy right, wherever it is done."""
    if raw or (kwargs.get("signal") is pre_save and instance.pk is None):
        return
    if deleted_along_with_another(sender, kwargs.get("origin")):
        return  # deleted with its page, which has its own right to delete
    actor = acting_person()
    if actor is not None and not (actor.is_authenticated and may_set_privacy(actor)):
        _refuse("Only someone with the right to set page privacy can lift or change a page's restriction.")


@receiver(pre_save, dispatch_uid="accounts.a_save_never_moves_a_page")
def a_save_never_moves_a_page(sender, instance, raw=False, update_fields=None, **kwargs):
    """A page moves only by a move (MovePageAction, judged above). Saving a page object that still carries an
    old place (an old revision restored or published from a page loaded before someone moved it) would put it
    back under its old parent without any check: it keeps its place in the tree instead."""
    if raw or not isinstance(instance, Page) or instance.pk is None:
        return
    if update_fields is not None and not {"path", "depth", "url_path"} & set(update_fields):
        return
    place = Page.objects.filter(pk=instance.pk).values("path", "depth", "url_path").first()
    if place and place["path"] != instance.path:
        logger.warning("Page %s was saved with an old place in the tree; it keeps its current place", instance.pk)
        instance.path, instance.depth, instance.url_path = place["path"], place["depth"], place["url_path"]


def restrictions_over_collection(collection):
    if collection is None:
        return set()
    collections = collection.get_ancestors(inclusive=True)
    return {
        Restriction.of(r)
        for r in CollectionViewRestriction.objects.filter(collection__in=collections).prefetch_related("groups")
    }


@receiver(pre_save, sender=get_document_model(), dispatch_uid="accounts.a_document_keeps_its_privacy")
def a_document_keeps_its_privacy(sender, instance, raw=False, update_fields=None, **kwargs):
    """A document moved to a collection that lets more people read it: a privacy change (the set-privacy right)."""
    if raw or instance.pk is None or (update_fields is not None and "collection" not in update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values_list("collection_id", flat=True).first()
    if before is None or before == instance.collection_id:
        return
    actor = acting_person()
    if actor is not None and not (actor.is_authenticated and may_set_privacy(actor)):
        old = Collection.objects.filter(pk=before).first()
        if restrictions_over_collection(old) - restrictions_over_collection(instance.collection):
            _refuse(
                f"'{instance.title}' is in a private collection; moving it to '{instance.collection}' would let "
                "more people open it. That is a privacy change: ask a site admin."
            )


@receiver(pre_save, sender=CollectionViewRestriction, dispatch_uid="accounts.check_collection_restriction_edit")
@receiver(pre_delete, sender=CollectionViewRestriction, dispatch_uid="accounts.check_collection_restriction_removal")
def check_collection_restriction_change(sender, instance, raw=False, **kwargs):
    """Lifting or changing a collection's restriction needs the set-privacy right, as a page's does."""
    if raw or (kwargs.get("signal") is pre_save and instance.pk is None):
        return
    if deleted_along_with_another(sender, kwargs.get("origin")):
        return  # deleted with its collection
    actor = acting_person()
    if actor is not None and not (actor.is_authenticated and may_set_privacy(actor)):
        _refuse("Only someone with the right to set privacy can lift or change a collection's restriction.")


@receiver(pre_page_move, dispatch_uid="accounts.check_page_move")
def check_page_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    actor = acting_person()
    if actor is not None and not actor.is_authenticated:
        _refuse("Sign in to move pages.")
    reason = refusal_for_move(actor, instance, parent_page_after)
    if reason:
        _refuse(reason)
    # Worked out before the move, carried onto the page after it (post_page_move).
    instance._restrictions_to_carry = lost_on_the_way(instance, parent_page_after)


@receiver(post_page_move, dispatch_uid="accounts.carry_restrictions")
def carry_restrictions(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """The page keeps, on itself, every restriction it had from above: it is no more public for the move."""
    carried = getattr(instance, "_restrictions_to_carry", None)
    if carried is None:  # moved by code that skipped pre_page_move's instance: work it out again (safe side)
        carried = restrictions_over(parent_page_before) - restrictions_over(instance)
    actor = acting_person()
    for restriction in carried:  # Wagtail's save logs each one in the page's history, against the mover
        kept = PageViewRestriction(page=instance, restriction_type=restriction.kind, password=restriction.password)
        kept.save(user=actor if actor is not None and actor.is_authenticated else None)
        if restriction.groups:
            kept.groups.set(restriction.groups)
    if carried:
        logger.info("Page %s kept %d restriction(s) when moved", instance.pk, len(carried))
