"""Wagtail's Elasticsearch 9 backend with the school's analysis merged into its index settings (English
stemming, accent folding, the shipped synonyms: sitesearch/elasticsearch.py). Named by the settings as a string, so
the settings import no app code."""

from wagtail.search.backends.elasticsearch9 import Elasticsearch9SearchBackend

from .elasticsearch import index_settings


class SchoolElasticsearchBackend(Elasticsearch9SearchBackend):
    def __init__(self, params):
        super().__init__({"INDEX_SETTINGS": index_settings(), **params})


SearchBackend = SchoolElasticsearchBackend
