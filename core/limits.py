"""How often someone may do something (ask HR a question): counts per window in the shared cache, and nothing else.

allauth's limiter keeps, under a key naming the user's id, the exact time of each attempt for the whole period:
for a question sent anonymously that is a record of when a named person asked. Here a key is a keyed hash of
who and which window (useless without the site's SECRET_KEY, and different every window), and its value is a
number: no id, no times, gone when the window ends.
"""

import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac


def allow(action, who, limits, now=None):
    """Count one more `action` by `who` (a person's id, a client address: only ever hashed) and say whether it is
    within `limits`, a list of (how many, per how many seconds). Every window is counted, allowed or not."""
    now = time.time() if now is None else now
    allowed = True
    for count, seconds in limits:
        window = int(now // seconds)
        key = "limit:" + salted_hmac(f"limits:{action}", f"{who}|{seconds}|{window}").hexdigest()[:40]
        cache.add(key, 0, timeout=seconds)
        try:
            used = cache.incr(key)
        except ValueError:  # evicted between the two calls: start the window again
            cache.set(key, 1, timeout=seconds)
            used = 1
        allowed = allowed and used <= count
    return allowed
