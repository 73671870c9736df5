from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin_viewsets import GlossaryTermViewSet, SearchReportViewSet, SynonymGroupViewSet

register_snippet(SynonymGroupViewSet)
register_snippet(GlossaryTermViewSet)


@hooks.register("register_admin_viewset")
def register_search_report():
    return SearchReportViewSet()
