from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin_viewsets import SearchReportViewSet, SynonymGroupViewSet

register_snippet(SynonymGroupViewSet)


@hooks.register("register_admin_viewset")
def register_search_report():
    return SearchReportViewSet()
