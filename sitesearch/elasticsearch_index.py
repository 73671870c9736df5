"""Search at trust scale: with Elasticsearch configured, Elasticsearch ranks, and no process holds the corpus.

One index of its own (`<INDEX>-answers`, beside the one Wagtail keeps for the admin) holds every live answer,
policy section and policy: the same fields the embedded index (sitesearch/index.py) ranks with BM25, English
analysis with the school's synonyms (sitesearch/elasticsearch.py), the page's tree path for the visibility filter,
and the page's stored sentence vectors (sitesearch/embeddings.py) as `dense_vector`s, one per passage, in a
nested field so the best passage counts for the page.

A search is one `_msearch` of two searches, both filtered by what this reader may see: BM25 over the fields
with their boosts, and kNN over the passages with the query's vector. The two are combined by the same rule
as the embedded path (`pipeline.combine`). Publishing, unpublishing and deleting keep the index in step;
`manage.py rebuild_answer_index` rebuilds it. If Elasticsearch does not answer, search answers from the
site's own index instead.
"""

import logging
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from wagtail.models import Page

from guidance.models import GuidanceAnswerPage
from policypages.models import PolicyPage, PolicySectionPage

from . import embeddings
from .elasticsearch import index_settings
from .index import FIELD_BOOSTS, FIELDS, KIND_BONUS, KIND_GUIDANCE, KIND_POLICY, KIND_SECTION, SYNONYM_BOOST, Doc, _doc

logger = logging.getLogger(__name__)

KNN_K = 50  # pages the vector search returns; the combination keeps those close enough in meaning
KNN_CANDIDATES = 200  # per shard, the HNSW search's breadth (more is slower and more exact)
WORD_HITS = 200  # pages the word search returns


def configured():
    return "elasticsearch" in settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]


def index_name():
    return f"{settings.WAGTAILSEARCH_BACKENDS['default'].get('INDEX', 'wagtail')}-answers"


@lru_cache(maxsize=1)
def _client(urls, timeout):
    from elasticsearch import Elasticsearch

    return Elasticsearch(list(urls), request_timeout=timeout, max_retries=0, retry_on_timeout=False)


def client():
    config = settings.WAGTAILSEARCH_BACKENDS["default"]
    return _client(tuple(config["URLS"]), config.get("TIMEOUT", 5))


# --- the index ---------------------------------------------------------------------------------------------


def index_body(groups=None):
    """Settings and mappings of the answers index."""
    analysis = (index_settings(groups) if groups is not None else index_settings())["settings"]["analysis"]
    text = {"type": "text", "analyzer": "default", "search_analyzer": "default_search"}
    return {
        "settings": {"analysis": analysis},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "pk": {"type": "integer"},
                "kind": {"type": "keyword"},
                "path": {"type": "keyword"},  # tree path: a reader's refused subtrees are path prefixes
                "display_title": {"type": "keyword", "index": False},
                "short_answer": {"type": "keyword", "index": False},
                "audience": {"type": "keyword", "index": False},
                **{name: text for name in FIELDS},
                "passages": {
                    "type": "nested",
                    "properties": {
                        "vector": {
                            "type": "dense_vector",
                            "dims": embeddings.DIMENSIONS,
                            "index": True,
                            "similarity": "cosine",
                        }
                    },
                },
            },
        },
    }


def document(doc, path, display_title):
    """The indexed form of one page (a sitesearch/index.py Doc)."""
    body = {
        "pk": doc.pk,
        "kind": doc.kind,
        "path": path,
        "display_title": display_title,
        "short_answer": doc.short_answer,
        "audience": doc.audience,
        **dict(zip(FIELDS, doc.fields, strict=True)),
    }
    if doc.vectors is not None:
        body["passages"] = [{"vector": [round(float(x), 6) for x in row]} for row in doc.vectors]
    return body


# --- a search ----------------------------------------------------------------------------------------------


def visibility_filter(refused):
    """Nothing under a subtree this reader may not see, in both searches, before anything is scored."""
    return {"bool": {"must_not": [{"prefix": {"path": path}} for path in refused]}}


def word_search(query, refused):
    fields = [f"{name}^{boost}" for name, boost in FIELD_BOOSTS.items()]
    should = [{"multi_match": {"query": " ".join(query.typed), "fields": fields, "type": "most_fields"}}]
    should += [
        {
            "multi_match": {
                "query": " ".join(phrase),
                "fields": fields,
                "type": "phrase",
                "boost": SYNONYM_BOOST,
            }
        }
        for phrase in query.synonym_phrases
    ]
    return {
        "size": WORD_HITS,
        "_source": {"excludes": ["passages"]},
        "query": {"bool": {"should": should, "minimum_should_match": 1, "filter": [visibility_filter(refused)]}},
    }


def vector_search(query_vector, refused):
    return {
        "size": KNN_K,
        "_source": {"excludes": ["passages"]},
        "knn": {
            "field": "passages.vector",
            "query_vector": [float(x) for x in query_vector],
            "k": KNN_K,
            "num_candidates": KNN_CANDIDATES,
            "filter": [visibility_filter(refused)],
        },
    }


@dataclass
class Hits:
    """The pages a search found, as Elasticsearch returned them: what a results page needs to show them."""

    docs: dict  # pk -> Doc

    def display_title(self, doc):
        return doc.title


def _doc_from(source):
    return Doc(
        source["pk"], source["kind"], None, source["display_title"], source.get("short_answer", ""),
        " ".join((source.get("body") or "").split()), (), audience=source.get("audience", ""),
    )  # fmt: skip


def rank(query, query_vector, refused):
    """(word scores, similarities, Hits) for this reader, from Elasticsearch; None if it did not answer."""
    searches = [{"index": index_name()}, word_search(query, refused)]
    if query_vector is not None:
        searches += [{"index": index_name()}, vector_search(query_vector, refused)]
    try:
        responses = client().msearch(searches=searches)["responses"]
        if any("error" in response for response in responses):
            raise RuntimeError(next(r["error"] for r in responses if "error" in r))
    except Exception:  # an unreachable Elasticsearch must never become an error page
        logger.warning("Elasticsearch did not answer; answering from the site's own index", exc_info=True)
        return None
    docs, lexical, similarities = {}, {}, {}
    for hit in responses[0]["hits"]["hits"]:
        doc = docs.setdefault(hit["_source"]["pk"], _doc_from(hit["_source"]))
        lexical[doc.pk] = hit["_score"] * KIND_BONUS[doc.kind]
    for hit in responses[1]["hits"]["hits"] if len(responses) > 1 else ():
        doc = docs.setdefault(hit["_source"]["pk"], _doc_from(hit["_source"]))
        similarities[doc.pk] = 2 * hit["_score"] - 1  # Elasticsearch scores cosine as (1 + cos) / 2
    return lexical, similarities, Hits(docs)


# --- keeping it in step ------------------------------------------------------------------------------------


def _live_pages():
    return (
        (KIND_GUIDANCE, GuidanceAnswerPage.objects.live().filter(canonical_answer__isnull=True)),
        (KIND_SECTION, PolicySectionPage.objects.live()),
        (KIND_POLICY, PolicyPage.objects.live()),
    )


def documents(pages=None):
    """(pk, body) of every live page, or of the given pages if they are live."""
    policy_titles = {}
    for kind, queryset in _live_pages():
        if pages is not None:
            queryset = queryset.filter(pk__in=[page.pk for page in pages])
        pages_of_kind = list(queryset.select_related("live_revision"))
        vectors = embeddings.stored_vectors([p.live_revision_id for p in pages_of_kind if p.live_revision_id])
        for page in pages_of_kind:
            doc = _doc(page, kind, None, vectors.get(page.live_revision_id))
            title = doc.title
            if kind == KIND_SECTION:
                parent_path = page.path[: -Page.steplen]
                if parent_path not in policy_titles:
                    policy_titles[parent_path] = (
                        Page.objects.filter(path=parent_path).values_list("title", flat=True).first() or ""
                    )
                title = f"{policy_titles[parent_path]} {doc.title}".strip()
            yield page.pk, document(doc, page.path, title)


def page_published(page):
    """Index a page just published (and a policy's sections, whose results show its title)."""
    if not configured():
        return
    pages = [page]
    if isinstance(page, PolicyPage):
        pages += list(page.get_children().live())
    page_published_many(pages)


def pages_moved(page):
    """Index a moved page and everything under it again: their tree paths changed."""
    if configured():
        page_published_many(list(page.get_descendants(inclusive=True).live().specific()))


def page_published_many(pages):
    try:
        for pk, body in documents(pages):
            client().index(index=index_name(), id=str(pk), document=body)
    except Exception:
        logger.warning("Elasticsearch did not take %d pages; `rebuild_answer_index` will", len(pages), exc_info=True)


def page_removed(pk):
    if not configured():
        return
    try:
        client().options(ignore_status=404).delete(index=index_name(), id=str(pk))  # never indexed: nothing to do
    except Exception:
        logger.warning("Elasticsearch did not remove page %s; `rebuild_answer_index` will", pk, exc_info=True)


def rebuild(groups=None):
    """A new answers index with every live page; returns how many were indexed."""
    from elasticsearch.helpers import bulk

    es, name = client(), index_name()
    es.options(ignore_status=404).indices.delete(index=name)
    es.indices.create(index=name, **index_body(groups))
    done, _ = bulk(
        es, ({"_index": name, "_id": str(pk), "_source": body} for pk, body in documents()), refresh="wait_for"
    )
    return done
