"""Local development: `make run`. Never used by a deployed site (wsgi defaults to production)."""

from .base import *  # noqa: F401,F403
from .env import env, env_bool, env_list

# DEBUG=false shows the real error pages (make screenshots does this); media files are still served.
DEBUG = env_bool("DEBUG", True)
SERVE_MEDIA = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
