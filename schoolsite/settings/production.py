"""Production: refuses to start without a secret key and allowed hosts; HTTPS everywhere."""

from .base import *  # noqa: F401,F403
from .env import env, env_bool, env_int, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    env_required("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Links in scheduled emails (the weekly digest, reminders): BASE_URL, or else the first address the site answers
# to, over HTTPS; never the development address.
_first_host = next((host for host in ALLOWED_HOSTS if host != "*" and not host.startswith(".")), None)
WAGTAILADMIN_BASE_URL = env("BASE_URL", f"https://{_first_host}" if _first_host else "").rstrip("/")

# Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=1 so Django trusts X-Forwarded-Proto.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# WhiteNoise serves the collected static files from each application server, right after the headers.
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("core.security.SecurityHeadersMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
# Static files with hashed names, compressed, served by WhiteNoise with far-future caching: run
# `manage.py collectstatic` when deploying (docs/deployment.md).
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
SESSION_COOKIE_SAMESITE = "Lax"
