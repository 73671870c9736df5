"""Fast, isolated settings for the test suite (pytest uses these)."""

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "sitesearch.backends"}}
ACCOUNT_RATE_LIMITS = False
MEDIA_ROOT = BASE_DIR / "tmp-test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "tmp-test-private"  # noqa: F405
