"""One search pipeline for the search page, the JSON API and suggestions.

query → normalise → spelling correction against the site's own words → domain synonyms → stems →
retrieve with OR through the configured Wagtail backend → filter by what this reader may see →
rank (question and title above body) → promoted results first → a page of results.

Visibility is applied to candidates before anything is counted, ranked, suggested or shown, and the
spelling vocabulary is built from the pages this kind of reader can see, so neither a count nor a
"did you mean" can hint at a staff-only page.
"""

import difflib
import logging
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from wagtail.models import Page, PageViewRestriction

from guidance.models import GuidanceAnswerPage
from policypages.blocks import body_lines
from policypages.models import PolicyPage, PolicySectionPage, visible_to

from .models import SynonymGroup
from .text import STOP_WORDS, content_stems, normalise, stem, words

logger = logging.getLogger(__name__)

CANDIDATES_PER_KIND = 150
CONTENT_VERSION_KEY = "search:content-version"
KIND_GUIDANCE, KIND_SECTION, KIND_POLICY = "guidance", "policy-section", "policy"


# --- caches shared by every process (the cache is Redis in a multi-server deployment) -------------


def content_version():
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(CONTENT_VERSION_KEY, version, None)
    return version


def content_changed():
    """Called when pages or synonyms change: every process sees new vocabularies and synonyms at once."""
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, 2, None)


def synonym_groups():
    key = f"search:synonyms:{content_version()}"
    groups = cache.get(key)
    if groups is None:
        groups = [[tuple(words(term)) for term in g.term_list] for g in SynonymGroup.objects.all()]
        cache.set(key, groups, 3600)
    return groups


def _restricted_paths():
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def vocabulary(signed_in):
    """Words of the pages this kind of reader can see: the dictionary for spelling correction."""
    key = f"search:vocabulary:{'staff' if signed_in else 'public'}:{content_version()}"
    vocab = cache.get(key)
    if vocab is not None:
        return vocab
    hidden = () if signed_in else tuple(_restricted_paths())
    vocab = set()
    sources = [
        GuidanceAnswerPage.objects.live().values_list("path", "title", "also_asked", "short_answer", "topics"),
        PolicySectionPage.objects.live().values_list("path", "title"),
        PolicyPage.objects.live().values_list("path", "title", "summary"),
    ]
    for rows in sources:
        for path, *texts in rows:
            if hidden and path.startswith(hidden):
                continue
            for text in texts:
                vocab.update(w for w in words(text) if len(w) >= 3 and w.isalpha())
    for group in synonym_groups():
        for term in group:
            vocab.update(w for w in term if len(w) >= 3)
    vocab = frozenset(vocab)
    cache.set(key, vocab, 3600)
    return vocab


# --- the query side ---------------------------------------------------------------------------------


@dataclass
class ParsedQuery:
    raw: str
    normalised: str
    corrected: str
    alternatives: dict = field(default_factory=dict)  # core stem -> {stem: weight}, itself included at 1.0
    backend_words: list = field(default_factory=list)

    @property
    def core(self):
        """Stems of the meaningful words the person typed (after spelling correction)."""
        return set(self.alternatives)

    @cached_property
    def terms(self):
        """Every stem worth matching, with its best weight (for highlighting)."""
        out = {}
        for alts in self.alternatives.values():
            for term, weight in alts.items():
                out[term] = max(weight, out.get(term, 0))
        return out

    @property
    def did_you_mean(self):
        return self.corrected if self.corrected != self.normalised else None


def correct_spelling(tokens, vocab):
    corrected = []
    for token in tokens:
        if token in vocab or token in STOP_WORDS or len(token) < 4 or not token.isalpha() or not token.isascii():
            corrected.append(token)
            continue
        match = difflib.get_close_matches(token, vocab, n=1, cutoff=0.75)
        corrected.append(match[0] if match else token)
    return corrected


def parse(raw, signed_in):
    normalised = normalise(raw)
    tokens = normalised.split()
    corrected_tokens = correct_spelling(tokens, vocabulary(signed_in)) if tokens else []
    corrected = " ".join(corrected_tokens)
    meaningful = [t for t in corrected_tokens if t not in STOP_WORDS] or corrected_tokens
    alternatives = {stem(t): {stem(t): 1.0} for t in meaningful}
    typed = set(meaningful)
    synonym_words = set()
    for group in synonym_groups():
        for term in group:
            if not term or not all(w in typed or stem(w) in alternatives for w in term):
                continue
            # A synonym is another way of saying a word typed, never an extra word: it can only stand in.
            other_words = {w for other in group if other != term for w in other if w not in STOP_WORDS}
            synonym_words |= other_words
            others = {stem(w) for w in other_words}
            for w in term:
                core_stem = stem(w)
                if core_stem in alternatives:
                    for other in others:
                        alternatives[core_stem].setdefault(other, 0.7)
    # The backend may not stem (SQLite's full-text search does not), so send words as people write them:
    # what was typed, its stem and plural, and the synonyms as written. Kept short: every OR term costs.
    typed_forms = {w for t in meaningful for w in (t, stem(t), stem(t) + "s")}
    backend_words = sorted(typed_forms) + sorted(synonym_words - typed_forms)
    return ParsedQuery(raw, normalised, corrected, alternatives, backend_words[:30])


# --- retrieval, ranking, visibility -------------------------------------------------------------------


@dataclass
class Result:
    page: Page
    kind: str
    title: str
    query: "ParsedQuery"
    score: float
    short_answer: str = ""
    promoted: bool = False

    @property
    def url(self):
        return self.page.url

    @cached_property
    def snippet(self):
        """Built only for the results actually shown."""
        return _snippet(self.page, self.kind, self.query) if self.kind != "page" else ""

    @cached_property
    def display_title(self):
        if self.kind == KIND_SECTION:
            return f"{self.page.get_parent().title} {self.page.heading}"
        return self.title


FIELD_WEIGHTS = {
    KIND_GUIDANCE: (("title", 5.0), ("phrasings", 4.0), ("topics", 2.5), ("short", 2.0), ("body", 1.0)),
    KIND_SECTION: (("title", 4.0), ("body", 1.2)),
    KIND_POLICY: (("title", 3.0), ("body", 1.0)),
}
KIND_BONUS = {KIND_GUIDANCE: 1.25, KIND_SECTION: 1.0, KIND_POLICY: 0.8}


def _fields(page, kind):
    if kind == KIND_GUIDANCE:
        return {
            "title": page.title,
            "phrasings": page.also_asked,
            "topics": page.topics,
            "short": page.short_answer,
            "body": strip_tags(page.answer),
        }
    if kind == KIND_SECTION:
        return {"title": f"{page.title}", "body": " ".join(body_lines(page.body))}
    return {"title": page.title, "body": page.summary}


@lru_cache(maxsize=20_000)
def _field_stems(kind, pk, revision_id, items):
    # Derived from published content only, keyed by the live revision: safe to keep per process.
    return {name: frozenset(content_stems(text)) for name, text in items}


def score(query, page, kind):
    fields = _field_stems(kind, page.pk, page.live_revision_id, tuple(_fields(page, kind).items()))
    total, matched = 0.0, 0
    for alternatives in query.alternatives.values():
        best = max(
            (
                weight * field_weight
                for term, weight in alternatives.items()
                for name, field_weight in FIELD_WEIGHTS[kind]
                if term in fields[name]
            ),
            default=0.0,
        )
        total += best
        matched += best > 0
    if not total:
        return 0.0
    coverage = matched / max(len(query.alternatives), 1)
    # An answer whose question (or a phrasing of it) holds every word typed is very likely the one.
    question_stems = fields.get("title", set()) | fields.get("phrasings", set())
    exact = 2.0 if query.core and query.core <= question_stems else 0.0
    return (total * (0.5 + coverage) + exact) * KIND_BONUS[kind]


def _snippet(page, kind, query):
    text = " ".join(_fields(page, kind)["body"].split())
    if not text:
        return ""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    best = max(sentences, key=lambda s: len(content_stems(s) & set(query.terms)), default=text)
    best = best if len(best) <= 240 else best[:237].rsplit(" ", 1)[0] + "…"
    highlighted = []
    for token in re.split(r"(\W+)", best):
        if token and stem(token.lower()) in query.terms and token.lower() not in STOP_WORDS:
            highlighted.append(f"<mark>{escape(token)}</mark>")
        else:
            highlighted.append(escape(token))
    return mark_safe("".join(highlighted))


def _backend_search(queryset, query):
    from wagtail.search.backends import get_search_backend
    from wagtail.search.query import PlainText

    text = " ".join(query.backend_words)
    try:
        return list(queryset.search(PlainText(text, operator="or"))[:CANDIDATES_PER_KIND])
    except Exception:  # an unreachable Elasticsearch must never become an error page
        if "fallback" not in settings.WAGTAILSEARCH_BACKENDS:
            raise
        logger.warning("Search backend failed; answering from the database backend", exc_info=True)
        backend = get_search_backend("fallback")
        return list(backend.search(PlainText(text, operator="or"), queryset)[:CANDIDATES_PER_KIND])


def candidates(query):
    found = []
    for kind, queryset in (
        (KIND_GUIDANCE, GuidanceAnswerPage.objects.live().filter(canonical_answer__isnull=True)),
        (KIND_SECTION, PolicySectionPage.objects.live()),
        (KIND_POLICY, PolicyPage.objects.live()),
    ):
        found += [(page, kind) for page in _backend_search(queryset, query)]
    return found


def promoted(request, query):
    from wagtail.contrib.search_promotions.models import Query

    promo = Query.objects.filter(query_string=query.normalised).prefetch_related("editors_picks__page").first()
    if promo is None and query.did_you_mean:
        promo = Query.objects.filter(query_string=query.corrected).prefetch_related("editors_picks__page").first()
    if promo is None:
        return []
    pages = [pick.page.specific for pick in promo.editors_picks.all() if pick.page and pick.page.live]
    return visible_to(request, pages)


def _kind_of(page):
    if isinstance(page, GuidanceAnswerPage):
        return KIND_GUIDANCE
    if isinstance(page, PolicySectionPage):
        return KIND_SECTION
    if isinstance(page, PolicyPage):
        return KIND_POLICY
    return "page"


@dataclass
class SearchResults:
    query: ParsedQuery
    results: list

    @property
    def total(self):
        return len(self.results)


def search(request, raw_query):
    signed_in = request.user.is_authenticated
    query = parse(raw_query, signed_in)
    if not query.core:
        return SearchResults(query, [])
    found = candidates(query)
    visible_ids = {p.pk for p in visible_to(request, [p for p, _ in found])}
    results = []
    for page, kind in found:
        if page.pk not in visible_ids:
            continue
        value = score(query, page, kind)
        if value > 0:
            results.append(Result(page, kind, page.title, query, value, getattr(page, "short_answer", "")))
    results.sort(key=lambda r: (-r.score, r.title))
    picks = promoted(request, query)
    if picks:
        pick_ids = {p.pk for p in picks}
        results = [
            Result(p, _kind_of(p), p.title, query, 0, getattr(p, "short_answer", ""), promoted=True) for p in picks
        ] + [r for r in results if r.page.pk not in pick_ids]
    return SearchResults(query, results)


def suggestions(request, raw_query, limit=8):
    """Completions for a search box: questions (and their other phrasings) this reader can see."""
    typed = normalise(raw_query, limit=100)
    if len(typed) < 2:
        return []
    key = f"search:suggest-corpus:{content_version()}"
    corpus = cache.get(key)
    if corpus is None:
        corpus = [
            (path, title, [title, *(line for line in also.splitlines() if line.strip())])
            for path, title, also in GuidanceAnswerPage.objects.live()
            .filter(canonical_answer__isnull=True)
            .values_list("path", "title", "also_asked")
        ]
        cache.set(key, corpus, 3600)
    refused = [r.page.path for r in PageViewRestriction.objects.select_related("page") if not r.accept_request(request)]
    prefixes = typed.split()
    scored = []
    for path, title, phrasings in corpus:
        if refused and path.startswith(tuple(refused)):
            continue
        for phrasing in phrasings:
            candidate_words = words(phrasing)
            if all(any(w.startswith(p) for w in candidate_words) for p in prefixes):
                starts = normalise(phrasing).startswith(typed)
                scored.append((not starts, len(phrasing), title))
                break
    seen, out = set(), []
    for _, _, title in sorted(scored):
        if title not in seen:
            seen.add(title)
            out.append(title)
        if len(out) == limit:
            break
    return out
