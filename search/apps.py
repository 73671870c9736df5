from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "sitesearch"  # "search" would clash with nothing today, but wagtail.search owns the word
    verbose_name = "Search"

    def ready(self):
        from . import signals  # noqa: F401
