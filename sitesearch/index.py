"""The site's own search index: every live answer, policy section and policy, in memory, ranked by tantivy.

Why tantivy (docs/search.md): a well-kept engine (MIT, one wheel, no server) with real BM25, per-field
boosts and English Snowball stemming; it builds an index of 7,000 pages in memory in about 0.3 s and answers
an OR query in under a millisecond. Wagtail's database backends answer the same OR query in 100 ms
(PostgreSQL) to 3.6 s (SQLite), because the SQLite ranking re-runs the match for every candidate.

The index also holds each page's stored sentence vectors (sitesearch/embeddings.py) in one matrix, so a search
compares the query with every page in one product.

The index holds only published content, so it is the same for every reader: who may see what is decided
per request from the page paths (see `refused_paths`). It is derived data, never shared state: each
process rebuilds its copy when the shared content version (in the database, read through Redis in
production) moves, re-reading only the pages whose live revision changed, so an edit is seen by every
server at once.
"""

import threading
from dataclasses import dataclass, replace

import numpy as np
import tantivy
from wagtail.models import Page

from core.text import html_text
from guidance.models import GuidanceAnswerPage
from policypages.blocks import body_lines
from policypages.models import PolicyPage, PolicySectionPage

from . import embeddings

KIND_GUIDANCE, KIND_SECTION, KIND_POLICY = "guidance", "policy-section", "policy"

# Fields every kind of page fills (a section or a policy leaves the answer-only ones empty), and how much a
# match in each counts: the question and its other phrasings above the answer's text. General, not tuned to
# any set of queries.
FIELDS = ("title", "phrasings", "topics", "short", "body")
FIELD_BOOSTS = {"title": 3.0, "phrasings": 2.5, "topics": 1.5, "short": 1.5, "body": 1.0}
LOAD_CHUNK = 500
# Answers above policy sections above whole policies, when their words score alike: a general preference.
KIND_BONUS = {KIND_GUIDANCE: 1.25, KIND_SECTION: 1.0, KIND_POLICY: 0.8}
WORD_HITS = 1000  # the word matches ranked per search; below these, BM25 has nothing left to say
SYNONYM_BOOST = 0.7  # a synonym stands in for a word typed, and counts a little less than the word itself


@dataclass(frozen=True, slots=True)
class Doc:
    """One searchable page, as published."""

    pk: int
    kind: str
    stamp: tuple  # (live revision, last published): the doc is re-read only when this changes
    title: str
    short_answer: str
    body: str  # plain text, for snippets
    fields: tuple  # the text of each of FIELDS
    vectors: object = None  # passages × dimensions (sitesearch/embeddings.py), None until the page is embedded
    audience: str = ""  # an answer's: staff, parents or everyone (guidance.models.Audience); "" for policies


def _doc(page, kind, stamp, vectors):
    if kind == KIND_GUIDANCE:
        fields = (page.title, page.also_asked, page.topics, page.short_answer, html_text(page.answer))
    elif kind == KIND_SECTION:
        fields = (page.title, "", "", "", " ".join(body_lines(page.body)))
    else:
        fields = (page.title, "", "", "", page.summary)
    title = page.heading if kind == KIND_SECTION else page.title
    short = page.short_answer if kind == KIND_GUIDANCE else ""
    body = " ".join(fields[-1].split())
    audience = page.audience if kind == KIND_GUIDANCE else ""
    return Doc(page.pk, kind, stamp, title, short, body, tuple(f or "" for f in fields), vectors, audience)


def _schema():
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("pk", stored=True, indexed=True, fast=True)
    for name in FIELDS:
        # en_stem: lower case and the Snowball English stemmer ("friending", "friends" -> "friend").
        builder.add_text_field(name, stored=False, tokenizer_name="en_stem")
    return builder.build()


SCHEMA = _schema()


def _engine(docs):
    engine = tantivy.Index(SCHEMA)
    writer = engine.writer(heap_size=50_000_000, num_threads=1)
    for doc in docs.values():
        writer.add_document(tantivy.Document(pk=doc.pk, **dict(zip(FIELDS, doc.fields, strict=True))))
    writer.commit()
    writer.wait_merging_threads()
    engine.reload()
    return engine


_SOURCES = {
    KIND_GUIDANCE: (
        lambda: GuidanceAnswerPage.objects.live().filter(canonical_answer__isnull=True),
        ("title", "also_asked", "topics", "short_answer", "answer", "audience"),
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
        self.engine = _engine(docs)
        self.searcher = self.engine.searcher()
        # Where each page landed in the engine, read once here: reading a stored field per hit costs more
        # than the search.
        everything = self.searcher.search(tantivy.Query.all_query(), max(len(docs), 1)).hits
        self.pk_at = {(a.segment_ord, a.doc): self.searcher.doc(a)["pk"][0] for _, a in everything}
        # Every stored passage vector in one matrix, a document's passages side by side: one product per query.
        embedded = [doc for doc in docs.values() if doc.vectors is not None]
        self.vector_owners = np.array([doc.pk for doc in embedded], dtype=np.int64)
        self.vector_starts = np.cumsum([0] + [len(doc.vectors) for doc in embedded[:-1]], dtype=np.int64)
        self.vector_row_of = {doc.pk: position for position, doc in enumerate(embedded)}
        self.vectors = (
            np.vstack([doc.vectors for doc in embedded])
            if embedded
            else np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
        )

    def word_scores(self, query_text):
        """pk -> BM25 score of the best WORD_HITS pages matching any word of `query_text` (tantivy's query
        language). Enough for any reader: a visitor's refused pages are removed from these afterwards."""
        if not query_text or not self.docs:
            return {}
        query = self.engine.parse_query(query_text, list(FIELDS), field_boosts=FIELD_BOOSTS)
        hits = self.searcher.search(query, WORD_HITS).hits
        return {self.pk_at[(address.segment_ord, address.doc)]: score for score, address in hits}

    def similarities(self, query_vector, at_least, also=()):
        """pk -> cosine similarity of the page's best passage to the query, for the pages at least that close
        and for the pages in `also` (the word matches, which are ranked whatever their similarity)."""
        if query_vector is None or not len(self.vectors):
            return {}
        best = np.maximum.reduceat(self.vectors @ query_vector, self.vector_starts)
        close = np.flatnonzero(best >= at_least)
        found = dict(zip(self.vector_owners[close].tolist(), best[close].tolist(), strict=True))
        if also:
            row_of = self.vector_row_of
            for pk in also:
                if pk not in found and pk in row_of:
                    found[pk] = float(best[row_of[pk]])
        return found

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
    docs, paths, unembedded = {}, {}, {}
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
                if kept.vectors is None and revision:
                    unembedded[revision] = pk  # `embed_content` may have filled it in since
            else:
                stale.append((pk, stamp))
        for start in range(0, len(stale), LOAD_CHUNK):
            chunk = dict(stale[start : start + LOAD_CHUNK])
            vectors = embeddings.stored_vectors([stamp[0] for stamp in chunk.values() if stamp[0]])
            for page in source().filter(pk__in=chunk).only(*columns):
                stamp = chunk[page.pk]
                docs[page.pk] = _doc(page, kind, stamp, vectors.get(stamp[0]))
    for revision, vectors in embeddings.stored_vectors(list(unembedded)).items():
        pk = unembedded[revision]
        docs[pk] = replace(docs[pk], vectors=vectors)
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
