"""Wagtail admin screens that list pages from every site, narrowed to a person's own schools in a trust."""

from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView

from core import published

from .services import other_schools_roots


class OwnSchoolsPageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's "page types usage" report names the last page edited of each type, from any site. For someone
    who works at one school of a trust, a page of another school is not named (the counts stay the trust's)."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        elsewhere = other_schools_roots(self.request.user, published.current())
        if elsewhere:
            for item in page_types:
                if item.last_edited_page is not None and item.last_edited_page.path.startswith(elsewhere):
                    item.last_edited_page = None
        return page_types


page_types_usage = require_admin_access(OwnSchoolsPageTypesUsageReportView.as_view())
page_types_usage_results = require_admin_access(OwnSchoolsPageTypesUsageReportView.as_view(results_only=True))
