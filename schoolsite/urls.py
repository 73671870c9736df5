from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from guidance import views as guidance_views
from schoolsite import views as site_views

urlpatterns = [
    # Wagtail's own admin login takes a password and skips allauth's MFA: send everyone to allauth.
    path("admin/login/", RedirectView.as_view(url=settings.WAGTAILADMIN_LOGIN_URL, query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("search.urls")),
    path("", include("declarations.urls")),
    path("answers/<int:page_id>/feedback/", guidance_views.answer_feedback, name="answer_feedback"),
    path("brand.css", site_views.brand_css, name="brand_css"),
    path("healthz", site_views.healthz, name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif getattr(settings, "SERVE_MEDIA", False):
    # Local runs without DEBUG (to see the real error pages): uploaded images still need serving.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [path("", include(wagtail_urls))]
