"""The second look: each word of the question against each word of the best candidates.

A sentence vector is the average of a text's word pieces, so a long policy section's vector is the blur of
everything it says, and "left my laptop on the train" sits as near an introduction as the section on lost
devices. Here every word piece of the question finds its closest word piece in a passage (in context: the
model's own vectors for them, stored when the page was published), and a passage scores the mean of those best
matches: a section that answers each part of the question beats one that is merely about the same things.
This is late interaction (as in ColBERT), done with the same model and only for the first stage's best
RERANK_CANDIDATES pages, so a search costs one small matrix product more.

Measured in docs/search.md ("Section questions" and "Word by word"): chosen on the tuning halves of both
development sets; nothing here knows any query.
"""

import threading
from collections import OrderedDict

import numpy as np

from core.content import content_version

from . import embeddings

# The first stage's best pages looked at again. Its right page is seldom below its 40th (docs/search.md).
RERANK_CANDIDATES = 60
# A candidate's score: its word-by-word match, plus this much of its sentence similarity (the first stage's
# sense of the whole), plus the words' own weight (pipeline.LEXICAL_WEIGHT) as a tie-breaker.
SENTENCE_WEIGHT = 1.0
# Word pieces a process keeps between searches (388 bytes each, so about 50 MiB): the pages that come up again
# and again.
KEPT_PIECES = 128_000


class _Kept:
    """Each page's stored word-piece vectors, kept per content version (a publish replaces them all)."""

    def __init__(self):
        self.version = None
        self.pages = OrderedDict()  # page id -> embeddings.Pieces, or None where nothing is stored
        self.pieces = 0
        self.lock = threading.Lock()

    def get(self, page_ids):
        version = content_version()
        with self.lock:
            if version != self.version:
                self.version, self.pages, self.pieces = version, OrderedDict(), 0
            found = {pk: self.pages[pk] for pk in page_ids if pk in self.pages}
            for pk in found:
                self.pages.move_to_end(pk)
        missing = [pk for pk in page_ids if pk not in found]
        if missing:
            # A page with nothing stored is remembered as such too, so it is not asked for again.
            loaded = dict.fromkeys(missing) | embeddings.stored_pieces(missing)
            found.update(loaded)
            with self.lock:
                if version == self.version:
                    for pk, pieces in loaded.items():
                        if pk not in self.pages:
                            self.pages[pk] = pieces
                            self.pieces += len(pieces.rows) if pieces else 0
                    while self.pieces > KEPT_PIECES and self.pages:
                        _, pieces = self.pages.popitem(last=False)
                        self.pieces -= len(pieces.rows) if pieces else 0
        return {pk: pieces for pk, pieces in found.items() if pieces}


_kept = _Kept()


def forget():
    """Drop what this process keeps (tests that rewrite the database under it)."""
    global _kept
    _kept = _Kept()


def word_by_word(question, pages):
    """For each page (embeddings.Pieces), the best over its passages of: the mean, over the question's word
    pieces (unit rows), of each one's closest piece. One matrix product for all the pages."""
    rows = np.concatenate([page.rows for page in pages]).astype(np.float32)
    cosines = (question @ rows.T) * np.concatenate([page.inverse_norms for page in pages])
    counts = [n for page in pages for n in page.per_passage]
    passage_starts = np.cumsum([0, *counts[:-1]])
    per_passage = np.maximum.reduceat(cosines, passage_starts, axis=1).mean(axis=0)
    page_starts = np.cumsum([0, *[len(page.per_passage) for page in pages][:-1]])
    return np.maximum.reduceat(per_passage, page_starts).tolist()


def ranked(scores, similarities, lexical_share, encoded_query, title_of):
    """[(score, pk)], best first (see `ranked_and_looked_at`)."""
    return ranked_and_looked_at(scores, similarities, lexical_share, encoded_query, title_of)[0]


def ranked_and_looked_at(scores, similarities, lexical_share, encoded_query, title_of):
    """([(score, pk)], best first; how many of the first were looked at again). Only those scores are on the
    second look's scale, the one search's confidence is calibrated on (pipeline.confidence). `scores` is the first stage's (pk -> score), `similarities` its sentence
    similarities, `lexical_share(pk)` a page's share of the words' score and `title_of(pk)` breaks ties. The
    best RERANK_CANDIDATES are rescored word by word and come first, in their new order; the rest follow in the
    first stage's. A candidate without stored word pieces (embedded by an older release, until `embed_content`
    runs) stays with the rest."""
    order = sorted(((v, pk) for pk, v in scores.items()), key=lambda r: (-r[0], title_of(r[1])))
    if encoded_query is None or not order:
        return order, 0
    pieces = _kept.get([pk for _, pk in order[:RERANK_CANDIDATES]])
    if not pieces:
        return order, 0
    question = encoded_query.piece_vectors()
    if not len(question):
        return order, 0
    looked_at = [pk for _, pk in order[:RERANK_CANDIDATES] if pk in pieces]
    matches = word_by_word(question, [pieces[pk] for pk in looked_at])
    second_look = [
        (match + SENTENCE_WEIGHT * similarities.get(pk, 0.0) + lexical_share(pk), pk)
        for pk, match in zip(looked_at, matches, strict=True)
    ]
    second_look.sort(key=lambda r: (-r[0], title_of(r[1])))
    return second_look + [row for row in order if row[1] not in pieces], len(second_look)
