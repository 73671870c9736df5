from django.apps import AppConfig


class SearchConfig(AppConfig):
    # "sitesearch", not "search": wagtail.search owns the word (its label is "wagtailsearch", its module "search").
    name = "sitesearch"
    verbose_name = "Search"

    def ready(self):
        from . import signals  # noqa: F401
