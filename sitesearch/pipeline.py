"""One search pipeline for the search page, the JSON API and suggestions.

query → normalise → spelling correction of words in neither an English dictionary nor the site's words →
domain synonyms → BM25 over the site's own tantivy index (sitesearch/index.py; Elasticsearch chooses the
candidates when it is configured) and the query's sentence vector against every page's stored vectors
(sitesearch/embeddings.py) → filter by what this reader may see → combine (meaning first, words as a
tie-breaker) → the best candidates looked at again word by word (sitesearch/rerank.py) → promoted results
first → a page of results, whose pages are loaded only then.

Visibility is applied to candidates before anything is counted, ranked, suggested or shown, and the
spelling vocabulary is built from the pages this kind of reader can see, so neither a count nor a
"did you mean" can hint at a staff-only page.
"""

import difflib
import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.core.cache import cache
from django.utils.safestring import mark_safe
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, PageViewRestriction, Site

from core import published
from core.content import content_version
from core.privacy import refused_paths, visible_to
from core.text import STOP_WORDS, content_stems, normalise, stem, words
from guidance.models import GuidanceAnswerPage
from policypages.models import PolicyPage, PolicySectionPage
from schools.services import other_schools_sites

from . import elasticsearch_index, embeddings, glossary, rerank
from . import index as search_index
from .dictionary import is_english
from .index import KIND_BONUS, KIND_GUIDANCE, KIND_POLICY, KIND_SECTION, SYNONYM_BOOST
from .models import SynonymGroup

logger = logging.getLogger(__name__)

CANDIDATES_PER_KIND = 150


# --- caches shared by every process (the cache is Redis in a multi-server deployment) -------------


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
    for entry in glossary.entries():  # "lado" is a term of art, not a typo of a word on the site
        vocab.update(w for w in entry.term + entry.meaning if len(w) >= 3)
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
    typed: list = field(default_factory=list)  # the meaningful words, as typed (after spelling correction)
    synonym_phrases: list = field(default_factory=list)  # other ways of saying them, each a tuple of words
    meanings: list = field(default_factory=list)  # what the terms of art typed stand for (sitesearch/glossary.py)

    @property
    def for_the_model(self):
        """The sentence the model reads: the query, with what its terms of art stand for ("lado number (local
        authority designated officer, ...)"), which the model would not otherwise know."""
        if not self.meanings:
            return self.corrected
        return f"{self.corrected} ({'; '.join(self.meanings)})"

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
    """Typos become the nearest word of the pages this reader can see. A word that is in the site's vocabulary
    or in an English dictionary is never rewritten, even when it is close to a site word: a real word typed is
    what the person meant."""
    corrected = []
    for token in tokens:
        if (
            token in vocab
            or token in STOP_WORDS
            or len(token) < 4
            or not token.isalpha()
            or not token.isascii()
            or is_english(token)
        ):
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
    synonym_words, synonym_phrases = set(), set()
    for group in synonym_groups():
        for term in group:
            if not term or not all(w in typed or stem(w) in alternatives for w in term):
                continue
            # A synonym is another way of saying a word typed, never an extra word: it can only stand in.
            other_words = {w for other in group if other != term for w in other if w not in STOP_WORDS}
            synonym_words |= other_words
            synonym_phrases.update(other for other in group if other != term and other)
            others = {stem(w) for w in other_words}
            for w in term:
                core_stem = stem(w)
                if core_stem in alternatives:
                    for other in others:
                        alternatives[core_stem].setdefault(other, 0.7)
    meanings, glossary_phrases = glossary.read_as(raw, corrected_tokens)
    for phrase in glossary_phrases:
        synonym_words.update(w for w in phrase if w not in STOP_WORDS)
    # The backend may not stem (SQLite's full-text search does not), so send words as people write them:
    # what was typed, its stem and plural, and the synonyms as written. Kept short: every OR term costs.
    typed_forms = {w for t in meaningful for w in (t, stem(t), stem(t) + "s")}
    backend_words = sorted(typed_forms) + sorted(synonym_words - typed_forms)
    glossary_phrases = list(dict.fromkeys(glossary_phrases))  # the terms of art first: fewer, and chosen
    phrases = (glossary_phrases + sorted(synonym_phrases - {(w,) for w in meaningful} - set(glossary_phrases)))[:20]
    return ParsedQuery(raw, normalised, corrected, alternatives, backend_words[:30], meaningful, phrases, meanings)


# --- retrieval, ranking, visibility -------------------------------------------------------------------


@dataclass
class Result:
    kind: str
    title: str
    query: "ParsedQuery"
    score: float
    short_answer: str = ""
    promoted: bool = False
    body: str = ""
    pk: int = None
    page: Page = None  # a promoted page, as its promotion loaded it
    address: str = None  # for a ranked result, from ResultList
    audience: str = ""  # an answer's audience (staff, parents, everyone): shown beside it

    @property
    def url(self):
        if self.address is not None:
            return self.address
        if self.page is None:
            self.page = Page.objects.get(pk=self.pk)
        return self.page.url

    @property
    def display_title(self):
        return self.title

    @cached_property
    def snippet(self):
        """Built only for the results actually shown."""
        return _snippet(self.body, self.query)


@lru_cache(maxsize=1024)
def _sentences(text):
    """A body's sentences with the stems of their words. Stemming every word of ten bodies is most of what a
    results page costs; a body changes only when its page is published again (a new text is a new key)."""
    return tuple((sentence, frozenset(content_stems(sentence))) for sentence in re.split(r"(?<=[.!?])\s+", text))


def _snippet(text, query):
    if not text:
        return ""
    terms = set(query.terms)
    best = max(_sentences(text), key=lambda s: len(s[1] & terms), default=(text,))[0]
    best = best if len(best) <= 240 else best[:237].rsplit(" ", 1)[0] + "…"
    highlighted = []
    for token in re.split(r"(\W+)", best):
        # The standard library's escape: Django's wraps each call for lazy strings, and this runs per word.
        if token and stem(token.lower()) in terms and token.lower() not in STOP_WORDS:
            highlighted.append(f"<mark>{html.escape(token)}</mark>")
        else:
            highlighted.append(html.escape(token))
    return mark_safe("".join(highlighted))


class ResultList(Sequence):
    """Ranked results that become Result objects, with their pages, only when a slice is shown."""

    def __init__(self, index, query, ranked, promoted=(), here=None):
        self.index, self.query, self.ranked, self.promoted = index, query, ranked, list(promoted)
        self.here = here  # the reader's site's root URL: its own pages' addresses are made relative

    def __len__(self):
        return len(self.promoted) + len(self.ranked)

    def count(self):
        return len(self)

    def __getitem__(self, item):
        if isinstance(item, int):
            return self[item : item + 1 or None][0] if -len(self) <= item < len(self) else [][item]
        start, stop, _ = item.indices(len(self))
        shown = self.promoted[start:stop]
        ranked = self.ranked[max(start - len(self.promoted), 0) : max(stop - len(self.promoted), 0)]
        # A result's address does not depend on who searches (Page.url, without a request): each page's is worked
        # out once per content version, which every publish, move, deletion or change of site replaces, so
        # most searches read no page at all.
        addresses = published.current().derived("search result addresses", dict)
        missing = [pk for _, pk in ranked if pk not in addresses]
        if missing:
            # Only what a URL needs: a page row is wide.
            pages = Page.objects.only("id", "path", "depth", "url_path", "locale_id").in_bulk(missing)
            roots = published.current().derived("site root paths", Site.get_site_root_paths)
            for pk in missing:
                page = pages.get(pk)
                if page is not None:
                    page._wagtail_cached_site_root_paths = roots
                addresses[pk] = page.url if page is not None else None
        for value, pk in ranked:
            if addresses[pk] is None:
                # Deleted since it was indexed (an Elasticsearch index can lag the database): not shown.
                continue
            doc = self.index.docs[pk]
            shown.append(
                Result(
                    doc.kind,
                    self.index.display_title(doc),
                    self.query,
                    value,
                    doc.short_answer,
                    body=doc.body,
                    pk=pk,
                    address=on_this_site(addresses[pk], self.here),
                    audience=doc.audience,
                )
            )
        return shown


def on_this_site(address, here):
    """A page's address as a link from the reader's site: with more than one site Wagtail gives every page's
    address in full ("https://elm.oaktrust.org.uk/staff/..."); a page of the reader's own site becomes a path,
    so the link works on whatever address and port the reader reached the site at."""
    if address and here and address.startswith(here + "/"):
        return address[len(here) :]
    return address


def lexical_query(query):
    """The words typed (after spelling correction) and, counting less, the synonyms of them, in tantivy's
    query language. Each is quoted, so nothing a person types can be read as an operator."""
    parts = [f'"{word}"' for word in query.typed]
    parts += [f'"{" ".join(phrase)}"^{SYNONYM_BOOST}' for phrase in query.synonym_phrases]
    return " ".join(parts)


def rank(index, query):
    """BM25 scores (sitesearch/index.py) of every page holding a word of the query or a synonym of one."""
    scores = index.word_scores(lexical_query(query))
    return {pk: value * KIND_BONUS[index.docs[pk].kind] for pk, value in scores.items()}


# How the two signals combine: a page's score is its similarity in meaning to the question (cosine, -1..1)
# plus LEXICAL_WEIGHT times its BM25 score relative to the best BM25 score of this search. Both constants
# were chosen on the tuning half of the development set (docs/search.md): weights 0 to 0.1 tied there, and
# above 0.1 recall fell; 0.05 keeps an exact word (an acronym the model does not know) as a tie-breaker.
# Without the model the words alone rank.
LEXICAL_WEIGHT = 0.05
# A page that shares no word with the question is shown only if it is at least this close in meaning:
# below it, a query about nothing the site covers would still "find" something.
SEMANTIC_FLOOR = 0.25


def combine(lexical, similarities):
    """pk -> score, from the word scores and the similarities of the pages this reader may see."""
    if not similarities:  # no model, or nothing embedded yet: the words alone rank
        return dict(lexical)
    top = max(lexical.values(), default=0) or 1
    found = set(lexical) | {pk for pk, value in similarities.items() if value >= SEMANTIC_FLOOR}
    return {pk: similarities.get(pk, 0.0) + LEXICAL_WEIGHT * lexical.get(pk, 0.0) / top for pk in found}


def promoted_queries():
    """The searches HR has promoted pages for, read once per content version (a promotion added, changed or
    removed changes it: sitesearch/signals.py), so that the many searches with none ask the database nothing."""
    return published.current().derived(
        "promoted searches",
        lambda: frozenset(SearchPromotion.objects.values_list("query__query_string", flat=True).distinct()),
    )


def promoted(request, query):
    wanted = [q for q in (query.normalised, query.did_you_mean and query.corrected) if q and q in promoted_queries()]
    if not wanted:
        return []
    promo = Query.objects.filter(query_string=wanted[0]).prefetch_related("editors_picks__page").first()
    if promo is None:
        return []
    pages = [pick.page.specific for pick in promo.editors_picks.all() if pick.page and pick.page.live]
    elsewhere = other_schools_sites(request, published.current())
    return [page for page in visible_to(request, pages) if not (elsewhere and page.path.startswith(elsewhere))]


def _kind_of(page):
    if isinstance(page, GuidanceAnswerPage):
        return KIND_GUIDANCE
    if isinstance(page, PolicySectionPage):
        return KIND_SECTION
    if isinstance(page, PolicyPage):
        return KIND_POLICY
    return "page"


# --- how sure search is (docs/search.md, "How sure"): calibrated on the tuning half of the development set and
# the questions it has no answer for (tests/fixtures/search/unanswerable.tsv), on the second look's scores. ---

# Below this, the best page is no answer: "nothing found", and Ask HR comes first. On the tuning half it drops
# 2 of 64 right first answers and catches 5 of 15 questions with no answer.
NOTHING_BELOW = 0.55
# From this, the first result is shown as the answer (tuning half: 32 of 64 queries, every one right).
SURE_FROM = 1.0
# Beneath the first result, only pages this close to it are shown ("might help"): the right answer, when it
# was in the first three, was never further than 0.2 below the first.
MIGHT_HELP_WITHIN = 0.25
# For staff, an answer written for parents counts this much less than one written for them (chosen on the
# tuning half: staff recall@1 0.81 → 0.83; staff still see it, labelled, where nothing else fits).
PARENTS_ANSWER_FOR_STAFF = 0.10

SURE, UNSURE, NOTHING = "sure", "unsure", "nothing"


def for_this_reader(ranked, looked_at, index, signed_in):
    """Audience is part of relevance: for staff, answers written for parents step back behind answers written
    for staff (parents see only what they may read, already). Only the second look's scores are compared."""
    if not signed_in or not looked_at:
        return ranked
    head = [
        (value - PARENTS_ANSWER_FOR_STAFF if index.docs[pk].audience == "parents" else value, pk)
        for value, pk in ranked[:looked_at]
    ]
    head.sort(key=lambda row: (-row[0], index.docs[row[1]].title))
    return head + ranked[looked_at:]


def confidence(ranked, looked_at):
    """(how sure, the rows worth showing). With the model, only what clears the bar and is close to the best is
    shown; without it (words alone, no scale to judge by), every match is shown and search is never sure."""
    if not ranked:
        return NOTHING, []
    if not looked_at:
        return UNSURE, ranked
    best = ranked[0][0]
    if best < NOTHING_BELOW:
        return NOTHING, []
    shown = [row for row in ranked[:looked_at] if row[0] >= max(NOTHING_BELOW, best - MIGHT_HELP_WITHIN)]
    return (SURE if best >= SURE_FROM else UNSURE), shown


@dataclass
class SearchResults:
    query: ParsedQuery
    results: Sequence
    sureness: str = NOTHING  # SURE: the first result is the answer; UNSURE: these might help; NOTHING

    @property
    def total(self):
        """What is shown, not every page that shares a word."""
        return len(self.results)

    @property
    def answer(self):
        """The result search is sure answers the question, or None."""
        return self.results[0] if self.sureness == SURE and self.results else None

    @property
    def nothing_found(self):
        return not self.results


def out_of_scope(request):
    """Paths search leaves out for this reader: what they may not see, and other schools' sites in a trust."""
    return refused_paths(request) + other_schools_sites(request, published.current())


def search(request, raw_query, everything=False):
    """`everything`: every page the reader may see that matches at all, however unsure (for HR choosing the
    answer a search should have found), not only what clears the bars of `confidence`."""
    signed_in = request.user.is_authenticated
    query = parse(raw_query, signed_in)
    if not query.core:
        return SearchResults(query, [], NOTHING)
    encoded = embeddings.encode_query(query.for_the_model)
    query_vector = None if encoded is None else encoded.vector
    # What this reader may not see, and in a trust other schools' pages, are dropped before anything is
    # counted, ranked or shown.
    refused = out_of_scope(request)
    found = elasticsearch_index.rank(query, query_vector, refused) if elasticsearch_index.configured() else None
    if found is not None:
        lexical, similarities, index = found
    else:
        index = search_index.current(content_version())
        lexical = rank(index, query)
        similarities = index.similarities(query_vector, SEMANTIC_FLOOR, also=lexical)
        if refused:
            lexical = {pk: v for pk, v in lexical.items() if not index.paths[pk].startswith(refused)}
            similarities = {pk: v for pk, v in similarities.items() if not index.paths[pk].startswith(refused)}
    lexical = {pk: v for pk, v in lexical.items() if v > 0}
    scores = combine(lexical, similarities)
    top_words = max(lexical.values(), default=0) or 1
    ranked, looked_at = rerank.ranked_and_looked_at(
        scores,
        similarities,
        lambda pk: LEXICAL_WEIGHT * lexical.get(pk, 0.0) / top_words,
        encoded,
        lambda pk: index.docs[pk].title,
    )
    ranked = for_this_reader(ranked, looked_at, index, signed_in)
    sureness, shown = confidence(ranked, looked_at)
    ranked = ranked if everything else shown
    site = published.current().site_for_request(request)
    here = site.root_url if site else None
    picks = promoted(request, query)
    if picks:
        pick_ids = {p.pk for p in picks}
        ranked = [r for r in ranked if r[1] not in pick_ids]
        picks = [
            Result(
                _kind_of(p),
                index.display_title(index.docs[p.pk]) if p.pk in index.docs else p.title,
                query,
                0,
                getattr(p, "short_answer", ""),
                promoted=True,
                body=index.docs[p.pk].body if p.pk in index.docs else "",
                pk=p.pk,
                page=p,
                audience=getattr(p, "audience", ""),
                address=on_this_site(p.url, here),
            )
            for p in picks
        ]
        sureness = SURE  # HR chose these for this search
    return SearchResults(query, ResultList(index, query, ranked, picks, here), sureness)


def warm_up():
    """Ready this process for its first search (gunicorn.conf.py, as each worker starts): the model loaded and
    run once, and, without Elasticsearch, the index of what is live built, which at 20,000 answers takes
    seconds that would otherwise fall on the first person to search. Later publishes update it in place."""
    embeddings.encode_query("ready")
    if not elasticsearch_index.configured():
        search_index.current(content_version())


@dataclass(frozen=True)
class SectionLink:
    url: str
    policy: str  # the policy's title, "Staff social media policy"
    title: str  # the section's, "6. Contact with parents and carers"


def _sections_of_answers():
    """answer pk -> the tree paths of the live policy sections it rests on, in the policy's order."""
    out = {}
    rows = (
        PolicySectionPage.objects.live()
        .filter(guidance_answers__isnull=False)
        .order_by("path")
        .values_list("guidance_answers", "path")
    )
    for answer_pk, path in rows:
        out.setdefault(answer_pk, []).append(path)
    return out


def sections_behind(request, result):
    """[SectionLink] to the policy sections an answer rests on that this reader may open: shown with a sure
    answer. Read from the published snapshot, once per content version, so the answer card costs no query."""
    if result is None or result.kind != KIND_GUIDANCE:
        return []
    snapshot = published.current()
    paths = snapshot.derived("sections behind answers", _sections_of_answers).get(result.pk, [])
    site = snapshot.site_for_request(request)
    if not paths or site is None:
        return []
    root = site.root_page.url_path
    refused = out_of_scope(request)
    links = []
    for path in paths:
        title, url_path = snapshot.titles.get(path, (None, ""))
        if title is None or not url_path.startswith(root) or (refused and path.startswith(refused)):
            continue  # another school's site, or a section this reader may not open
        policy = snapshot.titles.get(path[: -Page.steplen], ("", ""))[0]
        links.append(SectionLink("/" + url_path[len(root) :], policy, title))
    return links


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
    refused = out_of_scope(request)
    prefixes = typed.split()
    scored = []
    for path, title, phrasings in corpus:
        if refused and path.startswith(refused):
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
