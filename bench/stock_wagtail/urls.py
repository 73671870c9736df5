from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

# As Wagtail's project template has them: the admin (for the admin yardstick) and the pages.
urlpatterns = [path("admin/", include(wagtailadmin_urls)), path("", include(wagtail_urls))]
