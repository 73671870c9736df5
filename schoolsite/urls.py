from django.conf import settings
from django.urls import include, path, re_path, reverse_lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from guidance import views as guidance_views
from hub import views as hub_views
from schools import admin_views as school_admin_views
from schoolsite import views as site_views

# Every way to sign in, reset or change a password goes through allauth, with its rate limits and two-step
# verification. Other apps route their own versions of these (Wagtail's admin login, its front-end login at
# /_util/login/, its admin password reset); they are answered here first. allauth's "add an email address"
# page is replaced: addresses are the school's records. tests/accounts/test_sign_in_paths.py walks the URL
# resolver and fails on any sign-in, reset or password route it does not know.
to_sign_in = RedirectView.as_view(url=settings.WAGTAILADMIN_LOGIN_URL, query_string=True)
to_reset = RedirectView.as_view(url=reverse_lazy("account_reset_password"))
sign_in_paths = [
    path("admin/login/", to_sign_in),
    path("_util/login/", to_sign_in),
    re_path(r"^admin/password_reset/", to_reset),
    path("accounts/email/", account_views.email_address, name="account_email"),
]

# Wagtail admin screens answered by the project's own narrower versions (schools/admin_views.py), or not at all:
# Wagtail 8.0's generic "copy" view saves onto the object it copies (a site's copy would rewrite that site's
# address and root page); the project's own viewsets switch theirs off, Wagtail's sites viewset cannot.
narrowed_admin_screens = [
    re_path(r"^admin/sites/copy/", site_views.not_here),
    path("admin/reports/page-types-usage/", school_admin_views.page_types_usage),
    path("admin/reports/page-types-usage/results/", school_admin_views.page_types_usage_results),
]

urlpatterns = [
    *sign_in_paths,
    *narrowed_admin_screens,
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("sitesearch.urls")),
    path("", include("declarations.urls")),
    path("answers/<int:page_id>/feedback/", guidance_views.answer_feedback, name="answer_feedback"),
    path("ask/", guidance_views.ask_question, name="ask_question"),
    path("brand.css", site_views.brand_css, name="brand_css"),
    path("healthz", site_views.healthz, name="healthz"),
    path("signed-in/", hub_views.after_sign_in, name="after_sign_in"),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # Local runs (`make run`): uploaded images are served from MEDIA_ROOT. Documents never are: Wagtail's
    # /documents/ view hands them out after checking their collection's privacy (core/storage.py).
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    if settings.DEBUG:
        urlpatterns += staticfiles_urlpatterns()
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", site_views.local_media)]

urlpatterns += [
    # A policy version's label may hold dots ("2.1", policypages.models.LABEL_PATTERN); Wagtail's page pattern
    # takes only letters, digits and hyphens. The same view serves page paths that end in such a label.
    re_path(r"^((?:[\w\-]+/)+versions/\d{1,3}(?:\.\d{1,3}){1,2}/)$", wagtail_views.serve),
    path("", include(wagtail_urls)),
]
