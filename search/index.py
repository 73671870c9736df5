"""The site's own search index: the stems of every live answer, policy section and policy, kept in memory.

Why: the database backends answer an OR query over a few thousand pages in 100–350 ms each (SQLite FTS5
and PostgreSQL alike), and a search needs three of them; staff on a phone should get an answer at once.
Scoring from an inverted index in memory takes a few milliseconds at 7,000 pages.

The index holds only published content, so it is the same for every reader: who may see what is decided
per request from the page paths (see `refused_paths`). It is derived data, never shared state: each
process rebuilds its copy when the shared content version (in the cache, Redis in production) moves, and
re-reads only the pages whose live revision changed, so an edit is seen by every server at once.
"""

import threading
from dataclasses import dataclass

from django.utils.html import strip_tags
from wagtail.models import Page

from guidance.models import GuidanceAnswerPage
from policypages.blocks import body_lines
from policypages.models import PolicyPage, PolicySectionPage

from .text import content_stems

KIND_GUIDANCE, KIND_SECTION, KIND_POLICY = "guidance", "policy-section", "policy"

# How much a word found in each field counts, per kind: questions and titles above body text.
FIELD_WEIGHTS = {
    KIND_GUIDANCE: (("title", 5.0), ("phrasings", 4.0), ("topics", 2.5), ("short", 2.0), ("body", 1.0)),
    KIND_SECTION: (("title", 4.0), ("body", 1.2)),
    KIND_POLICY: (("title", 3.0), ("body", 1.0)),
}
QUESTION_FIELDS = ("title", "phrasings")
LOAD_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Doc:
    """One searchable page, as published."""

    pk: int
    kind: str
    stamp: tuple  # (live revision, last published): the doc is re-read only when this changes
    title: str
    short_answer: str
    body: str  # plain text, for snippets
    weights: dict  # stem -> best field weight in this doc
    question: frozenset  # stems of the question and its other phrasings (answers) or the title


def _doc(page, kind, stamp):
    if kind == KIND_GUIDANCE:
        fields = {
            "title": page.title,
            "phrasings": page.also_asked,
            "topics": page.topics,
            "short": page.short_answer,
            "body": strip_tags(page.answer),
        }
    elif kind == KIND_SECTION:
        fields = {"title": page.title, "body": " ".join(body_lines(page.body))}
    else:
        fields = {"title": page.title, "body": page.summary}
    weights, question = {}, set()
    for name, weight in FIELD_WEIGHTS[kind]:
        stems = content_stems(fields[name])
        for term in stems:
            if weight > weights.get(term, 0):
                weights[term] = weight
        if name in QUESTION_FIELDS:
            question |= stems
    title = page.heading if kind == KIND_SECTION else page.title
    short = page.short_answer if kind == KIND_GUIDANCE else ""
    return Doc(page.pk, kind, stamp, title, short, " ".join(fields["body"].split()), weights, frozenset(question))


_SOURCES = {
    KIND_GUIDANCE: (
        lambda: GuidanceAnswerPage.objects.live().filter(canonical_answer__isnull=True),
        ("title", "also_asked", "topics", "short_answer", "answer"),
    ),
    KIND_SECTION: (lambda: PolicySectionPage.objects.live(), ("title", "number", "body")),
    KIND_POLICY: (lambda: PolicyPage.objects.live(), ("title", "summary")),
}


class SearchIndex:
    def __init__(self, version, docs, paths, policy_titles):
        self.version = version
        self.docs = docs  # pk -> Doc
        self.paths = paths  # pk -> tree path, for the visibility check
        self.policy_titles = policy_titles  # path -> title, so a renamed policy renames its sections' results
        self.postings = {}  # stem -> [(pk, field weight)]
        for doc in docs.values():
            for term, weight in doc.weights.items():
                self.postings.setdefault(term, []).append((doc.pk, weight))

    def display_title(self, doc):
        if doc.kind != KIND_SECTION:
            return doc.title
        parent = self.policy_titles.get(self.paths[doc.pk][: -Page.steplen], "")
        return f"{parent} {doc.title}".strip()

    def __len__(self):
        return len(self.docs)


def build(version, previous=None):
    """An index of everything live now, re-reading only pages published since `previous` was built."""
    old = previous.docs if previous else {}
    docs, paths = {}, {}
    for kind, (source, columns) in _SOURCES.items():
        stale = []
        for pk, path, revision, published in source().values_list(
            "pk", "path", "live_revision_id", "last_published_at"
        ):
            paths[pk] = path
            stamp = (revision, published)
            kept = old.get(pk)
            if kept is not None and kept.kind == kind and kept.stamp == stamp:
                docs[pk] = kept
            else:
                stale.append((pk, stamp))
        for start in range(0, len(stale), LOAD_CHUNK):
            chunk = dict(stale[start : start + LOAD_CHUNK])
            for page in source().filter(pk__in=chunk).only(*columns):
                docs[page.pk] = _doc(page, kind, chunk[page.pk])
    policy_titles = dict(PolicyPage.objects.live().values_list("path", "title"))
    return SearchIndex(version, docs, paths, policy_titles)


_current = None
_lock = threading.Lock()


def current(version):
    """This process's index for the given content version, rebuilt (incrementally) when it has moved."""
    global _current
    index = _current
    if index is not None and index.version == version:
        return index
    with _lock:
        if _current is None or _current.version != version:
            _current = build(version, _current)
        return _current


def forget():
    """Drop this process's index (tests that rewrite the database under it)."""
    global _current
    with _lock:
        _current = None
