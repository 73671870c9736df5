"""A queryset whose update() says what it is about to change, as save() does.

Django sends pre_save for every save() but nothing for `queryset.update(...)`, so a rule enforced in a pre_save
receiver can be walked around by any view that updates in bulk (Wagtail's "mark users inactive" bulk action
does). Models whose changes are guarded use this queryset; `pre_update` is sent with the rows about to change
and the new values, before anything is written, so a receiver can refuse (by raising) or take note.
"""

from django.db import models
from django.dispatch import Signal

pre_update = Signal()  # sender: the model; kwargs: queryset, values


class SignalledUpdateQuerySet(models.QuerySet):
    def update(self, **kwargs):
        pre_update.send(sender=self.model, queryset=self, values=kwargs)
        return super().update(**kwargs)


def deleted_along_with_another(sender, origin):
    """In a pre_delete receiver: whether this row goes because another was deleted (a cascade from its page or
    its owner), whose deletion had its own check. `origin` is the object or queryset delete() was called on."""
    if origin is None:
        return False
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    return not issubclass(model, sender)
