"""Elasticsearch index settings: English stemming, accent folding and the school's synonyms.

The query pipeline already expands synonyms from the database on every backend, so an edit HR makes
takes effect at once everywhere. The index carries the shipped groups as well, so Elasticsearch's own
scoring treats 'mum' and 'parent' alike; after changing them, rebuild with `manage.py update_index`.
"""

from .synonyms import DEFAULT_GROUPS


def synonym_rules(groups=DEFAULT_GROUPS):
    """Solr-style equivalence lines, e.g. 'friend, befriend, add, follow'."""
    rules = []
    for terms, _note in groups:
        cleaned = [t.strip().lower().replace(",", " ") for t in terms.split(",") if t.strip()]
        if len(cleaned) > 1:
            rules.append(", ".join(cleaned))
    return rules


def index_settings(groups=DEFAULT_GROUPS):
    return {
        "settings": {
            "analysis": {
                "filter": {
                    "school_synonyms": {"type": "synonym_graph", "synonyms": synonym_rules(groups), "lenient": True},
                    "english_possessive": {"type": "stemmer", "language": "possessive_english"},
                    "english_stemmer": {"type": "stemmer", "language": "light_english"},
                },
                "analyzer": {
                    "default": {
                        "tokenizer": "standard",
                        "filter": ["english_possessive", "lowercase", "asciifolding", "english_stemmer"],
                    },
                    "default_search": {
                        "tokenizer": "standard",
                        "filter": [
                            "english_possessive",
                            "lowercase",
                            "asciifolding",
                            "school_synonyms",
                            "english_stemmer",
                        ],
                    },
                },
            }
        }
    }
