"""Popular questions for the staff hub and the parents' page: the ones HR chose, then the ones readers
found most helpful lately, then the newest, only ever from what this reader may see."""

import datetime

from django.db.models import Q, Sum
from django.utils import timezone

from core.privacy import visible_to

from .models import GuidanceAnswerPage

HELPFUL_WINDOW_DAYS = 90


def popular_answers(request, *, within, chosen=(), limit=6):
    """Up to `limit` live answers under the pages `within` (a school's hub and the trust's): `chosen` first,
    in HR's order."""
    paths = tuple(page.path for page in within)
    near = Q()
    for path in paths:
        near |= Q(path__startswith=path)
    under = GuidanceAnswerPage.objects.live().filter(near).filter(canonical_answer__isnull=True)
    picked = [a for a in chosen if a is not None and a.live and a.path.startswith(paths)]
    if len(picked) < limit:
        since = timezone.localdate() - datetime.timedelta(days=HELPFUL_WINDOW_DAYS)
        helpful = (
            under.filter(feedback__date__gte=since)
            .annotate(votes=Sum("feedback__helpful"))
            .filter(votes__gt=0)
            .order_by("-votes", "title")[:limit]
        )
        newest = under.order_by("-first_published_at")[:limit]
        seen = {a.pk for a in picked}
        for answer in [*helpful, *newest]:
            if answer.pk not in seen:
                picked.append(answer)
                seen.add(answer.pk)
    return visible_to(request, picked[: limit * 2])[:limit]
