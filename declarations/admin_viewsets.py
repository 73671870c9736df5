"""The reviewers' actions on a confidential record (status, message, decision, a person's export), as a Wagtail
viewset beside the records inbox, which stays on wagtail-modeladmin (wagtail_hooks.py). Reached from the
record's inspect screen, not the menu; each view applies the records matrix itself."""

from django.urls import path
from wagtail.admin.viewsets.base import ViewSet

from . import admin_views


class RecordActionsViewSet(ViewSet):
    name = "declarations_admin"
    url_prefix = "records"

    def get_urlpatterns(self):
        return [
            path("<int:pk>/status/", admin_views.change_status, name="status"),
            path("<int:pk>/message/", admin_views.send_message, name="message"),
            path("<int:pk>/decide/", admin_views.decide, name="decide"),
            path("export/<int:user_id>/", admin_views.export_person, name="export_person"),
        ]
