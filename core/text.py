"""Text handling shared by indexing-side vocabularies and the query side: words, stop words, stems."""

import re
import unicodedata
from functools import lru_cache
from html import unescape

from django.utils.html import strip_tags

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)

# Words that carry no meaning in a question ("can I ...?") and would otherwise match everything.
STOP_WORDS = frozenset(
    """a an and are as at be been but by can could did do does doing for from had has have how i i'm if in into
    is it it's its me my of on or our should so than that the their them then there these they this to
    us was we were what when where which who why will with would you your yours ok okay please""".split()
)


def normalise(query, limit=200):
    """Lower case, accents kept, punctuation to spaces, whitespace collapsed, at most `limit` characters."""
    query = unicodedata.normalize("NFKC", query or "")[: limit * 4]
    words = WORD.findall(query.lower().replace("’", "'"))
    return " ".join(words)[:limit].strip()


# Where one block of rich text ends and the next begins: a space goes there before the tags go.
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|div|blockquote|tr|td|th|ul|ol)\s*>|<br\s*/?>", re.IGNORECASE)


def html_text(html):
    """Rich text as one line of plain text, entities decoded, blocks kept apart ("...by email. If you...", not
    "...by email.If you...")."""
    return " ".join(unescape(strip_tags(_BLOCK_END.sub(lambda m: m.group(0) + " ", str(html or "")))).split())


def words(text):
    return WORD.findall((text or "").lower().replace("’", "'"))


@lru_cache(maxsize=200_000)  # a pure function of one word, called for every word indexed or highlighted
def stem(word):
    """A deliberately light English stemmer: plurals, -ing, -ed, a final e. Enough to make
    'friends', 'friending', 'befriended'... meet 'friend' without mangling short words."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or not w.isascii():
        return w
    for suffix, replacement, min_len in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ing", "", 6),
        ("ied", "y", 5),
        ("ed", "", 5),
        ("es", "", 5),
        ("s", "", 4),
    ):
        if w.endswith(suffix) and len(w) >= min_len and not (suffix == "s" and w.endswith(("ss", "us", "is"))):
            w = w[: -len(suffix)] + replacement
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]  # "tagg" -> "tag", "stopp" -> "stop"
    return w


def content_stems(text):
    return {stem(w) for w in words(text) if w not in STOP_WORDS}
